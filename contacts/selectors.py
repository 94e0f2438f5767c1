import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from contacts.models import ContactDetail
from customers.models import Customer


def customer_primary_details(*, customer: Customer) -> dict[str, ContactDetail | None]:
    """The customer's primary email, telephone, mobile and website, by kind (None
    where the customer has none). Communications use these by default."""
    primaries = {kind: None for kind in ContactDetail.Kind.values}
    for detail in ContactDetail.objects.filter(customer=customer, is_primary=True):
        primaries[detail.kind] = detail
    return primaries


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
