"""Demo contact details for `manage.py seed_demo`, written through the services."""

import phonenumbers
from phonenumbers import PhoneNumberType

from contacts.models import ContactDetail
from contacts.services import contact_detail_create
from customers.models import Customer
from customers.selectors import customer_phone_region


def _example_number(region: str | None, kind: PhoneNumberType) -> str | None:
    """A valid number of the country (the phone library's own example)."""
    number = phonenumbers.example_number_for_type(region, kind) if region else None
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def demo_contact_details(*, customer: Customer, index: int) -> list[ContactDetail]:
    """The demo card of one customer. Every fifth card stays empty, to show the empty
    state; some carry a "Billing Contact" or "Emergency Contact"."""
    if index % 5 == 4:
        return []
    domain = "".join(ch for ch in customer.name.lower() if ch.isalnum())[:20]
    domain = f"{domain}.example"
    region = customer_phone_region(customer=customer)
    rows = [("email", f"info@{domain}", ""), ("website", domain, "")]
    landline = _example_number(region, PhoneNumberType.FIXED_LINE)
    mobile = _example_number(region, PhoneNumberType.MOBILE)
    if landline:
        rows.append(("telephone", landline, "Reception" if index % 2 else ""))
    if mobile and index % 3 == 0:
        rows.append(("mobile", mobile, ""))
    if index % 2 == 0:
        rows.append(("email", f"billing@{domain}", "Billing Contact"))
    if mobile and index % 4 == 1:
        rows.append(("mobile", mobile, "Emergency Contact"))
    return [
        contact_detail_create(
            customer=customer, kind=kind, value=value, description=description
        )
        for kind, value, description in rows
    ]
