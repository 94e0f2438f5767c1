"""A name stored with a line break (data from before one-line fields refused them)
cannot make a document unsendable: the subject is built as one line."""

import pytest
from django.core import mail

from communications.models import Delivery
from contacts.models import Contact
from customers.models import Customer
from sales.emails import one_line
from sales.services import document_send
from tests.communications.helpers import deliver_outbox
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory
from tests.sales.factories import make_invoice

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "stored_name",
    ["Fjord\nFoods", "Fjord\r\n Foods", " Fjord\tFoods\n", "Fjord\x01\u2028Foods"],
)
def test_a_customer_name_with_a_line_break_is_sent_with_a_one_line_subject(
    client_for, editor, stored_name
):
    customer = CustomerFactory(name="Fjord Foods")
    ContactFactory(customer=customer, email="ana@example.com", roles=["invoice"])
    invoice = make_invoice(customer)
    # As old data would be: written past the rules, as they were then.
    Customer.objects.filter(pk=customer.pk).update(name=stored_name)

    response = client_for(editor).post(invoice.get_send_url(), follow=True)

    assert response.status_code == 200
    deliver_outbox()
    [message] = mail.outbox
    assert message.subject == f"Invoice {invoice.number} for Fjord Foods"
    assert message.message()["Subject"] == message.subject
    assert Delivery.objects.get().subject == message.subject


def test_a_send_through_the_service_has_the_same_subject(editor):
    customer = CustomerFactory()
    ContactFactory(customer=customer, email="ana@example.com", roles=["invoice"])
    invoice = make_invoice(customer)
    Customer.objects.filter(pk=customer.pk).update(name="Fjord\nFoods")
    invoice.refresh_from_db()

    (delivery,) = document_send(document=invoice, sent_by=editor)

    assert delivery.subject == f"Invoice {invoice.number} for Fjord Foods"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("Fjord Foods", "Fjord Foods"),
        ("Fjord\nFoods", "Fjord Foods"),
        ("  Fjord \r\n\t Foods  ", "Fjord Foods"),
        ("Fjord\x1bFoods", "Fjord Foods"),
        ("Fjörd Fööds", "Fjörd Fööds"),
    ],
)
def test_one_line_collapses_breaks_and_control_characters_into_one_space(text, line):
    assert one_line(text) == line


def test_a_contact_name_with_a_line_break_is_copied_onto_a_document_as_one_line():
    """Else the document's own rules would refuse the copy, about a field its form
    does not show."""
    customer = CustomerFactory()
    ivy = ContactFactory(customer=customer, first_name="Ivy", last_name="Lund")
    Contact.objects.filter(pk=ivy.pk).update(first_name="Ivy\n")
    ivy.refresh_from_db()

    invoice = make_invoice(customer, contact=ivy)

    assert invoice.contact_name == "Ivy Lund"
