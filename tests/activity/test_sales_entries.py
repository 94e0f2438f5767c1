"""Sales documents and their sendings in the customer's Activity Log."""

import pytest

from sales.services import document_send
from tests.activity.helpers import acting_as, entries, lines
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory
from tests.sales.factories import make_invoice

pytestmark = pytest.mark.django_db


def test_a_document_and_its_sending_appear_with_who_and_to_whom(editor):
    customer = CustomerFactory()
    ana = ContactFactory(
        customer=customer, first_name="Ana", email="ana@example.com", roles=["invoice"]
    )
    with acting_as(editor):
        invoice = make_invoice(customer, contact=ana)
        document_send(document=invoice, sent_by=editor)

    log = entries(customer)
    sending = next(entry for entry in log if entry.kind == "Sending")
    created = next(e for e in log if e.kind == "Invoice" and e.action == "Created")
    assert sending.who == editor.get_full_name()
    assert any("ana@example.com" in line for line in lines(sending))
    assert created.object == f"Invoice {invoice.number}"
    # The snapshot names the contact; the bare link to it is not shown.
    assert any(line.startswith("Contact's name:") for line in lines(created))
    assert not any(line.startswith("Contact:") for line in lines(created))


def test_the_kind_filter_offers_sales_documents(editor):
    customer = CustomerFactory()
    with acting_as(editor):
        make_invoice(customer)
    assert [e.kind for e in entries(customer, kind="invoice")] == ["Invoice"]
