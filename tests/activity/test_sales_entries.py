"""Sales documents and their emails in the customer's Activity Log."""

import pytest

from sales.services import document_send
from tests.activity.helpers import acting_as, entries, lines
from tests.communications.helpers import deliver_outbox
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory
from tests.sales.factories import make_invoice

pytestmark = pytest.mark.django_db


def test_a_document_and_its_email_appear_with_who_and_to_whom(editor):
    customer = CustomerFactory()
    ana = ContactFactory(
        customer=customer, first_name="Ana", email="ana@example.com", roles=["invoice"]
    )
    with acting_as(editor):
        invoice = make_invoice(customer, contact=ana)
        document_send(document=invoice, sent_by=editor)
    deliver_outbox()  # by the worker: nobody signed in

    log = entries(customer)
    queued = next(e for e in log if e.kind == "Email" and e.action == "Created")
    sent = next(e for e in log if e.kind == "Email" and e.action == "Changed")
    created = next(e for e in log if e.kind == "Invoice" and e.action == "Created")
    assert queued.who == editor.get_full_name()
    assert queued.object == (
        f"Email “Invoice {invoice.number} for {customer.name}” to ana@example.com"
    )
    assert "Status: Queued → Sent" in lines(sent)
    assert sent.who == "system"
    assert created.object == f"Invoice {invoice.number}"
    # The snapshot names the contact; the bare link to it is not shown.
    assert any(line.startswith("Contact's name:") for line in lines(created))
    assert not any(line.startswith("Contact:") for line in lines(created))


def test_the_kind_filter_offers_sales_documents(editor):
    customer = CustomerFactory()
    with acting_as(editor):
        make_invoice(customer)
    assert [e.kind for e in entries(customer, kind="invoice")] == ["Invoice"]
