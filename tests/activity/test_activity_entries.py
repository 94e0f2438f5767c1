"""Each kind of change gives an entry with its user, its object and its values."""

import pytest

from contacts.models import ContactDetail
from contacts.services.card import (
    contact_detail_create,
    contact_detail_delete,
    contact_detail_update,
)
from contacts.services.links import contact_create, contact_delete, contact_update
from customers import services as customer_services
from tests.activity.helpers import acting_as, entries, lines
from tests.contacts.factories import role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def jan():
    return UserFactory(username="jan", first_name="Jan", last_name="Smit")


@pytest.fixture
def customer(jan):
    with acting_as(jan):
        return customer_services.customer_create(name="Fjord Foods")


def test_a_created_customer_shows_the_values_it_started_with(customer):
    (entry,) = entries(customer)
    assert entry.action == "Created"
    assert entry.who == "Jan Smit"
    assert entry.object == "Customer Fjord Foods"
    assert lines(entry) == [
        f"Number: {customer.number}",
        "Name: Fjord Foods",
        "Active: yes",
    ]


def test_a_changed_customer_shows_old_and_new_values_by_their_labels(customer, jan):
    with acting_as(jan):
        customer_services.customer_update(
            customer=customer, data={"name": "Fjord Foods B.V.", "is_active": False}
        )
    entry = entries(customer)[0]
    assert (entry.action, entry.who) == ("Changed", "Jan Smit")
    assert entry.object == "Customer Fjord Foods B.V."
    assert lines(entry) == ["Name: Fjord Foods → Fjord Foods B.V.", "Active: yes → no"]


def test_address_changes_use_choice_labels_and_country_names(customer, jan):
    with acting_as(jan):
        address = customer_services.address_create(
            customer=customer,
            kind="billing",
            street_line_1="Oudegracht 12",
            city="Utrecht",
            country="NL",
        )
        customer_services.address_update(
            address=address, data={"kind": "shipping", "country": "BE"}
        )
        customer_services.address_delete(address=address)
    deleted, changed, created = entries(customer, kind="address")
    assert created.object == "Billing address Utrecht"
    assert lines(created) == [
        "Type: Billing",
        "Street: Oudegracht 12",
        "City: Utrecht",
        "Country: Netherlands",
    ]
    assert changed.object == "Shipping address Utrecht"
    assert lines(changed) == [
        "Type: Billing → Shipping",
        "Country: Netherlands → Belgium",
    ]
    assert deleted.action == "Deleted"
    assert "Street: Oudegracht 12" in lines(deleted)


def test_a_contact_change_shows_each_field_with_its_verbose_name(customer, jan):
    contact = contact_create(
        customer=customer,
        first_name="Jan",
        last_name="de Vries",
        email="jan@old.example",
    )
    with acting_as(jan):
        contact_update(
            contact=contact,
            data={
                "email": "jan@new.example",
                "job_title": "Buyer",
                "last_name": "Vries",
            },
        )
    entry = entries(customer, kind="contact")[0]
    assert entry.object == "Contact Jan Vries"
    assert entry.who == "Jan Smit"
    assert lines(entry) == [
        "Last name: de Vries → Vries",
        "Email address: jan@old.example → jan@new.example",
        "Job title: (empty) → Buyer",
    ]


def test_role_changes_say_which_roles_were_added_and_removed(customer, jan):
    contact = contact_create(customer=customer, first_name="Jan", roles=[role("order")])
    with acting_as(jan):
        contact_update(
            contact=contact, data={}, roles=[role("invoice"), role("primary")]
        )
    texts = [
        line for entry in entries(customer, kind="contact") for line in lines(entry)
    ]
    assert "Roles: added Order" in texts
    assert "Roles: removed Order" in texts
    assert "Roles: added Invoice, Primary" in texts


def test_contact_detail_changes_and_the_primary_moving_on(customer, jan):
    with acting_as(jan):
        first = contact_detail_create(
            customer=customer, kind="email", value="info@fjord.example"
        )
        contact_detail_create(
            customer=customer,
            kind="email",
            value="sales@fjord.example",
            description="Sales",
        )
        contact_detail_update(detail=first, data={"value": "hello@fjord.example"})
        contact_detail_delete(detail=first)
    promoted, deleted, changed, second, created = entries(
        customer, kind="contact_detail"
    )
    assert created.object == "Email Address info@fjord.example"
    assert lines(created) == [
        "Type: Email Address",
        "Value: info@fjord.example",
        "Primary: yes",
    ]
    assert lines(second) == [
        "Type: Email Address",
        "Value: sales@fjord.example",
        "Description: Sales",
        "Primary: no",
    ]
    assert lines(changed) == ["Value: info@fjord.example → hello@fjord.example"]
    assert (deleted.action, deleted.object) == (
        "Deleted",
        "Email Address hello@fjord.example",
    )
    assert promoted.object == "Email Address sales@fjord.example"
    assert lines(promoted) == ["Primary: no → yes"]
    assert {entry.who for entry in (promoted, deleted, changed, second, created)} == {
        "Jan Smit"
    }
    assert ContactDetail.objects.get().value == "sales@fjord.example"


def test_a_deleted_contact_keeps_its_history_with_the_roles_it_had(customer, jan):
    contact = contact_create(
        customer=customer,
        first_name="Jan",
        last_name="de Vries",
        email="jan@fjord.example",
        roles=[role("invoice")],
    )
    with acting_as(jan):
        contact_delete(contact=contact)
    deleted, roles_set, created = entries(customer, kind="contact")
    assert (deleted.action, deleted.object, deleted.who) == (
        "Deleted",
        "Contact Jan de Vries",
        "Jan Smit",
    )
    assert "Email address: jan@fjord.example" in lines(deleted)
    assert "Roles: Invoice" in lines(deleted)
    assert lines(roles_set) == ["Roles: added Invoice"]
    assert created.who == "system"


def test_entries_stay_with_a_deactivated_user_and_say_when_the_user_is_deleted(
    customer, jan
):
    jan.is_active = False
    jan.save()
    assert entries(customer)[0].who == "Jan Smit (deactivated)"
    jan.delete()
    (entry,) = entries(customer)
    assert entry.who == "deleted user"
    assert entry.object == "Customer Fjord Foods"


def test_changes_without_a_user_are_the_systems(db):
    customer = customer_services.customer_create(name="Imported Ltd")
    assert entries(customer)[0].who == "system"


def test_the_log_of_one_customer_holds_nothing_of_another(customer):
    other = customer_services.customer_create(name="Granite Ltd")
    contact_create(customer=other, first_name="Eva")
    assert [entry.object for entry in entries(customer)] == ["Customer Fjord Foods"]


def test_phone_numbers_show_formatted_wherever_they_are(customer, jan):
    from customers.services import address_create

    address_create(
        customer=customer,
        kind="billing",
        street_line_1="Oudegracht 12",
        city="Utrecht",
        country="NL",
    )
    with acting_as(jan):
        contact = contact_create(
            customer=customer, first_name="Jan", phone="06 12345602"
        )
        contact_update(contact=contact, data={"phone": "020 1234567"})
        detail = contact_detail_create(
            customer=customer, kind="telephone", value="020 7654321"
        )
        # Moved to Email Address: its old value was a number, its new one is not.
        contact_detail_update(
            detail=detail, data={"kind": "email", "value": "info@fjord.example"}
        )
    changed_contact, created_contact = entries(customer, kind="contact")
    assert "Phone number: +31 6 12345602" in lines(created_contact)
    assert lines(changed_contact) == ["Phone number: +31 6 12345602 → +31 20 123 4567"]
    moved, created_detail = entries(customer, kind="contact_detail")
    assert created_detail.object == "Telephone +31 20 765 4321"
    assert "Value: +31 20 765 4321" in lines(created_detail)
    assert "Value: +31 20 765 4321 → info@fjord.example" in lines(moved)
    assert "+31612345602" not in str([*lines(created_contact), *lines(moved)])
