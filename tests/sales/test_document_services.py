import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from contacts.services.links import contact_delete, contact_update
from sales.models import Invoice, SalesOrder, Shipment
from sales.selectors import document_proposed_contact
from sales.services import document_create, document_update
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory, billing_address
from tests.sales.factories import make_document, make_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    customer = CustomerFactory(name="Fjord Foods")
    billing_address(customer, country="NL")
    return customer


@pytest.fixture
def ana(customer):
    return ContactFactory(
        customer=customer,
        first_name="Ana",
        last_name="Berg",
        email="ana@example.com",
        phone="+31612345678",
        roles=["invoice"],
    )


@pytest.mark.parametrize(
    ("kind", "numbers"),
    [
        (SalesOrder, ["SO-00001", "SO-00002"]),
        (Invoice, ["INV-00001", "INV-00002"]),
        (Shipment, ["SH-00001", "SH-00002"]),
    ],
)
def test_each_kind_is_numbered_in_its_own_sequence(customer, kind, numbers):
    make_document(SalesOrder if kind is not SalesOrder else Invoice, customer)
    made = [make_document(kind, customer).number for _ in range(2)]
    assert made == numbers


def test_a_new_document_is_a_draft_with_the_fields_given(customer):
    invoice = make_invoice(
        customer,
        reference="PO-77",
        amount=Decimal("1234.50"),
        date=datetime.date(2026, 4, 2),
    )
    invoice.refresh_from_db()
    assert (invoice.status, invoice.reference, invoice.amount, invoice.date) == (
        "draft",
        "PO-77",
        Decimal("1234.50"),
        datetime.date(2026, 4, 2),
    )
    assert invoice.history.count() == 1


def test_assigning_copies_the_contacts_name_email_and_phone(customer, ana):
    invoice = make_invoice(customer, contact=ana)
    invoice.refresh_from_db()
    assert (invoice.contact, invoice.contact_name, invoice.contact_email) == (
        ana,
        "Ana Berg",
        "ana@example.com",
    )
    assert invoice.contact_phone == "+31612345678"


def test_the_snapshot_survives_a_change_of_the_contact(customer, ana):
    invoice = make_invoice(customer, contact=ana)
    contact_update(
        contact=ana,
        data={"last_name": "Lund", "email": "ana.lund@example.com", "phone": ""},
    )
    invoice.refresh_from_db()
    assert (invoice.contact_name, invoice.contact_email, invoice.contact_phone) == (
        "Ana Berg",
        "ana@example.com",
        "+31612345678",
    )
    # Saving the document again with the same contact keeps the copy as well.
    document_update(document=invoice, data={"reference": "X"}, contact=ana)
    invoice.refresh_from_db()
    assert invoice.contact_email == "ana@example.com"


def test_the_snapshot_survives_the_deletion_of_the_contact(customer, ana):
    invoice = make_invoice(customer, contact=ana)
    contact_delete(contact=ana)
    invoice.refresh_from_db()
    assert invoice.contact is None
    assert invoice.contact_was_deleted
    assert (invoice.contact_name, invoice.contact_email, invoice.contact_phone) == (
        "Ana Berg",
        "ana@example.com",
        "+31612345678",
    )
    # And editing the document afterwards does not wipe it.
    document_update(document=invoice, data={"reference": "later"}, contact=None)
    invoice.refresh_from_db()
    assert invoice.contact_name == "Ana Berg"


def test_assigning_another_contact_takes_a_new_snapshot_and_unassigning_clears_it(
    customer, ana
):
    bo = ContactFactory(
        customer=customer, first_name="Bo", last_name="", email="bo@example.com"
    )
    invoice = make_invoice(customer, contact=ana)
    document_update(document=invoice, data={}, contact=bo)
    invoice.refresh_from_db()
    assert (invoice.contact, invoice.contact_name, invoice.contact_email) == (
        bo,
        "Bo",
        "bo@example.com",
    )
    document_update(document=invoice, data={}, contact=None)
    invoice.refresh_from_db()
    assert (invoice.contact, invoice.contact_name, invoice.contact_email) == (
        None,
        "",
        "",
    )


def test_a_contact_of_another_customer_is_refused_at_the_contact_field(customer):
    stranger = ContactFactory(customer=CustomerFactory())
    with pytest.raises(ValidationError) as refused:
        make_invoice(customer, contact=stranger)
    assert refused.value.message_dict == {
        "contact": ["Choose a contact of this customer."]
    }
    assert not Invoice.objects.exists()
    invoice = make_invoice(customer)
    with pytest.raises(ValidationError):
        document_update(document=invoice, data={}, contact=stranger)
    invoice.refresh_from_db()
    assert invoice.contact is None


def test_a_negative_amount_is_refused_and_nothing_is_saved(customer):
    with pytest.raises(ValidationError) as refused:
        document_create(
            kind=Invoice,
            customer=customer,
            amount=Decimal("-1"),
            date=datetime.date(2026, 1, 1),
        )
    assert "amount" in refused.value.message_dict
    assert not Invoice.objects.exists()


@pytest.mark.parametrize(
    ("kind", "expected"),
    [(Invoice, "Ivy"), (SalesOrder, "Olaf"), (Shipment, "Sam")],
)
def test_a_new_document_proposes_the_contact_with_its_role(customer, kind, expected):
    ContactFactory(customer=customer, first_name="Aaron", roles=["primary"])
    ContactFactory(customer=customer, first_name="Ivy", roles=["invoice"])
    ContactFactory(customer=customer, first_name="Olaf", roles=["order"])
    ContactFactory(customer=customer, first_name="Sam", roles=["shipment"])
    proposed = document_proposed_contact(customer=customer, kind=kind)
    assert proposed.first_name == expected


def test_without_a_role_holder_the_primary_contact_is_proposed(customer):
    ContactFactory(customer=customer, first_name="Aaron")
    ContactFactory(customer=customer, first_name="Pia", roles=["primary"])
    ContactFactory(customer=CustomerFactory(), first_name="Ivy", roles=["invoice"])
    assert (
        document_proposed_contact(customer=customer, kind=Invoice).first_name == "Pia"
    )


def test_nobody_is_proposed_without_role_or_primary_contacts(customer):
    ContactFactory(customer=customer)
    assert document_proposed_contact(customer=customer, kind=Invoice) is None
