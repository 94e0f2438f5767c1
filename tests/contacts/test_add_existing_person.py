"""Add contact offers an existing person: found by name, email or phone across
customers, picked by a link, then saved as a new link with the work details typed
for this customer."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.models import Contact, ContactFieldSettings, Person
from contacts.selectors import PERSON_SEARCH_LIMIT
from tests.contacts.factories import ContactFactory, role
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    customer = CustomerFactory(name="Fjord Foods B.V.")
    billing_address(customer, country="NL")
    return customer


@pytest.fixture
def petra():
    """Petra Visser, contact of Alpha BV with a work email and phone, and her own
    email and mobile."""
    alpha = CustomerFactory(name="Alpha BV")
    billing_address(alpha, country="NL")
    link = ContactFactory(
        customer=alpha,
        first_name="Petra",
        last_name="Visser",
        language="nl",
        email="petra@alpha.example",
        phone="+31201234567",
    )
    person = link.person
    person.personal_email = "petra@home.example"
    person.personal_phone = "+31612345678"
    person.save()
    return person


def add_url(customer, **query):
    url = reverse("contacts:create", args=[customer.pk])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def found(response) -> list[Person]:
    search = response.context.get("person_search")
    return list(search.persons) if search else []


@pytest.mark.parametrize(
    "query",
    [
        "petra",
        "VISSER",
        "Petra Vis",
        "petra@home.example",
        "petra@alpha",
        # Her own mobile and her work phone, as people type them.
        "06 12345678",
        "+31 6 1234 5678",
        "020-1234567",
        "(020) 123 45 67",
    ],
)
def test_a_person_is_found_by_name_email_or_phone_in_any_format(
    client_for, editor, customer, petra, query
):
    ContactFactory(first_name="Someone", last_name="Else", email="x@else.example")
    response = client_for(editor).get(add_url(customer, person_q=query))
    assert response.status_code == 200
    assert found(response) == [petra]
    page = response.content.decode()
    assert f'href="?person={petra.pk}"' in page
    assert "Alpha BV" in page


def test_a_person_of_this_customer_already_is_left_out(
    client_for, editor, customer, petra
):
    ContactFactory(
        customer=customer, person=petra, first_name="Petra", last_name="Visser"
    )
    response = client_for(editor).get(add_url(customer, person_q="petra"))
    assert found(response) == []
    assert "are left out" in response.content.decode()


def test_the_search_is_capped_and_asks_to_refine(client_for, editor, customer):
    for n in range(PERSON_SEARCH_LIMIT + 1):
        ContactFactory(first_name="Jan", last_name=f"Jansen {n:02}")
    response = client_for(editor).get(add_url(customer, person_q="jan"))
    assert len(found(response)) == PERSON_SEARCH_LIMIT
    assert response.context["person_search"].more
    assert "refine your search" in response.content.decode()


def test_the_search_costs_the_same_for_one_person_or_many(client_for, editor, customer):
    client = client_for(editor)

    def queries_for(query):
        client.get(add_url(customer, person_q=query))  # warm the session
        with CaptureQueriesContext(connection) as queries:
            response = client.get(add_url(customer, person_q=query))
        assert found(response)
        return len(queries)

    ContactFactory(first_name="Kees", last_name="Bakker")
    one = queries_for("kees")
    for n in range(5):
        person = ContactFactory(first_name="Kees", last_name=f"Smit {n}").person
        ContactFactory(person=person, first_name="Kees", last_name=f"Smit {n}")
    assert queries_for("kees") == one


def test_picking_a_person_shows_their_name_read_only_and_the_work_fields(
    client_for, editor, customer, petra
):
    response = client_for(editor).get(add_url(customer, person=petra.pk))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["person"] == petra.pk
    assert "first_name" not in form.fields
    assert "last_name" not in form.fields
    assert "language" not in form.fields
    assert {"email", "phone", "job_title", "roles"} <= set(form.fields)
    page = response.content.decode()
    assert "Add Petra Visser as a contact" in page
    assert f'name="person" value="{petra.pk}"' in page
    assert 'name="first_name"' not in page


def test_saving_makes_the_person_a_contact_of_this_customer_with_its_work_details(
    client_for, editor, customer, petra
):
    response = client_for(editor).post(
        add_url(customer),
        {
            "person": petra.pk,
            "email": "P.Visser@Fjord.example",
            "phone": "06 87654321",
            "job_title": "Controller",
            "roles": [role("invoice").pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    link = customer.contacts.get()
    assert link.person_id == petra.pk
    assert (link.first_name, link.last_name, link.language) == ("Petra", "Visser", "nl")
    assert link.email == "P.Visser@fjord.example"  # the domain in lower case
    assert link.phone == "+31687654321"
    assert list(link.roles.values_list("code", flat=True)) == ["invoice"]
    assert Person.objects.count() == 1
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Contact Petra Visser was added."
    ]


def test_names_posted_with_an_existing_person_are_not_taken(
    client_for, editor, customer, petra
):
    client_for(editor).post(
        add_url(customer),
        {"person": petra.pk, "first_name": "Mallory", "is_active": "on"},
    )
    assert customer.contacts.get().first_name == "Petra"
    petra.refresh_from_db()
    assert petra.first_name == "Petra"


def test_picking_a_person_of_this_customer_already_says_so(
    client_for, editor, customer, petra
):
    ContactFactory(
        customer=customer, person=petra, first_name="Petra", last_name="Visser"
    )
    response = client_for(editor).get(add_url(customer, person=petra.pk))
    assert response.status_code == 200
    assert "This person is a contact of this customer already." in (
        response.content.decode()
    )
    assert "person" not in response.context["form"].fields


def test_saving_a_person_of_this_customer_already_is_a_form_error(
    client_for, editor, customer, petra
):
    ContactFactory(
        customer=customer, person=petra, first_name="Petra", last_name="Visser"
    )
    response = client_for(editor).post(
        add_url(customer), {"person": petra.pk, "is_active": "on"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This person is a contact of this customer already."
    ]
    assert customer.contacts.count() == 1


@pytest.mark.parametrize("picked", ["999999", "abc"])
def test_picking_an_unknown_person_says_they_no_longer_exist(
    client_for, editor, customer, picked
):
    response = client_for(editor).get(add_url(customer, person=picked))
    assert response.status_code == 200
    assert "This person no longer exists" in response.content.decode()


def test_a_person_deleted_since_the_pick_is_a_form_error_not_a_500(
    client_for, editor, customer, petra
):
    picked = petra.pk
    Contact.objects.filter(person=petra).delete()
    petra.delete()
    response = client_for(editor).post(
        add_url(customer),
        {"person": picked, "job_title": "Controller", "is_active": "on"},
    )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors == [
        "This person no longer exists: their last contact was removed meanwhile."
    ]
    assert not customer.contacts.exists()
    # The details typed stay in the form.
    assert 'value="Controller"' in response.content.decode()


def test_a_person_deleted_while_the_contact_is_saved_is_a_form_error(
    client_for, editor, customer, petra, monkeypatch
):
    """The pick is read, then the last link ends before the service locks the
    person: the service's refusal shows at the form."""
    from contacts.services import links

    original = links.contact_create

    def delete_first(**kwargs):
        Contact.objects.filter(person=petra).delete()
        Person.objects.filter(pk=petra.pk).delete()
        return original(**kwargs)

    monkeypatch.setattr("contacts.views.contact_create", delete_first)
    response = client_for(editor).post(
        add_url(customer), {"person": petra.pk, "is_active": "on"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This person no longer exists: their last contact was removed meanwhile."
    ]


def test_the_viewer_cannot_add_an_existing_person(client_for, viewer, customer, petra):
    client = client_for(viewer)
    assert client.get(add_url(customer, person=petra.pk)).status_code == 403
    response = client.post(add_url(customer), {"person": petra.pk, "is_active": "on"})
    assert response.status_code == 403
    assert not customer.contacts.exists()


def test_the_new_person_form_is_still_offered_below_the_search(
    client_for, editor, customer
):
    response = client_for(editor).get(add_url(customer, person_q="nobody"))
    page = response.content.decode()
    assert 'name="person_q"' in page
    assert 'name="first_name"' in page
    assert "No person matches" in page


def test_a_shared_work_email_is_warned_and_save_anyway_keeps_the_person(
    client_for, editor, customer, petra
):
    ContactFactory(first_name="Other", email="desk@fjord.example")
    client = client_for(editor)
    data = {"person": petra.pk, "email": "desk@fjord.example", "is_active": "on"}
    warned = client.post(add_url(customer), data)
    assert warned.status_code == 200
    assert warned.context["shared_contacts"]
    page = warned.content.decode()
    assert "Add Petra Visser as a contact" in page
    assert f'name="person" value="{petra.pk}"' in page
    saved = client.post(
        add_url(customer),
        {**data, "acknowledge_shared": warned.context["acknowledged"]},
    )
    assert saved.status_code == 302
    assert customer.contacts.get().person_id == petra.pk


def test_a_required_name_the_person_lacks_is_said_of_the_person(
    client_for, editor, customer
):
    ContactFieldSettings.objects.create(require_last_name=True)
    cher = ContactFactory(first_name="Cher", last_name="").person
    response = client_for(editor).post(
        add_url(customer), {"person": cher.pk, "is_active": "on"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Every contact needs a last name, and this person has none: add it on their "
        "contact at another customer first."
    ]
    assert not customer.contacts.exists()
