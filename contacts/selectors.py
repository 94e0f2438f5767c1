from dataclasses import dataclass

from django.core.exceptions import ValidationError

from contacts.models import Contact, ContactDetail, ContactRole
from contacts.validators import normalize_email_address
from customers.models import Customer


def customer_primary_details(*, customer: Customer) -> dict[str, ContactDetail | None]:
    """The customer's primary email, telephone, mobile and website, by kind (None
    where the customer has none). Communications use these by default."""
    primaries = {kind: None for kind in ContactDetail.Kind.values}
    for detail in ContactDetail.objects.filter(customer=customer, is_primary=True):
        primaries[detail.kind] = detail
    return primaries


@dataclass(frozen=True)
class Recipient:
    """Who a notification goes to, and why this address was chosen."""

    email: str
    name: str
    reason: str


REASON_ASSIGNED = "assigned contact"
REASON_PRIMARY = "Primary contact"
REASON_CONTACT_CARD = "contact card"


def notification_recipients(
    *, customer: Customer, role_code: str, assigned_contact: Contact | None = None
) -> list[Recipient]:
    """Who a notification of a document with this role (order, invoice, shipment)
    goes to, and why, in this order of preference:

    1. the document's assigned contact, if it has an email address;
    2. else every contact holding the role, with an email address;
    3. else every contact holding the Primary role, with an email address;
    4. else the customer's primary email address on its contact card.

    An assigned contact without an email address does not stop the notification: it
    falls through to the next rule, so it still reaches the customer. Addresses come
    back normalised and once each (compared without case); an address that cannot be
    normalised (old data) is left out. An empty list means nobody would receive it.
    """
    if assigned_contact is not None and assigned_contact.customer_id != customer.pk:
        raise ValueError("The assigned contact belongs to another customer.")
    if assigned_contact is not None and assigned_contact.email:
        found = _recipients([assigned_contact], REASON_ASSIGNED)
        if found:
            return found
    role = ContactRole.objects.filter(code=role_code).first()
    if role is not None and role.code != ContactRole.PRIMARY:
        found = _recipients(_contacts_with_email(customer, role.code), f"{role} role")
        if found:
            return found
    found = _recipients(
        _contacts_with_email(customer, ContactRole.PRIMARY), REASON_PRIMARY
    )
    if found:
        return found
    card_email = customer_primary_details(customer=customer)[ContactDetail.Kind.EMAIL]
    if card_email is not None:
        return _unique(
            [(card_email.value, customer.name, REASON_CONTACT_CARD)],
        )
    return []


def _contacts_with_email(customer: Customer, role_code: str):
    return (
        Contact.objects.filter(customer=customer, roles__code=role_code)
        .exclude(email="")
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def _recipients(contacts, reason: str) -> list[Recipient]:
    return _unique([(c.email, c.full_name, reason) for c in contacts])


def _unique(candidates) -> list[Recipient]:
    recipients, seen = [], set()
    for email, name, reason in candidates:
        try:
            address = normalize_email_address(email)
        except ValidationError:
            continue
        if address.lower() in seen:
            continue
        seen.add(address.lower())
        recipients.append(Recipient(email=address, name=name, reason=reason))
    return recipients
