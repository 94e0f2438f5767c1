"""The customer row's copy of its billing city and country (for the list's sorts) is
kept by the database: whoever writes the address or the customer, the copy equals the
billing address, on SQLite and on PostgreSQL (migration customers 0006)."""

import pytest

from customers import services
from customers.models import Address, Customer
from tests.customers.factories import AddressFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def copy_of(customer):
    return Customer.objects.values_list("billing_city", "billing_country").get(
        pk=customer.pk
    )


def test_a_billing_address_is_copied_and_a_shipping_address_is_not():
    customer = CustomerFactory()
    assert copy_of(customer) == (None, None)
    AddressFactory(customer=customer, kind="shipping", city="Delft", country="NL")
    assert copy_of(customer) == (None, None)
    AddressFactory(customer=customer, city="Gent", country="BE")
    assert copy_of(customer) == ("Gent", "BE")


def test_changing_and_deleting_the_billing_address_through_the_services():
    customer = CustomerFactory()
    address = services.address_create(
        customer=customer,
        kind="billing",
        street_line_1="Markt 1",
        city="Gent",
        country="BE",
    )
    services.address_update(address=address, data={"city": "Brugge"})
    assert copy_of(customer) == ("Brugge", "BE")
    services.address_update(address=address, data={"kind": "shipping"})
    assert copy_of(customer) == (None, None)
    services.address_update(address=address, data={"kind": "billing"})
    services.address_delete(address=address)
    assert copy_of(customer) == (None, None)


def test_a_bulk_update_and_a_move_to_another_customer_keep_both_copies():
    first, second = CustomerFactory(), CustomerFactory()
    address = AddressFactory(customer=first, city="Lyon", country="FR")
    Address.objects.filter(pk=address.pk).update(city="Lille")
    assert copy_of(first) == ("Lille", "FR")
    Address.objects.filter(pk=address.pk).update(customer=second)
    assert copy_of(first) == (None, None)
    assert copy_of(second) == ("Lille", "FR")


def test_a_customer_saved_from_a_stale_instance_keeps_the_copy():
    customer = CustomerFactory()  # read before the address exists
    AddressFactory(customer=customer, city="Porto", country="PT")
    customer.name = "Renamed"
    customer.save()  # writes its stale billing_city (None) back
    assert copy_of(customer) == ("Porto", "PT")
    services.customer_update(customer=customer, data={"name": "Again"})
    assert copy_of(customer) == ("Porto", "PT")


def test_the_copies_are_not_in_the_customers_history():
    history_fields = {field.name for field in Customer.history.model._meta.get_fields()}
    assert "name" in history_fields
    assert not history_fields & {"billing_city", "billing_country"}
