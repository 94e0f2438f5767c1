import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from customers.models import Address
from customers.services import address_create, address_update
from tests.customers.factories import AddressFactory, CustomerFactory

pytestmark = pytest.mark.django_db

FIELDS = {"street_line_1": "Baker Street 221b", "city": "London", "country": "GB"}


def test_the_database_holds_at_most_one_billing_address_per_customer():
    customer = CustomerFactory()
    AddressFactory(customer=customer, kind="billing")
    with pytest.raises(IntegrityError), transaction.atomic():
        Address.objects.create(customer=customer, kind="billing", **FIELDS)


def test_the_service_refuses_a_second_billing_address_at_the_kind_field():
    customer = CustomerFactory()
    AddressFactory(customer=customer, kind="billing")
    with pytest.raises(ValidationError) as refused:
        address_create(customer=customer, kind="billing", **FIELDS)
    assert refused.value.message_dict == {
        "kind": ["This customer already has a billing address."]
    }


def test_shipping_addresses_are_not_limited():
    customer = CustomerFactory()
    for _ in range(3):
        address_create(customer=customer, kind="shipping", **FIELDS)
    assert customer.addresses.count() == 3


def test_turning_a_shipping_address_into_a_second_billing_address_is_refused():
    customer = CustomerFactory()
    AddressFactory(customer=customer, kind="billing")
    shipping = AddressFactory(customer=customer, kind="shipping")
    with pytest.raises(ValidationError):
        address_update(address=shipping, data={"kind": "billing"})


def test_the_same_rule_holds_for_another_customer_independently():
    AddressFactory(customer=CustomerFactory(), kind="billing")
    address = address_create(customer=CustomerFactory(), kind="billing", **FIELDS)
    assert address.pk
