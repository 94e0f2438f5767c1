import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from contacts.services.links import contact_create
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_changed_email_reads_as_old_and_new_value_on_the_activity_tab(page, sign_in):
    user = UserFactory(username="sam", first_name="Sam", last_name="Staff")
    user.groups.add(Group.objects.get(name="Sales staff"))
    customer = CustomerFactory(name="Fjord Foods B.V.")
    contact_create(
        customer=customer,
        first_name="Jan",
        last_name="de Vries",
        email="jan@old.example",
    )

    sign_in("sam")
    page.get_by_role("link", name="Fjord Foods B.V.").click()
    tabs = page.get_by_role("navigation", name="Customer")
    tabs.get_by_role("link", name="Contacts").click()
    page.get_by_role("link", name="Change Jan de Vries").click()
    page.get_by_label("Email address").fill("jan@new.example")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("was saved")).to_be_visible()

    tabs.get_by_role("link", name="Activity").click()
    entry = page.get_by_role("listitem").filter(has_text="Changed Contact Jan de Vries")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Sam Staff")
    change = entry.get_by_role("definition")
    expect(change).to_have_text("jan@old.example → jan@new.example")
    expect(entry.get_by_role("term")).to_have_text("Email address")
