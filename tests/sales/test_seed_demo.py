from io import StringIO

import pytest
from django.core.management import call_command

from sales.models import Invoice, SalesOrder, Shipment

pytestmark = pytest.mark.django_db


def test_demo_data_has_documents_with_their_proposed_contacts_and_is_idempotent():
    call_command("seed_demo", "--no-users", stdout=StringIO())
    counts = [kind.objects.count() for kind in (SalesOrder, Invoice, Shipment)]
    assert counts == [6, 6, 6]
    invoice = Invoice.objects.order_by("number").first()
    assert invoice.number == "INV-00001"
    assert invoice.contact.roles.filter(code="invoice").exists()
    assert invoice.contact_email == invoice.contact.email
    call_command("seed_demo", "--no-users", stdout=StringIO())
    assert [kind.objects.count() for kind in (SalesOrder, Invoice, Shipment)] == counts
