import pytest
from django.urls import reverse

from contacts.models import Contact, Person
from contacts.selectors import PERSON_HISTORY_LIMIT
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def person_at_two_customers():
    """Petra: invoice contact of one customer, order contact of another, with a
    work email and phone at each."""
    first = ContactFactory(
        customer=CustomerFactory(name="Alpha BV"),
        first_name="Petra",
        last_name="Visser",
        email="petra@alpha.example",
        phone="+31201234567",
        job_title="Controller",
        roles=["invoice"],
    )
    person = first.person
    person.personal_email = "petra@home.example"
    person.personal_phone = "+31612345678"
    person.save()
    ContactFactory(
        customer=CustomerFactory(name="Beta BV"),
        person=person,
        first_name="Petra",
        last_name="Visser",
        email="p.visser@beta.example",
        department="Purchasing",
        roles=["order"],
    )
    return person


def test_a_viewer_sees_the_person_and_each_customer_with_its_roles_and_work_details(
    client_for, viewer
):
    person = person_at_two_customers()
    alpha, beta = Contact.objects.filter(person=person).order_by("customer__name").all()
    response = client_for(viewer).get(reverse("persons:detail", args=[person.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Petra Visser" in page
    assert 'href="mailto:petra@home.example"' in page
    assert 'href="tel:+31612345678"' in page
    for link in (alpha, beta):
        assert reverse("contacts:list", args=[link.customer_id]) in page
        assert f'href="mailto:{link.email}"' in page
    assert "Controller" in page
    assert "Purchasing" in page
    assert "Invoice" in page
    assert "Order" in page
    # Read-only: nothing to change from here.
    assert "/edit/" not in page


def test_a_user_who_may_not_view_contacts_gets_403(client_for, outsider):
    person = person_at_two_customers()
    response = client_for(outsider).get(reverse("persons:detail", args=[person.pk]))
    assert response.status_code == 403


def test_a_person_with_no_link_is_not_found(client_for, viewer):
    person = Person.objects.create(first_name="Nobody")
    response = client_for(viewer).get(reverse("persons:detail", args=[person.pk]))
    assert response.status_code == 404


def test_an_unknown_person_is_not_found(client_for, viewer):
    response = client_for(viewer).get(reverse("persons:detail", args=[999999]))
    assert response.status_code == 404


# 1 session, 2 user, 3-4 the user's permissions (own, then through groups),
# 5 the person, 6 their links with the customers, 7 the links' roles, 8 the
# person's history records, 9 the users who made them.
PERSON_PAGE_QUERIES = 9


@pytest.mark.parametrize("count", [1, 20])
def test_the_person_page_costs_the_same_queries_for_1_or_20_customers(
    client_for, viewer, django_assert_num_queries, count
):
    person = ContactFactory(roles=["order"]).person
    for _ in range(count - 1):
        ContactFactory(person=person, roles=["invoice", "shipment"])
    for n in range(count):
        change_person(person, viewer, personal_email=f"petra{n}@home.example")
    client = client_for(viewer)
    url = reverse("persons:detail", args=[person.pk])
    with django_assert_num_queries(PERSON_PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="badge role"') == 1 + 2 * (count - 1)


def test_names_on_the_contacts_tab_link_to_the_person_page(client_for, viewer):
    contact = ContactFactory()
    response = client_for(viewer).get(
        reverse("contacts:list", args=[contact.customer_id])
    )
    assert reverse("persons:detail", args=[contact.person_id]) in (
        response.content.decode()
    )


def test_the_contact_form_names_the_persons_other_customers(client_for, editor):
    person = person_at_two_customers()
    alpha = Contact.objects.get(person=person, customer__name="Alpha BV")
    beta = Contact.objects.get(person=person, customer__name="Beta BV")
    response = client_for(editor).get(
        reverse("contacts:update", args=[alpha.customer_id, alpha.pk])
    )
    page = response.content.decode()
    assert "Petra Visser is also a contact of:" in page
    assert reverse("contacts:list", args=[beta.customer_id]) in page
    assert reverse("persons:detail", args=[person.pk]) in page


def test_the_contact_form_has_no_note_for_a_person_at_one_customer(client_for, editor):
    contact = ContactFactory()
    response = client_for(editor).get(
        reverse("contacts:update", args=[contact.customer_id, contact.pk])
    )
    assert "is also a contact of" not in response.content.decode()


def change_person(person, user, **values):
    """A save of the person by `user`, as a request would record it."""
    for name, value in values.items():
        setattr(person, name, value)
    person._history_user = user
    person.save()


def test_the_person_page_shows_their_history_newest_first_with_who_and_what(
    client_for, viewer, editor, manager
):
    person = person_at_two_customers()
    change_person(person, editor, last_name="Visser-Bakker")
    change_person(person, manager, personal_phone="+31687654321")
    manager.delete()
    response = client_for(viewer).get(reverse("persons:detail", args=[person.pk]))
    changes = response.context["changes"]
    assert [change.lines for change in changes[:2]] == [
        [("Personal phone number", "+31 6 12345678", "+31 6 87654321")],
        [("Last name", "Visser", "Visser-Bakker")],
    ]
    assert [change.who for change in changes[:2]] == [
        "deleted user",
        editor.get_full_name(),
    ]
    # The oldest: made with the first link (nobody signed in: a test's factory).
    assert changes[-1].created
    assert ("First name", "", "Petra") in changes[-1].lines
    assert changes[-1].who == "system"
    page = response.content.decode()
    assert "Visser → Visser-Bakker" in page
    assert page.index("→ +31 6 87654321") < page.index("→ Visser-Bakker")


def test_the_person_history_is_bounded(client_for, viewer):
    person = ContactFactory(first_name="Petra", last_name="Visser").person
    for n in range(PERSON_HISTORY_LIMIT + 5):
        change_person(person, None, last_name=f"Visser {n}")
    response = client_for(viewer).get(reverse("persons:detail", args=[person.pk]))
    changes = response.context["changes"]
    assert len(changes) == PERSON_HISTORY_LIMIT
    last = PERSON_HISTORY_LIMIT + 4
    assert changes[0].lines == [("Last name", f"Visser {last - 1}", f"Visser {last}")]
    # The oldest shown is still compared with the record before it.
    assert not changes[-1].created
    assert f"The last {PERSON_HISTORY_LIMIT} changes are shown." in (
        response.content.decode()
    )
