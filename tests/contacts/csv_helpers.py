"""Writing CSV files and running the import/export commands in tests."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from contacts.models import CONTACT_PERSON_FIELDS, Contact, ContactDetail
from tests.customers.factories import CustomerFactory, billing_address


def write_csv(path, text: str, *, bom: bool = False):
    path.write_bytes((("\ufeff" if bom else "") + text).encode("utf-8"))
    return path


def run(name: str, *args, **options) -> tuple[str, str]:
    """Run a command; (stdout, stderr). CommandError propagates."""
    out, err = StringIO(), StringIO()
    call_command(name, *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def run_failing(name: str, *args, **options):
    """Run a command that is expected to fail; (error, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as info:
        call_command(name, *args, stdout=out, stderr=err, **options)
    return info.value, out.getvalue(), err.getvalue()


CONTACTS_HEADER = (
    "customer_number,first_name,last_name,email,phone,job_title,department,roles\n"
)
DETAILS_HEADER = "customer_number,kind,value,description\n"


def customer_with_billing_country(number: str, country: str, **fields):
    """A customer whose phone numbers are read with `country`."""
    customer = CustomerFactory(number=number, **fields)
    billing_address(customer, country=country)
    return customer


def contacts_state() -> list[tuple]:
    """Every contact person as a comparable row, roles included."""
    return sorted(
        (
            contact.customer.number,
            *(getattr(contact, name) for name in CONTACT_PERSON_FIELDS),
            tuple(sorted(contact.roles.values_list("code", flat=True))),
        )
        for contact in Contact.objects.all()
    )


def details_state() -> list[tuple]:
    """Every contact detail as a comparable row, primary flag included."""
    return sorted(
        ContactDetail.objects.values_list(
            "customer__number", "kind", "value", "description", "is_primary"
        )
    )
