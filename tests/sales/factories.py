"""Documents are made through sales.services, so tests get real numbers and
snapshots, as the application makes them."""

import datetime
from decimal import Decimal

from sales.models import Invoice, SalesOrder, Shipment
from sales.services import document_create

DEFAULTS = {
    SalesOrder: {"amount": Decimal("100.00")},
    Invoice: {"amount": Decimal("250.00")},
    Shipment: {"carrier": "DHL", "tracking_code": "JD0001"},
}


def make_document(kind, customer, contact=None, **fields):
    values = {"date": datetime.date(2026, 3, 1), **DEFAULTS[kind], **fields}
    return document_create(kind=kind, customer=customer, contact=contact, **values)


def make_invoice(customer, contact=None, **fields):
    return make_document(Invoice, customer, contact, **fields)
