"""A person is one record; each customer's Contact links them to it, with the roles
and work details there."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from contacts.models import Contact, Person
from contacts.services.links import (
    contact_create,
    contact_delete,
    contact_update,
    person_update,
)
from sales.models import Invoice, SalesOrder, Shipment
from sales.selectors import notification_recipients
from tests.contacts.factories import role
from tests.customers.factories import CustomerFactory
from tests.sales.factories import make_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_customers():
    return CustomerFactory(name="Fjord Foods"), CustomerFactory(name="Fjord Drinks")


@pytest.fixture
def petra(two_customers):
    """Petra: invoice contact of Fjord Foods, order contact of Fjord Drinks, with a
    work email at each."""
    foods, drinks = two_customers
    at_foods = contact_create(
        customer=foods,
        first_name="Petra",
        last_name="Visser",
        email="petra@foods.example.com",
        roles=[role("invoice")],
    )
    at_drinks = contact_create(
        customer=drinks,
        person=at_foods.person_id,
        email="p.visser@drinks.example.com",
        roles=[role("order")],
    )
    return at_foods, at_drinks


def emails(customer, role_code):
    return [
        r.email for r in notification_recipients(customer=customer, role_code=role_code)
    ]


def test_a_new_contact_is_a_new_person_of_the_same_name(two_customers):
    contact = contact_create(
        customer=two_customers[0], first_name="Anna", last_name="Berg", language="nl"
    )

    person = Person.objects.get()
    assert contact.person == person
    assert (person.first_name, person.last_name, person.language) == (
        "Anna",
        "Berg",
        "nl",
    )
    assert contact.full_name == "Anna Berg"


def test_an_existing_person_is_linked_to_a_second_customer_with_its_name(petra):
    at_foods, at_drinks = petra

    assert Person.objects.count() == 1
    assert at_drinks.person_id == at_foods.person_id
    assert at_drinks.full_name == "Petra Visser"


def test_each_customers_documents_are_routed_through_its_own_link(petra, two_customers):
    foods, drinks = two_customers

    assert emails(foods, "invoice") == ["petra@foods.example.com"]
    assert emails(drinks, "order") == ["p.visser@drinks.example.com"]
    # A role at one customer sends nothing of the other's.
    assert emails(foods, "order") == []
    assert emails(drinks, "invoice") == []


def test_the_personal_email_only_when_the_link_has_none(petra, two_customers):
    at_foods, _ = petra
    person_update(person=at_foods.person, data={"personal_email": "petra@home.nl"})
    assert emails(two_customers[0], "invoice") == ["petra@foods.example.com"]

    contact_update(contact=at_foods, data={"email": ""})

    assert emails(two_customers[0], "invoice") == ["petra@home.nl"]


def test_an_inactive_link_receives_nothing(petra, two_customers):
    at_foods, _ = petra

    contact_update(contact=at_foods, data={"is_active": False})

    assert emails(two_customers[0], "invoice") == []
    assert emails(two_customers[1], "order") == ["p.visser@drinks.example.com"]


def test_a_rename_shows_at_every_customer_and_in_each_log(petra):
    at_foods, at_drinks = petra

    person_update(person=at_foods.person, data={"last_name": "de Vries"})

    names = dict(Contact.objects.values_list("customer__name", "last_name"))
    assert names == {"Fjord Foods": "de Vries", "Fjord Drinks": "de Vries"}
    # A change record on each link: each customer's Activity Log tells it.
    for link in (at_foods, at_drinks):
        assert link.history.first().last_name == "de Vries"
        assert link.history.first().history_type == "~"


def test_a_rename_on_one_customers_contact_form_is_the_persons(petra):
    at_foods, at_drinks = petra

    contact_update(contact=at_drinks, data={"first_name": "Pieta"})

    assert Person.objects.get().first_name == "Pieta"
    at_foods.refresh_from_db()
    assert at_foods.first_name == "Pieta"


def test_a_person_is_a_contact_of_a_customer_once(petra, two_customers):
    at_foods, _ = petra

    with pytest.raises(ValidationError) as refused:
        contact_create(customer=two_customers[0], person=at_foods.person_id)

    assert "This person is a contact of this customer already." in str(refused.value)


def test_removing_a_person_from_a_customer_ends_that_link_only(petra):
    at_foods, at_drinks = petra
    invoice = make_invoice(at_foods.customer, contact=at_foods)

    contact_delete(contact=at_foods)

    assert list(Contact.objects.all()) == [at_drinks]
    assert Person.objects.filter(pk=at_drinks.person_id).exists()
    invoice.refresh_from_db()
    assert (invoice.contact_id, invoice.contact_name) == (None, "Petra Visser")

    contact_delete(contact=at_drinks)

    assert not Person.objects.exists()


def _documents_as_sent():
    """Every document's snapshot of its contact and who it would be sent to."""
    found = {}
    for kind in (SalesOrder, Invoice, Shipment):
        for document in kind.objects.order_by("pk"):
            found[kind.__name__, document.pk] = (
                document.contact_id,
                document.contact_name,
                document.contact_email,
                document.contact_phone,
                notification_recipients(
                    customer=document.customer,
                    role_code=kind.ROLE_CODE,
                    assigned_contact=document.contact,
                ),
            )
    return found


@pytest.mark.django_db(transaction=True)
def test_the_migration_makes_each_contact_a_person_and_keeps_every_recipient():
    call_command("seed_demo", "--no-users", stdout=StringIO())
    before = _documents_as_sent()
    contacts = dict(Contact.objects.values_list("pk", "first_name"))
    history = Contact.history.count()
    assert before and contacts
    executor = MigrationExecutor(connection)
    executor.migrate([("contacts", "0014_one_primary_per_customer")])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    # The same keys: person.id is contact.id; the history came along.
    assert dict(Person.objects.values_list("pk", "first_name")) == contacts
    assert all(c.person_id == c.pk for c in Contact.objects.all())
    assert Person.history.count() == history
    assert _documents_as_sent() == before
    # New persons take keys after the copied ones.
    assert contact_create(customer=CustomerFactory(), first_name="New").person_id > max(
        contacts
    )


def test_a_link_cannot_end_before_it_began(two_customers):
    with pytest.raises(ValidationError) as refused:
        contact_create(
            customer=two_customers[0],
            first_name="Anna",
            started_on=datetime.date(2026, 5, 1),
            ended_on=datetime.date(2026, 4, 30),
        )

    assert refused.value.message_dict == {
        "ended_on": ["The end cannot come before the start."]
    }


def test_the_contact_form_edits_the_links_active_and_dates(client_for, editor, petra):
    at_foods, _ = petra
    url = reverse("contacts:update", args=[at_foods.customer_id, at_foods.pk])
    form = client_for(editor).get(url).context["form"]
    data = {
        **{k: v for k, v in form.initial.items() if v is not None},
        "roles": [str(role("invoice").pk)],
        "version": form.initial.get("version", at_foods.version),
        "started_on": "2025-01-01",
    }
    data.pop("is_active")  # the box left unticked

    response = client_for(editor).post(url, data)

    assert response.status_code == 302, response.context["form"].errors
    at_foods.refresh_from_db()
    assert (at_foods.is_active, at_foods.started_on) == (
        False,
        datetime.date(2025, 1, 1),
    )


def test_the_admin_renames_a_person_at_every_customer(admin_client, petra):
    at_foods, _ = petra
    url = reverse("admin:contacts_person_change", args=[at_foods.person_id])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "Fjord Foods" in page.content.decode()
    assert "Fjord Drinks" in page.content.decode()
    form = page.context["adminform"].form
    data = {
        **{k: v for k, v in form.initial.items() if v is not None},
        "last_name": "de Vries",
        "contacts-TOTAL_FORMS": "2",
        "contacts-INITIAL_FORMS": "2",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
    }
    for index, link in enumerate(Contact.objects.order_by("pk")):
        data[f"contacts-{index}-id"] = str(link.pk)
        data[f"contacts-{index}-person"] = str(link.person_id)

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(Contact.objects.values_list("last_name", flat=True)) == {"de Vries"}


def test_the_admin_refuses_moving_a_link_to_a_customer_of_the_person(
    admin_client, petra, two_customers
):
    _, at_drinks = petra
    url = reverse("admin:contacts_contact_change", args=[at_drinks.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        **{k: v for k, v in form.initial.items() if v is not None},
        "customer": two_customers[0].pk,
        "roles": [str(role("order").pk)],
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["customer"] == [
        "This person is a contact of this customer already."
    ]
