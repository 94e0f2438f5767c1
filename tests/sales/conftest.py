"""Fixtures the sales tests share; a module may define its own `customer`."""

import pytest

from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory


@pytest.fixture
def customer():
    return CustomerFactory(name="Fjord Foods")


@pytest.fixture
def ivy(customer):
    """A contact of the customer with the Invoice role and an email address."""
    return ContactFactory(
        customer=customer,
        first_name="Ivy",
        last_name="Lund",
        email="ivy@example.com",
        roles=["invoice"],
    )
