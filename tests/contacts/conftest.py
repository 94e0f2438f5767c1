"""Fixtures shared by the contacts tests."""

import pytest

from contacts.services.card import contact_detail_create
from contacts.services.links import contact_create
from tests.contacts.factories import role
from tests.customers.factories import CustomerFactory, billing_address


@pytest.fixture
def customers():
    """Two customers, Dutch and German, each with contacts and contact details (what
    the export tests export)."""
    dutch = CustomerFactory(number="C00001")
    billing_address(dutch, country="NL")
    german = CustomerFactory(number="C00002")
    billing_address(german, country="DE", city="Berlin")
    contact_create(
        customer=dutch,
        first_name="Jan",
        last_name="Jansen",
        email="jan@example.com",
        phone="06 12345678",
        job_title="Buyer, senior",
        department="Sales",
        language="nl",
        roles=[role("primary"), role("invoice")],
    )
    contact_create(customer=dutch, first_name="Piet", roles=[])
    contact_create(
        customer=german,
        first_name="Jürgen",
        last_name='Müller "JM"',
        phone="030 1234567",
        roles=[role("shipment")],
    )
    contact_detail_create(customer=dutch, kind="email", value="info@example.com")
    contact_detail_create(
        customer=dutch, kind="email", value="billing@example.com", description="Bill"
    )
    contact_detail_create(customer=dutch, kind="mobile", value="06 12345678")
    contact_detail_create(customer=german, kind="website", value="example.de")
    return dutch, german
