"""Demo sales documents for `manage.py seed_demo`, made through the services."""

import datetime
from decimal import Decimal

from babel.numbers import get_territory_currencies

from contacts.models import ContactRole
from contacts.services.links import contact_create
from customers.models import Customer
from customers.selectors import customer_phone_region
from sales.models import Invoice, SalesOrder, Shipment
from sales.selectors import document_proposed_contact
from sales.services import document_create

DEMO_CUSTOMERS = 6
DEMO_CONTACTS = [
    # first name, last name, roles
    ("Ines", "Visser", [ContactRole.PRIMARY, ContactRole.ORDER]),
    ("Oscar", "Bakker", [ContactRole.INVOICE, ContactRole.SHIPMENT]),
]


def seed_demo_documents() -> str:
    """An order, an invoice and a shipment for the first few customers that have no
    documents yet, each proposing its contact as a new document does. Customers
    without contacts get two."""
    seeded = 0
    customers = Customer.objects.order_by("pk")[:DEMO_CUSTOMERS]
    for index, customer in enumerate(customers):
        if SalesOrder.objects.filter(customer=customer).exists():
            continue
        if not customer.contacts.exists():
            domain = f"customer{customer.pk}.example.com"
            for first, last, codes in DEMO_CONTACTS:
                contact_create(
                    customer=customer,
                    first_name=first,
                    last_name=last,
                    email=f"{first.lower()}@{domain}",
                    roles=ContactRole.objects.filter(code__in=codes),
                )
        date = datetime.date(2026, 1, 5) + datetime.timedelta(days=7 * index)
        amount = Decimal(1200 + 150 * index)
        # Billed in the currency of the customer's country.
        country = customer_phone_region(customer=customer)
        currency = get_territory_currencies(country)[0] if country else "EUR"
        priced = {"amount": amount, "currency": currency}
        fields = {
            SalesOrder: {**priced, "reference": f"PO-{4100 + index}"},
            Invoice: {**priced, "reference": f"PO-{4100 + index}"},
            Shipment: {"carrier": "PostNL", "tracking_code": f"3SDEMO{index:04d}"},
        }
        for offset, kind in enumerate((SalesOrder, Invoice, Shipment)):
            document_create(
                kind=kind,
                customer=customer,
                contact=document_proposed_contact(customer=customer, kind=kind),
                date=date + datetime.timedelta(days=offset),
                **fields[kind],
            )
        seeded += 1
    return f"Demo documents: {seeded} customers given some."
