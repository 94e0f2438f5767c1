import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from contacts import services as contact_services
from tests.activity.helpers import acting_as
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_changed_email_reads_as_old_and_new_value_on_the_activity_tab(page, sign_in):
    user = UserFactory(username="sam", first_name="Sam", last_name="Staff")
    user.groups.add(Group.objects.get(name="Sales staff"))
    customer = CustomerFactory(name="Fjord Foods B.V.")
    contact = contact_services.contact_create(
        customer=customer,
        first_name="Jan",
        last_name="de Vries",
        email="jan@old.example",
    )
    # The Contacts tab is not on this branch yet: Sam's change goes through the
    # service the tab will call, recorded as Sam's as the request's middleware would.
    with acting_as(user):
        contact_services.contact_update(
            contact=contact, data={"email": "jan@new.example"}
        )

    sign_in("sam")
    page.get_by_role("link", name="Fjord Foods B.V.").click()
    page.get_by_role("navigation", name="Customer").get_by_role(
        "link", name="Activity"
    ).click()

    entry = page.get_by_role("listitem").filter(has_text="Changed Contact Jan de Vries")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Sam Staff")
    expect(entry).to_contain_text("Email address: jan@old.example → jan@new.example")
