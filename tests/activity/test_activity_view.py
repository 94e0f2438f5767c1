"""The Activity tab: who may open it, what it shows, pages and filters, and a query
count that does not grow with the history."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from activity.selectors import PAGE_SIZE
from contacts.models import ContactDetail
from contacts.services.card import contact_detail_create, contact_detail_update
from contacts.services.links import contact_create, contact_delete, contact_update
from core.history_groups import new_history_group
from customers import services as customer_services
from tests.activity.helpers import acting_as, page_text
from tests.contacts.factories import role
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(customer):
    return reverse("activity:list", kwargs={"customer_pk": customer.pk})


def some_changes(customer, user):
    """One change of every tracked kind, roles included: ten history rows."""
    with acting_as(user):
        customer_services.customer_update(customer=customer, data={"notes": "Key"})
        address = customer_services.address_create(
            customer=customer,
            kind="billing",
            street_line_1="Dam 1",
            city="Utrecht",
            country="NL",
        )
        customer_services.address_update(address=address, data={"city": "Zeist"})
        contact = contact_create(
            customer=customer,
            first_name="Jan",
            email="jan@old.example",
            roles=[role("order")],
        )
        contact_update(
            contact=contact, data={"email": "jan@new.example"}, roles=[role("invoice")]
        )
        detail = contact_detail_create(
            customer=customer, kind="email", value="info@x.example"
        )
        contact_detail_update(detail=detail, data={"value": "hello@x.example"})


def old_history(customer, rows):
    """`rows` history records of contact details, dated before anything else."""
    history = ContactDetail.history.model
    start = timezone.now() - timedelta(days=400)
    history.objects.bulk_create(
        history(
            id=10_000 + n // 3,
            customer_id=customer.pk,
            kind="email",
            value=f"old{n}@x.example",
            is_primary=False,
            created_at=start,
            updated_at=start,
            history_date=start + timedelta(minutes=n),
            history_type="+~~"[n % 3],
            history_group=new_history_group(start + timedelta(minutes=n)),
        )
        for n in range(rows)
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        (None, 302),
        ("outsider", 403),
        ("viewer", 200),
        ("editor", 200),
        ("manager", 200),
    ],
)
def test_who_may_open_the_activity_tab(request, client_for, persona, status):
    user = request.getfixturevalue(persona) if persona else None
    customer = CustomerFactory()
    response = client_for(user).get(url(customer))
    assert response.status_code == status


def test_an_unknown_customer_is_not_found(client_for, viewer):
    assert client_for(viewer).get("/customers/999999/activity/").status_code == 404


def test_without_the_log_permission_the_tab_is_hidden_and_the_page_refused(
    client_for, viewer
):
    customer = CustomerFactory()
    client = client_for(viewer)
    assert (
        f'href="{url(customer)}"'
        in client.get(customer.get_absolute_url()).content.decode()
    )
    viewer.groups.get().permissions.remove(
        Permission.objects.get(codename="view_activity_log")
    )
    assert client.get(url(customer)).status_code == 403
    page = client.get(customer.get_absolute_url()).content.decode()
    assert ">Overview<" in page
    assert ">Activity<" not in page


def test_the_tab_shows_who_changed_what_newest_first(client_for, viewer, editor):
    customer = CustomerFactory(name="Fjord Foods")
    some_changes(customer, editor)
    response = client_for(viewer).get(url(customer))
    assert 'aria-current="page">Activity<' in response.content.decode()
    page = page_text(response)
    # One line per changed field: its label, then what it was and became.
    assert "Email address jan@old.example → jan@new.example" in page
    assert "Roles added Invoice" in page
    assert "Roles removed Order" in page
    assert "City Utrecht → Zeist" in page
    assert "Value info@x.example → hello@x.example" in page
    assert page.index("hello@x.example") < page.index("City Utrecht")
    who = editor.get_full_name()
    assert page.count(who) >= 10


def test_fifty_entries_a_page_with_the_filters_kept_across_pages(client_for, viewer):
    customer = CustomerFactory()
    old_history(customer, PAGE_SIZE + 5)
    client = client_for(viewer)
    first = client.get(url(customer), {"kind": "contact_detail"})
    assert len(first.context["entries"]) == PAGE_SIZE
    assert "Page 1 of 2" in first.content.decode()
    assert "?kind=contact_detail&amp;page=2" in first.content.decode()
    second = client.get(url(customer), {"kind": "contact_detail", "page": 2})
    assert len(second.context["entries"]) == 5
    assert (
        second.context["entries"][-1].changes[0].object
        == "Email Address old0@x.example"
    )
    # A page past the end shows the last one rather than failing.
    assert client.get(url(customer), {"page": 99}).status_code == 200


def test_filters_by_kind_of_object_and_by_user(client_for, viewer, editor):
    customer = CustomerFactory(name="Fjord Foods")
    some_changes(customer, editor)
    contact_detail_create(customer=customer, kind="website", value="x.example")
    client = client_for(viewer)

    by_kind = client.get(url(customer), {"kind": "address"}).context["entries"]
    assert {change.kind for entry in by_kind for change in entry.changes} == {"Address"}
    assert len(by_kind) == 2

    by_system = client.get(url(customer), {"user": "system"}).context["entries"]
    assert [change.object for entry in by_system for change in entry.changes] == [
        "Website https://x.example",
        f"Customer {customer.name}",
    ]

    response = client.get(url(customer), {"user": str(editor.pk)})
    assert {entry.who for entry in response.context["entries"]} == {
        editor.get_full_name()
    }
    assert len(response.context["entries"]) == 10
    assert response.context["users"] == [(str(editor.pk), editor.get_full_name())]

    # Unknown filter values are ignored, not a 500.
    response = client.get(url(customer), {"kind": "nonsense", "user": "abc"})
    assert response.status_code == 200
    assert len(response.context["entries"]) == 12


def test_a_page_costs_the_same_queries_for_ten_rows_as_for_two_thousand(
    client_for, viewer, editor, django_assert_num_queries
):
    small, large = CustomerFactory(), CustomerFactory()
    old_history(large, 2_000)
    some_changes(small, editor)
    some_changes(large, editor)
    client = client_for(viewer)
    for customer in (small, large):
        # 1 session, 2 user, 3-4 the viewer's user and group permissions,
        # 5 customer, 6 the users who changed this customer (the user filter),
        # 7 count of entries (groups, a UNION), 8 the page's groups, 9 their
        # records' (group, date, id, source), 10-13 per tracked model on the page:
        # its records and the ones before them, 14 the contacts' roles in those,
        # 15 the persons of the contacts still there (their names link to them).
        with django_assert_num_queries(15):
            response = client.get(url(customer))
        assert len(response.context["entries"]) == (11 if customer is small else 50)
        client.logout()
        client.force_login(viewer)


def test_a_contacts_name_links_to_the_person_page_while_the_contact_exists(
    client_for, viewer, editor
):
    customer = CustomerFactory()
    with acting_as(editor):
        kept = contact_create(customer=customer, first_name="Petra")
        gone = contact_create(customer=customer, first_name="Gert")
        contact_delete(contact=gone)
        contact_detail_create(customer=customer, kind="email", value="i@x.example")
    response = client_for(viewer).get(url(customer))
    changes = [c for entry in response.context["entries"] for c in entry.changes]
    person_page = reverse("persons:detail", args=[kept.person_id])
    assert {change.object: change.url for change in changes} == {
        "Contact Petra": person_page,
        "Contact Gert": "",
        "Email Address i@x.example": "",
        f"Customer {customer.name}": "",
    }
    page = response.content.decode()
    assert f'<a href="{person_page}">Contact Petra</a>' in page
    assert "Contact Gert" in page
    assert "Contact Gert</a>" not in page


def test_without_the_person_page_names_are_plain_text(client_for, editor):
    customer = CustomerFactory()
    contact = contact_create(customer=customer, first_name="Petra")
    auditor = UserFactory(username="auditor")
    auditor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_customer", "view_activity_log"])
    )
    response = client_for(auditor).get(url(customer))
    assert response.status_code == 200
    assert reverse("persons:detail", args=[contact.person_id]) not in (
        response.content.decode()
    )
