"""Writes of customers and addresses. Views, the admin, commands and imports call these,
so each rule is applied the same way whichever door the change comes through."""

from collections.abc import Collection
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from core.services import lock_unchanged, sequence_next_value
from customers.models import ONE_BILLING_ADDRESS_CODE, Address, Customer
from customers.selectors import customers_with_phone_region

CUSTOMER_NUMBER_SEQUENCE = "customer"


def customer_number_next() -> str:
    return f"C{sequence_next_value(name=CUSTOMER_NUMBER_SEQUENCE):05d}"


def _apply(instance, data: dict[str, Any]):
    for field, value in data.items():
        setattr(instance, field, value)
    return instance


@transaction.atomic
def customer_create(*, name: str, is_active: bool = True, notes: str = "") -> Customer:
    """Create a customer with the next free customer number."""
    customer = Customer(name=name, is_active=is_active, notes=notes)
    customer.number = customer_number_next()
    customer.full_clean()
    customer.save()
    return customer


@transaction.atomic
def customer_update(
    *, customer: Customer, data: dict[str, Any], version: str | None = None
) -> Customer:
    """Change a customer. `version`: see core.services.lock_unchanged."""
    lock_unchanged(customer, version=version)
    _apply(customer, data)
    customer.full_clean()
    customer.save()
    return customer


def _address_save(address: Address) -> Address:
    address.full_clean()
    try:
        # A savepoint, so a concurrent billing address that slipped past full_clean()
        # becomes a form error instead of a broken transaction.
        with transaction.atomic():
            address.save()
    except IntegrityError as error:
        if (
            Address.objects.filter(
                customer_id=address.customer_id, kind=Address.Kind.BILLING
            )
            .exclude(pk=address.pk)
            .exists()
        ):
            raise ValidationError(
                {
                    "kind": ValidationError(
                        gettext("This customer already has a billing address."),
                        code=ONE_BILLING_ADDRESS_CODE,
                    )
                }
            ) from error
        raise
    return address


@transaction.atomic
def address_create(*, customer: Customer, **fields: Any) -> Address:
    return _address_save(Address(customer=customer, **fields))


@transaction.atomic
def address_update(
    *, address: Address, data: dict[str, Any], version: str | None = None
) -> Address:
    """Change an address. `version`: see core.services.lock_unchanged."""
    lock_unchanged(address, version=version)
    return _address_save(_apply(address, data))


@transaction.atomic
def address_delete(*, address: Address) -> None:
    address.delete()


def lock_customers(customer_ids: Collection[int]) -> dict[int, Customer]:
    """Lock the customers about to be written, in the order of their keys (two writers
    cannot deadlock), so writers of one customer's contacts and card queue up: the
    primary rule reads a kind's details and then writes them. They come with their
    billing country, so phone numbers are read without a query each."""
    customers = {
        customer.pk: customer
        for customer in customers_with_phone_region()
        # Against other writers only: a row added meanwhile that points at the
        # customer (its foreign key check takes FOR KEY SHARE) does not wait.
        .select_for_update(no_key=True, of=("self",))
        .filter(pk__in=customer_ids)
        .order_by("pk")
    }
    if len(customers) < len(set(customer_ids)):
        raise Customer.DoesNotExist("The customer no longer exists.")
    return customers
