import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

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
    return notification_recipients_by_role(
        customer=customer, role_codes=[role_code], assigned_contact=assigned_contact
    )[role_code]


def notification_recipients_by_role(
    *,
    customer: Customer,
    role_codes: Iterable[str],
    assigned_contact: Contact | None = None,
) -> dict[str, list[Recipient]]:
    """`notification_recipients` for several roles at once, reading the customer's
    contacts (with their roles) and its contact card once for all of them."""
    if assigned_contact is not None and assigned_contact.customer_id != customer.pk:
        raise ValueError("The assigned contact belongs to another customer.")
    contacts = list(
        Contact.objects.filter(customer=customer)
        .exclude(email="")
        .prefetch_related("roles")
        .order_by("first_name", "last_name", "pk")
    )
    card_email = list(
        ContactDetail.objects.filter(
            customer=customer, kind=ContactDetail.Kind.EMAIL, is_primary=True
        )
    )

    def holders(code: str) -> list[Contact]:
        return [c for c in contacts if any(r.code == code for r in c.roles.all())]

    def resolve(role_code: str) -> list[Recipient]:
        if assigned_contact is not None and assigned_contact.email:
            found = _recipients([assigned_contact], REASON_ASSIGNED)
            if found:
                return found
        if role_code != ContactRole.PRIMARY:
            role_holders = holders(role_code)
            if role_holders:
                role = next(
                    r for r in role_holders[0].roles.all() if r.code == role_code
                )
                found = _recipients(role_holders, f"{role} role")
                if found:
                    return found
        found = _recipients(holders(ContactRole.PRIMARY), REASON_PRIMARY)
        if found:
            return found
        return _unique(
            [
                (detail.value, customer.name, REASON_CONTACT_CARD)
                for detail in card_email
            ]
        )

    return {code: resolve(code) for code in role_codes}


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


def contact_card_version(details: Iterable[ContactDetail]) -> str:
    """A digest of the card's rows: it changes whenever a detail of the customer is
    added, changed (value, description, kind, primary flag) or removed.

    The editing window carries it in a hidden field, so a save based on a card that
    changed since the window opened can be told apart and refused.
    """
    digest = hashlib.sha256()
    for detail in sorted(details, key=lambda detail: detail.pk):
        row = (
            detail.pk,
            detail.kind,
            detail.value,
            detail.description,
            detail.is_primary,
            detail.updated_at.isoformat() if detail.updated_at else "",
        )
        digest.update(repr(row).encode())
    return digest.hexdigest()[:32]


@dataclass(frozen=True)
class PrimaryRow:
    kind: str
    label: str
    detail: ContactDetail | None


@dataclass(frozen=True)
class DetailGroup:
    description: str
    details: list[ContactDetail] = field(default_factory=list)


@dataclass(frozen=True)
class ContactCard:
    """What the Contact card on the Overview and its editing window show."""

    primaries: list[PrimaryRow]
    additional: list[ContactDetail]
    version: str

    @property
    def is_empty(self) -> bool:
        return not self.additional and all(row.detail is None for row in self.primaries)

    @property
    def groups(self) -> list[DetailGroup]:
        """The additional details grouped under their description, in the order the
        descriptions first appear; those without one come last."""
        groups: dict[str, DetailGroup] = {}
        for detail in self.additional:
            groups.setdefault(
                detail.description, DetailGroup(description=detail.description)
            ).details.append(detail)
        without = groups.pop("", None)
        return [*groups.values(), *([without] if without else [])]


def contact_card(*, customer: Customer) -> ContactCard:
    """The customer's contact card, in one query whatever the number of details."""
    details = list(
        ContactDetail.objects.filter(customer=customer).order_by("created_at", "pk")
    )
    primaries = {detail.kind: detail for detail in details if detail.is_primary}
    return ContactCard(
        primaries=[
            PrimaryRow(kind=kind, label=label, detail=primaries.get(kind))
            for kind, label in ContactDetail.Kind.choices
        ],
        additional=[detail for detail in details if not detail.is_primary],
        version=contact_card_version(details),
    )
