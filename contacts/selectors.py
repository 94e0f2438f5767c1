from dataclasses import dataclass, field

from contacts.models import ContactCardVersion, ContactDetail
from customers.models import Customer


def customer_primary_details(*, customer: Customer) -> dict[str, ContactDetail | None]:
    """The customer's primary email, telephone, mobile and website, by kind (None
    where the customer has none). Communications use these by default."""
    primaries = {kind: None for kind in ContactDetail.Kind.values}
    for detail in ContactDetail.objects.filter(customer=customer, is_primary=True):
        primaries[detail.kind] = detail
    return primaries


def contact_card_version(*, customer: Customer) -> int:
    """The card's version: raised by every write of the customer's details. The
    editing window carries it, so a save based on a card that changed since the window
    opened is refused (contacts.services.contact_details_update)."""
    version = ContactCardVersion.objects.filter(customer_id=customer.pk).values_list(
        "version", flat=True
    )
    return version.first() or 0


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
    )
