"""Email addresses are stored with their domain in lower case , whoever writes
them."""

import pytest

from contacts.models import ContactDetail
from contacts.services.card import contact_detail_create
from contacts.services.links import contact_create
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_a_contacts_email_is_stored_with_a_lower_case_domain():
    contact = contact_create(
        customer=CustomerFactory(), first_name="Anna", email="Anna.Berg@Fjord.EXAMPLE"
    )
    contact.refresh_from_db()
    assert contact.email == "Anna.Berg@fjord.example"


def test_a_card_email_is_stored_with_a_lower_case_domain():
    customer = CustomerFactory()
    contact_detail_create(customer=customer, kind="email", value="Info@FJORD.Example")
    stored = ContactDetail.objects.get(customer=customer).value
    assert stored.split("@")[1] == "fjord.example"
