"""Writes of the contact card. Every writer locks the customers it writes, loads their
cards, changes them in memory, and stores them with `save_cards`, which applies the one
primary rule (`apply_primary_rule`) and raises the cards' versions."""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from contacts.models import (
    ContactCardVersion,
    ContactDetail,
)
from contacts.selectors import contact_card_version
from core.services import changed_since
from customers.models import Customer
from customers.services import lock_customers

DETAIL_FIELDS = ("kind", "value", "description")


def apply_primary_rule(details: Sequence[ContactDetail]) -> None:
    """The one primary rule, over one customer's details as they are to be stored.

    Per kind, the detail that is primary stays primary; a kind without one gets its
    oldest detail (stored ones by creation, then new ones in the order given). So the
    first detail of a kind becomes primary, and removing a primary promotes the oldest
    remaining. Writers never choose a primary: they only keep a primary's flag when
    they change it in place, and clear it when a detail moves to another kind.
    """
    by_kind: dict[str, list[tuple[tuple, ContactDetail]]] = defaultdict(list)
    for index, detail in enumerate(details):
        age = (0, detail.created_at, detail.pk) if detail.pk else (1, index)
        by_kind[detail.kind].append((age, detail))
    for aged in by_kind.values():
        aged.sort(key=lambda pair: pair[0])
        primaries = [detail for _age, detail in aged if detail.is_primary]
        keep = primaries[0] if primaries else aged[0][1]
        for _age, detail in aged:
            detail.is_primary = detail is keep


def _row(detail: ContactDetail) -> tuple:
    return (detail.kind, detail.value, detail.description, detail.is_primary)


class Card:
    """A customer's contact details as stored (`stored`), and as they are to be
    (`details`): writers add, change and remove details here, in memory."""

    def __init__(self, customer: Customer, details: list[ContactDetail]):
        for detail in details:
            detail.customer = customer  # with its billing country: no query
        self.customer = customer
        self.details = details
        self.stored = {detail.pk: _row(detail) for detail in details}

    @classmethod
    def load(cls, customers: Iterable[Customer]) -> dict[int, "Card"]:
        customers = {customer.pk: customer for customer in customers}
        details = defaultdict(list)
        for detail in ContactDetail.objects.filter(customer__in=customers).order_by(
            "created_at", "pk"
        ):
            details[detail.customer_id].append(detail)
        return {pk: cls(customer, details[pk]) for pk, customer in customers.items()}

    def get(self, pk: int) -> ContactDetail | None:
        return next((detail for detail in self.details if detail.pk == pk), None)

    def primary(self, kind: str) -> ContactDetail | None:
        return next((d for d in self.details if d.kind == kind and d.is_primary), None)

    def add(self, **fields: Any) -> ContactDetail:
        detail = ContactDetail(customer=self.customer, **fields)
        self.details.append(detail)
        return detail

    def remove(self, detail: ContactDetail) -> None:
        self.details.remove(detail)


def save_cards(
    cards: Iterable[Card], batch_size: int | None = None
) -> list[ContactDetail]:
    """Store the cards as they are to be, the primary rule applied: removals first,
    then rows that lose or keep no primary flag, then those that hold it, then new
    rows, so the database's one-primary-per-kind constraint holds at every step. A
    fixed number of queries whatever the number of details (each removal writes its
    own history record); unchanged rows are not written. Returns the details it
    wrote (changed or added)."""
    removed, losing, holding, added, touched = [], [], [], [], []
    for card in cards:
        apply_primary_rule(card.details)
        kept = {detail.pk for detail in card.details if detail.pk}
        gone = [pk for pk in card.stored if pk not in kept]
        new = [detail for detail in card.details if detail.pk is None]
        changed = [
            detail
            for detail in card.details
            if detail.pk is not None and _row(detail) != card.stored[detail.pk]
        ]
        if gone or new or changed:
            touched.append(card.customer.pk)
        removed += gone
        added += new
        losing += [detail for detail in changed if not detail.is_primary]
        holding += [detail for detail in changed if detail.is_primary]
    if removed:
        ContactDetail.objects.filter(pk__in=removed).delete()
    now = timezone.now()
    for group in (losing, holding):
        for detail in group:
            detail.updated_at = now
        if group:
            fields = [*DETAIL_FIELDS, "is_primary", "updated_at"]
            bulk_update_with_history(group, ContactDetail, fields, batch_size)
    if added:
        bulk_create_with_history(added, ContactDetail, batch_size=batch_size)
    _raise_card_versions(touched)
    return [*losing, *holding, *added]


def _raise_card_versions(customer_ids: list[int]) -> None:
    if not customer_ids:
        return
    raised = ContactCardVersion.objects.filter(customer_id__in=customer_ids).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if raised < len(customer_ids):
        existing = set(
            ContactCardVersion.objects.filter(customer_id__in=customer_ids).values_list(
                "customer_id", flat=True
            )
        )
        ContactCardVersion.objects.bulk_create(
            ContactCardVersion(customer_id=pk, version=1)
            for pk in customer_ids
            if pk not in existing
        )


def _card_of(customer_id: int) -> Card:
    customer = lock_customers([customer_id])[customer_id]
    return Card.load([customer])[customer_id]


@transaction.atomic
def contact_detail_create(
    *, customer: Customer, kind: str, value: str, description: str = ""
) -> ContactDetail:
    """Add a detail to the customer's card. The first of its kind becomes primary."""
    card = _card_of(customer.pk)
    detail = card.add(kind=kind, value=value, description=description)
    detail.full_clean(exclude=["customer"])
    save_cards([card])
    return detail


@transaction.atomic
def contact_detail_update(
    *, detail: ContactDetail, data: dict[str, Any]
) -> ContactDetail:
    """Change a detail's kind, value or description. A change of kind moves it: it
    leaves the old kind (which promotes another primary) and joins the new one as an
    additional detail, or as its primary if it is the first.

    The primary flag is never taken from the caller: it is read again under the lock,
    so an instance loaded before another write (a promotion) cannot undo it.
    """
    unknown = set(data) - set(DETAIL_FIELDS)
    if unknown:
        raise ValueError(
            f"Only {', '.join(DETAIL_FIELDS)} can be changed; the primary flag "
            f"follows the rules. Not: {', '.join(sorted(unknown))}."
        )
    card = _card_of(detail.customer_id)
    stored = card.get(detail.pk)
    if stored is None:
        raise ContactDetail.DoesNotExist("The contact detail no longer exists.")
    old_kind = stored.kind
    for name, value in data.items():
        setattr(stored, name, value)
    if stored.kind != old_kind:
        stored.is_primary = False
    stored.full_clean(exclude=["customer"])
    save_cards([card])
    for name in (*DETAIL_FIELDS, "is_primary", "updated_at"):
        setattr(detail, name, getattr(stored, name))
    return detail


@transaction.atomic
def contact_detail_delete(*, detail: ContactDetail) -> None:
    """Remove a detail; if it was the primary, the oldest of its kind takes over."""
    card = _card_of(detail.customer_id)
    stored = card.get(detail.pk)
    if stored is not None:
        card.remove(stored)
        save_cards([card])


class ContactCardChanged(ValidationError):
    """The card changed since the editing window opened; the save is refused."""


STALE_CARD_MESSAGE = _(
    "Someone else changed this contact card since you opened it, so nothing was "
    "saved. Review the current values below and make your changes again."
)


@dataclass(frozen=True)
class DetailInput:
    """One row of the editing window: `pk` names an existing additional detail."""

    kind: str
    value: str
    description: str = ""
    pk: int | None = None


class _RowErrors:
    """What is wrong with the window's rows, keyed by row, not by the form's field
    names: `primary.<kind>.<field>` and `additional.<index>.<field>`."""

    def __init__(self):
        self.errors: dict[str, list[ValidationError]] = defaultdict(list)

    def add(self, key: str, message: str, code: str) -> None:
        self.errors[key].append(ValidationError(message, code=code))

    def check(self, detail: ContactDetail, row: str) -> None:
        try:
            detail.full_clean(exclude=["customer"], validate_constraints=False)
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                name = field if field in DETAIL_FIELDS else "value"
                self.errors[f"{row}.{name}"].extend(errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(dict(self.errors))


@transaction.atomic
def contact_details_update(
    *,
    customer: Customer,
    primaries: Mapping[str, DetailInput],
    additional: Sequence[DetailInput],
    card_version: str | None,
) -> list[ContactDetail]:
    """Save the whole contact card from the editing window at once, all or nothing.

    - `primaries`, by kind, are the primary fields (Email, Telephone, Mobile,
      Website). A value typed there changes the primary detail of that kind in place:
      it stays the primary, and no other detail of the kind is touched or promoted.
      Where the kind has no detail yet, the value becomes its primary. An emptied
      field removes the primary; the oldest remaining detail of the kind (the
      additional ones included) becomes primary. A kind left out is left alone.
    - `additional` are the other details: rows with a `pk` change that detail, rows
      without add one, and every existing additional detail not listed is removed.
    - `card_version` is `contact_card_version` of the card the window showed. If the
      card changed since, or the version is missing or unreadable
      (`core.services.changed_since`), the save is refused with
      `ContactCardChanged`, so nobody overwrites values they have not seen.

    Refused input raises one ValidationError keyed by row (see `_RowErrors`); nothing
    is saved then. Returns the details it wrote (changed or added), so the window can
    warn about what was just typed (`ContactDetail.type_warning`).
    """
    card = _card_of(customer.pk)
    if changed_since(contact_card_version(customer=card.customer), card_version):
        raise ContactCardChanged(STALE_CARD_MESSAGE, code="stale_card")
    others = {detail.pk: detail for detail in card.details if not detail.is_primary}
    errors = _RowErrors()
    for kind, row in primaries.items():
        _apply_primary_field(card, kind, row, errors)
    listed = {row.pk for row in additional if row.pk is not None}
    if not listed <= others.keys():
        # Not an additional detail of this customer (any more).
        raise ContactCardChanged(STALE_CARD_MESSAGE, code="stale_card")
    for pk in others.keys() - listed:
        card.remove(others[pk])
    for index, row in enumerate(additional):
        detail = others[row.pk] if row.pk is not None else card.add(kind=row.kind)
        _apply_row(detail, row, f"additional.{index}", errors)
    errors.raise_if_any()
    return save_cards([card])


def _apply_primary_field(
    card: Card, kind: str, row: DetailInput, errors: _RowErrors
) -> None:
    current = card.primary(kind)
    if row.value.strip():
        detail = current or card.add(kind=kind, is_primary=True)
        _apply_row(detail, row, f"primary.{kind}", errors)
    elif row.description.strip():
        errors.add(
            f"primary.{kind}.value",
            _("Enter a value for this description, or clear both."),
            code="description_without_value",
        )
    elif current is not None:
        card.remove(current)


def _apply_row(
    detail: ContactDetail, row: DetailInput, key: str, errors: _RowErrors
) -> None:
    if detail.kind != row.kind:
        detail.kind, detail.is_primary = row.kind, False
    detail.value, detail.description = row.value.strip(), row.description.strip()
    if detail.value:
        errors.check(detail, key)
    else:
        errors.add(
            f"{key}.value", _("Enter a value, or remove the row."), "value_required"
        )
