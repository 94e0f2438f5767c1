"""The one recipient rule (sales.selectors.notification_recipients), branch by
branch."""

import pytest

from contacts.services.card import contact_detail_create
from sales.selectors import Recipient, notification_recipients
from tests.contacts.factories import ContactDetailFactory, ContactFactory
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    return CustomerFactory(name="Fjord Foods")


def recipients(customer, assigned=None, role="invoice"):
    return notification_recipients(
        customer=customer, role_code=role, assigned_contact=assigned
    )


def test_the_assigned_contact_alone_receives_it(customer):
    ana = ContactFactory(
        customer=customer, first_name="Ana", last_name="Berg", email="ana@example.com"
    )
    ContactFactory(customer=customer, email="bo@example.com", roles=["invoice"])
    ContactFactory(customer=customer, email="cy@example.com", roles=["primary"])
    assert recipients(customer, assigned=ana) == [
        Recipient(email="ana@example.com", name="Ana Berg", reason="assigned contact")
    ]


def test_an_assigned_contact_without_email_falls_through_to_the_role(customer):
    silent = ContactFactory(customer=customer, email="")
    ContactFactory(
        customer=customer, first_name="Bo", email="bo@example.com", roles=["invoice"]
    )
    assert [(r.email, r.reason) for r in recipients(customer, assigned=silent)] == [
        ("bo@example.com", "Invoice role")
    ]


def test_every_contact_with_the_role_and_an_email_receives_it(customer):
    ContactFactory(
        customer=customer, first_name="Bo", email="bo@example.com", roles=["invoice"]
    )
    ContactFactory(
        customer=customer,
        first_name="Al",
        email="al@example.com",
        roles=["invoice", "primary"],
    )
    ContactFactory(customer=customer, first_name="Cy", email="", roles=["invoice"])
    ContactFactory(
        customer=customer, first_name="Di", email="di@example.com", roles=["order"]
    )
    ContactFactory(
        customer=customer, first_name="Ed", email="ed@example.com", roles=["shipment"]
    )
    assert [(r.email, r.reason) for r in recipients(customer)] == [
        ("al@example.com", "Invoice role"),
        ("bo@example.com", "Invoice role"),
    ]


@pytest.mark.parametrize(
    ("role", "reason"),
    [("order", "Order role"), ("shipment", "Shipment role")],
)
def test_each_document_kind_follows_its_own_role(customer, role, reason):
    ContactFactory(customer=customer, email="inv@example.com", roles=["invoice"])
    ContactFactory(customer=customer, email="x@example.com", roles=[role])
    assert [(r.email, r.reason) for r in recipients(customer, role=role)] == [
        ("x@example.com", reason)
    ]


def test_without_role_holders_the_primary_contacts_receive_it(customer):
    ContactFactory(customer=customer, email="", roles=["invoice"])
    ContactFactory(
        customer=customer, first_name="Ed", email="ed@example.com", roles=["primary"]
    )
    ContactFactory(
        customer=customer, first_name="Di", email="di@example.com", roles=["order"]
    )
    assert [(r.email, r.reason) for r in recipients(customer)] == [
        ("ed@example.com", "Primary contact")
    ]


def test_without_any_contact_the_contact_cards_primary_email_receives_it(customer):
    contact_detail_create(customer=customer, kind="email", value="info@fjord.example")
    contact_detail_create(customer=customer, kind="email", value="sales@fjord.example")
    ContactDetailFactory(customer=customer, kind="telephone", value="+31201234567")
    ContactFactory(customer=customer, email="", roles=["primary"])
    assert recipients(customer) == [
        Recipient(email="info@fjord.example", name="Fjord Foods", reason="contact card")
    ]


def test_nobody_receives_it_when_there_is_no_address_at_all(customer):
    ContactFactory(customer=customer, email="", roles=["invoice", "primary"])
    other = CustomerFactory()
    ContactFactory(customer=other, email="elsewhere@example.com", roles=["invoice"])
    contact_detail_create(customer=other, kind="email", value="card@example.com")
    assert recipients(customer) == []


def test_addresses_come_back_normalised_and_once_each(customer):
    # Written straight to the table, as an old import might have left them.
    ContactFactory(
        customer=customer, first_name="A", email="Ana@EXAMPLE.com ", roles=["invoice"]
    )
    ContactFactory(
        customer=customer, first_name="B", email="ana@example.com", roles=["invoice"]
    )
    ContactFactory(
        customer=customer, first_name="C", email="not-an-address", roles=["invoice"]
    )
    assert [r.email for r in recipients(customer)] == ["Ana@example.com"]


def test_an_assigned_contact_of_another_customer_is_refused(customer):
    stranger = ContactFactory(email="x@example.com")
    with pytest.raises(ValueError, match="another customer"):
        recipients(customer, assigned=stranger)
