"""Writes of contact persons and contact details. Views, the admin, imports and
commands all come through here, so the primary rules and the validation of emails,
phone numbers and websites hold whichever way a change arrives."""

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from contacts.duplicates import Person, find_pairs
from contacts.models import (
    CONTACT_PERSON_FIELDS,
    Contact,
    ContactCardVersion,
    ContactDetail,
    ContactRole,
    NotDuplicate,
    PossibleDuplicate,
)
from contacts.selectors import contact_card_version, outliving_relations
from core.history import step_reason
from core.services import GONE, STALE, EditConflict
from customers.models import Customer
from customers.selectors import customers_with_phone_region


@transaction.atomic
def contact_create(
    *,
    customer: Customer,
    first_name: str,
    last_name: str = "",
    email: str = "",
    phone: str = "",
    job_title: str = "",
    department: str = "",
    language: str = "",
    no_notification_emails: bool = False,
    roles: Iterable[ContactRole] = (),
) -> Contact:
    """Create a contact person; the email and phone are normalised on the way in."""
    lock_customers([customer.pk])
    contact = Contact(
        customer=customer,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        job_title=job_title,
        department=department,
        language=language,
        no_notification_emails=no_notification_emails,
    )
    contact.full_clean()
    contact.save()
    contact.roles.set(roles)
    possible_duplicates_refresh(customer_ids=[customer.pk], changed=[contact.pk])
    return contact


class ContactChanged(EditConflict):
    """The contact changed, or is gone (deleted, merged), since the form was opened."""


STALE_CONTACT_MESSAGE = _(
    "Someone else changed this contact since you opened it, so nothing was saved. "
    "Review the current values below and make your changes again."
)
GONE_CONTACT_MESSAGE = _(
    "This contact no longer exists: it was deleted or merged into another contact."
)


def _lock_contacts(contacts: Collection[Contact]) -> dict[int, Contact]:
    """Lock the contacts' rows (after their customer's: the order every writer
    takes) in key order, and return them as stored; a contact that is gone
    (deleted, merged away) is refused."""
    stored = {
        contact.pk: contact
        for contact in Contact.objects.select_for_update()
        .filter(pk__in=[contact.pk for contact in contacts])
        .order_by("pk")
    }
    if len(stored) < len({contact.pk for contact in contacts}):
        raise ContactChanged(GONE_CONTACT_MESSAGE, code=GONE)
    return stored


@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    data: dict[str, Any],
    roles: Iterable[ContactRole] | None = None,
    version: str | None = None,
) -> Contact:
    """Change a contact's fields, and its roles when `roles` is given.

    `version` is the contact's `version` when the form was opened: a save based on a
    contact that changed since (another user's save, a merge) is refused with
    ContactChanged rather than overwriting what its user has not seen. A contact
    that no longer exists is refused too, never saved back into existence.
    """
    lock_customers([contact.customer_id])
    stored = _lock_contacts([contact])[contact.pk]
    if version is not None and stored.version != version:
        raise ContactChanged(STALE_CONTACT_MESSAGE, code=STALE)
    # The change is applied to the row as stored now, not to the caller's copy: a
    # field the caller did not change keeps what another writer stored meanwhile.
    if (
        Contact.customer.is_cached(contact)
        and contact.customer_id == stored.customer_id
    ):
        stored.customer = contact.customer  # with its billing country, if read
    for field, value in data.items():
        setattr(stored, field, value)
    stored.full_clean()
    stored.save()
    if roles is not None:
        stored.roles.set(roles)
    for model_field in Contact._meta.concrete_fields:
        setattr(contact, model_field.attname, getattr(stored, model_field.attname))
    possible_duplicates_refresh(
        customer_ids=[contact.customer_id], changed=[contact.pk]
    )
    return contact


@transaction.atomic
def contact_save(*, contact: Contact) -> Contact:
    """Store a contact the admin's form has changed and cleaned already (the admin
    builds and validates the instance itself), keeping the possible duplicates of
    its customer, and of the customer it left, current."""
    customer_ids = {contact.customer_id}
    if contact.pk is not None:
        before = Contact.objects.filter(pk=contact.pk).values_list(
            "customer_id", flat=True
        )
        customer_ids.update(before)
    lock_customers(customer_ids)
    if contact.pk is not None:
        _lock_contacts([contact])
    contact.save()
    possible_duplicates_refresh(customer_ids=customer_ids, changed=[contact.pk])
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact) -> None:
    """Delete a contact person; documents assigned it keep their copy of it.

    The contact's row is locked first. A writer assigning this contact (a sales
    document being created or changed) takes the same lock before it writes, so the
    two queue up: a deletion that comes second unassigns the document just saved,
    one that comes first makes the assignment refuse. Without the lock the deletion
    would not see a document being saved at that moment, and PostgreSQL's foreign
    key check would fail one of the two when it commits. Deleting a contact that is
    already gone (a second click) does nothing.
    """
    if Contact.objects.select_for_update().filter(pk=contact.pk).exists():
        # Its possible duplicates and "Not a duplicate" marks go with it (CASCADE).
        contact.delete()


@transaction.atomic
def contacts_bulk_create(
    *,
    contacts: Sequence[tuple[Contact, Collection[ContactRole]]],
    batch_size: int = 1000,
) -> list[Contact]:
    """Create many contact persons, each with its roles, in a few queries: the write
    path of imports.

    Each contact must have passed `full_clean()` already (the importer cleans row by
    row, to report a refused row at its line). Every contact gets its "created"
    history record with no user ("system"), and that record lists the roles the
    contact was created with, as the history of `contact_create` does.
    """
    if not contacts:
        return []
    created = bulk_create_with_history(
        [contact for contact, _roles in contacts], Contact, batch_size=batch_size
    )
    through = Contact.roles.through
    links = through.objects.bulk_create(
        [
            through(contact_id=contact.pk, contactrole_id=role.pk)
            for contact, roles in contacts
            for role in roles
        ],
        batch_size=batch_size,
    )
    roles_of: dict[int, dict[int, int]] = defaultdict(dict)
    for link in links:
        roles_of[link.contact_id][link.contactrole_id] = link.pk
    _record_roles_in_history(roles_of, history_type="+", batch_size=batch_size)
    customer_ids = {contact.customer_id for contact in created}
    lock_customers(customer_ids)  # the order of the writers of one customer
    possible_duplicates_refresh(
        customer_ids=customer_ids, changed=[contact.pk for contact in created]
    )
    return created


# Contact details. Every writer locks the customers it writes, loads their cards,
# changes them in memory, and stores them with `_save_cards`, which applies the one
# primary rule (`apply_primary_rule`) and raises the cards' versions.

DETAIL_FIELDS = ("kind", "value", "description")


def lock_customers(customer_ids: Collection[int]) -> dict[int, Customer]:
    """Lock the customers whose cards are written, in the order of their keys (two
    writers cannot deadlock), so writers of one card queue up: the primary rule reads a
    kind's details and then writes them. They come with their billing country, so the
    phone numbers of their details are read without a query each."""
    customers = {
        customer.pk: customer
        for customer in customers_with_phone_region()
        .select_for_update()
        .filter(pk__in=customer_ids)
        .order_by("pk")
    }
    if len(customers) < len(set(customer_ids)):
        raise Customer.DoesNotExist("The customer no longer exists.")
    return customers


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


class _Card:
    """A customer's contact details as stored (`stored`), and as they are to be
    (`details`): writers add, change and remove details here, in memory."""

    def __init__(self, customer: Customer, details: list[ContactDetail]):
        for detail in details:
            detail.customer = customer  # with its billing country: no query
        self.customer = customer
        self.details = details
        self.stored = {detail.pk: _row(detail) for detail in details}

    @classmethod
    def load(cls, customers: Iterable[Customer]) -> dict[int, "_Card"]:
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


def _save_cards(
    cards: Iterable[_Card], batch_size: int | None = None
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


def _card_of(customer_id: int) -> _Card:
    customer = lock_customers([customer_id])[customer_id]
    return _Card.load([customer])[customer_id]


@transaction.atomic
def contact_detail_create(
    *, customer: Customer, kind: str, value: str, description: str = ""
) -> ContactDetail:
    """Add a detail to the customer's card. The first of its kind becomes primary."""
    card = _card_of(customer.pk)
    detail = card.add(kind=kind, value=value, description=description)
    detail.full_clean(exclude=["customer"])
    _save_cards([card])
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
    _save_cards([card])
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
        _save_cards([card])


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
    card_version: int,
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
      card changed since, the save is refused with `ContactCardChanged`, so nobody
      overwrites values they have not seen.

    Refused input raises one ValidationError keyed by row (see `_RowErrors`); nothing
    is saved then. Returns the details it wrote (changed or added), so the window can
    warn about what was just typed (`ContactDetail.type_warning`).
    """
    card = _card_of(customer.pk)
    if contact_card_version(customer=card.customer) != card_version:
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
    return _save_cards([card])


def _apply_primary_field(
    card: _Card, kind: str, row: DetailInput, errors: _RowErrors
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


@transaction.atomic
def contact_details_bulk_create(
    *, details: Sequence[ContactDetail], batch_size: int = 1000
) -> list[ContactDetail]:
    """Add many details to their customers' cards in a few queries: the write path
    of imports.

    Each detail must have passed `full_clean()` already. The primary rule applies as
    for `contact_detail_create`, in the order given: a detail becomes primary when its
    customer has no detail of its kind yet, so the first of a kind is primary and an
    existing primary stays. Every detail gets its "created" history record with no
    user ("system").
    """
    if not details:
        return []
    customers = lock_customers({detail.customer_id for detail in details})
    cards = _Card.load(customers.values())
    for detail in details:
        cards[detail.customer_id].details.append(detail)
    _save_cards(cards.values(), batch_size=batch_size)
    return list(details)


# Possible duplicates and merging. The pairs are derived data: every writer of
# contacts refreshes those of the contacts it wrote, under the customer's lock (so two
# writers of one customer each see the other's contacts), in a fixed number of
# queries.


def possible_duplicates_refresh(
    *, customer_ids: Collection[int], changed: Collection[int] | None = None
) -> None:
    """Store the possible duplicates of the customers' contacts again, those that
    involve a `changed` contact only when given (contacts.duplicates is the rule).
    A pair still found keeps when it was first found; a pair marked "Not a
    duplicate" is left out. Three to five queries, whatever the number of pairs."""
    people: dict[int, list[Person]] = defaultdict(list)
    rows = Contact.objects.filter(customer_id__in=customer_ids).values_list(
        "customer_id", "pk", "first_name", "last_name", "email", "phone"
    )
    for customer_id, *fields in rows:
        people[customer_id].append(Person(*fields))
    findings = {
        (finding.a, finding.b): (customer_id, finding)
        for customer_id, persons in people.items()
        for finding in find_pairs(persons, changed=changed)
    }
    scope = PossibleDuplicate.objects.filter(customer_id__in=customer_ids)
    dismissed = NotDuplicate.objects.filter(customer_id__in=customer_ids)
    if changed is not None:
        changed = list(changed)
        involved = Q(contact_a__in=changed) | Q(contact_b__in=changed)
        scope, dismissed = scope.filter(involved), dismissed.filter(involved)
    for pair in dismissed.values_list("contact_a_id", "contact_b_id"):
        findings.pop(pair, None)
    stored = {(pair.contact_a_id, pair.contact_b_id): pair for pair in scope}
    gone = [pair.pk for key, pair in stored.items() if key not in findings]
    if gone:
        PossibleDuplicate.objects.filter(pk__in=gone).delete()
    now, new, changed_pairs = timezone.now(), [], []
    for key, (customer_id, finding) in findings.items():
        pair = stored.get(key)
        if pair is None:
            pair = PossibleDuplicate(
                customer_id=customer_id,
                contact_a_id=finding.a,
                contact_b_id=finding.b,
                found_at=now,
            )
            new.append(pair)
        elif (pair.same_email, pair.same_phone, pair.name_similarity) != (
            finding.same_email,
            finding.same_phone,
            finding.name_similarity,
        ):
            changed_pairs.append(pair)
        pair.same_email = finding.same_email
        pair.same_phone = finding.same_phone
        pair.name_similarity = finding.name_similarity
    if new:
        PossibleDuplicate.objects.bulk_create(new)
    if changed_pairs:
        PossibleDuplicate.objects.bulk_update(
            changed_pairs, ["same_email", "same_phone", "name_similarity"]
        )


@transaction.atomic
def not_duplicate_mark(*, pair: PossibleDuplicate) -> NotDuplicate:
    """Remember that the pair's two contacts are different people: the pair is not
    proposed again, whatever they change later."""
    lock_customers([pair.customer_id])
    marked, _ = NotDuplicate.objects.get_or_create(
        contact_a_id=pair.contact_a_id,
        contact_b_id=pair.contact_b_id,
        defaults={"customer_id": pair.customer_id},
    )
    PossibleDuplicate.objects.filter(pk=pair.pk).delete()
    return marked


@transaction.atomic
def not_duplicate_unmark(*, mark: NotDuplicate) -> None:
    """Forget a "Not a duplicate" (an administrator's undo): the pair is proposed
    again at once if its contacts still look alike."""
    lock_customers([mark.customer_id])
    mark.delete()
    possible_duplicates_refresh(
        customer_ids=[mark.customer_id], changed=[mark.contact_a_id, mark.contact_b_id]
    )


STALE_MERGE_MESSAGE = _(
    "One of the two contacts changed since you opened the preview, so nothing was "
    "merged. Review the current values below and merge again."
)


def merge_defaults(*, keep: Contact, merge_away: Contact) -> dict[str, str]:
    """The value each field keeps unless the user picks the other: the non-empty
    one, and of two, the value of the contact changed most recently."""
    recent, other = (
        (merge_away, keep)
        if merge_away.updated_at > keep.updated_at
        else (keep, merge_away)
    )
    return {
        name: getattr(recent, name) or getattr(other, name)
        for name in CONTACT_PERSON_FIELDS
    }


def merge_summary(*, keep: Contact, merge_away: Contact) -> str:
    """What the merge did, as the Activity Log stores it: in English, whatever the
    language of the user who merged (contacts.views says it in the user's)."""
    return f"Merged {merge_away.full_name} into {keep.full_name}"


@transaction.atomic
def contacts_merge(
    *,
    keep: Contact,
    merge_away: Contact,
    values: Mapping[str, str],
    user: Any = None,
    keep_version: str | None = None,
    merge_away_version: str | None = None,
) -> Contact:
    """Merge `merge_away` into `keep`, two contacts of one customer, all or nothing.

    - `values` are the field values the user picked, each one of the two contacts'
      values for that field; a field left out takes `merge_defaults`.
    - The roles of both are kept (their union).
    - Whatever outlives a deleted contact (a foreign key with SET_NULL: the sales
      documents) now points to `keep`, with its history; the documents' snapshots
      (the contact's name, email and phone when assigned) are left exactly as they
      were. Rows that die with a contact (CASCADE: its possible-duplicate pairs) go
      with `merge_away`, which is deleted.
    - The kept contact's history record carries the one Activity Log entry: "Merged
      Ana Berg into Anna Berg", with the values that were dropped. The other records
      the merge writes are marked as its steps (core.history.step_reason).
    - The customer and both contacts are locked; `keep_version` and
      `merge_away_version` (the contacts' `version` in the preview) refuse a merge
      of contacts that changed since, with ContactChanged.
    """
    if keep.pk == merge_away.pk:
        raise ValidationError(_("A contact cannot be merged into itself."), code="same")
    if keep.customer_id != merge_away.customer_id:
        raise ValidationError(
            _("Only contacts of one customer can be merged."), code="other_customer"
        )
    lock_customers([keep.customer_id])
    stored = _lock_contacts([keep, merge_away])
    keep, merge_away = stored[keep.pk], stored[merge_away.pk]
    if keep.customer_id != merge_away.customer_id:
        raise ContactChanged(STALE_MERGE_MESSAGE, code="stale_merge")
    for contact, version in ((keep, keep_version), (merge_away, merge_away_version)):
        if version is not None and contact.version != version:
            raise ContactChanged(STALE_MERGE_MESSAGE, code="stale_merge")
    chosen, dropped = _merge_choices(keep=keep, merge_away=merge_away, values=values)
    _merge_write(
        keep=keep, merge_away=merge_away, chosen=chosen, dropped=dropped, user=user
    )
    possible_duplicates_refresh(customer_ids=[keep.customer_id], changed=[keep.pk])
    return keep


def _merge_write(
    *,
    keep: Contact,
    merge_away: Contact,
    chosen: dict[str, str],
    dropped: list[str],
    user: Any,
) -> None:
    """The merge's writes, under its locks: the references moved, `merge_away`
    deleted, `keep` saved with the chosen values and the united roles, and the one
    history record that says what happened."""
    summary = merge_summary(keep=keep, merge_away=merge_away)
    step = step_reason(f"merging contact {merge_away.pk} into contact {keep.pk}")
    moved = _repoint_references(merge_away=merge_away, keep=keep, user=user, step=step)
    roles = {*keep.roles.all(), *merge_away.roles.all()}
    merge_away._change_reason = step
    if user is not None:
        merge_away._history_user = keep._history_user = user
    merge_away.delete()
    for name in CONTACT_PERSON_FIELDS:
        setattr(keep, name, chosen[name])
    keep.full_clean()
    # The roles are written without a record of their own: the merge's one record,
    # saved next, lists them.
    keep.skip_history_when_saving = True
    try:
        keep.roles.set(roles)
    finally:
        del keep.skip_history_when_saving
    lines = [f"{summary}."]
    if dropped:
        lines.append("Dropped: " + "; ".join(dropped) + ".")
    if moved:
        lines.append(f"{moved} document(s) now point to {keep.full_name}.")
    # The merge's one Activity Log entry.
    keep._change_reason = "\n".join(lines)
    keep.save()
    del keep._change_reason


def _merge_choices(
    *, keep: Contact, merge_away: Contact, values: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """The value each field keeps (the user's pick, else `merge_defaults`), and the
    values the merge drops ("Email address: ana@x.example"). A pick that is neither
    contact's value now means a contact changed since the preview."""
    chosen = {**merge_defaults(keep=keep, merge_away=merge_away), **values}
    unknown = set(chosen) - set(CONTACT_PERSON_FIELDS)
    if unknown:
        raise ValueError(f"Not a field a merge chooses: {', '.join(sorted(unknown))}.")
    dropped = []
    for name in CONTACT_PERSON_FIELDS:
        offered = {getattr(keep, name), getattr(merge_away, name)}
        if chosen[name] not in offered:
            raise ContactChanged(STALE_MERGE_MESSAGE, code="stale_merge")
        # Stored in the history: in English, whoever reads it later.
        with translation.override("en"):
            label = str(Contact._meta.get_field(name).verbose_name).capitalize()
        dropped += [
            f"{label}: {value}" for value in sorted(offered - {"", chosen[name]})
        ]
    return chosen, dropped


def _repoint_references(
    *, merge_away: Contact, keep: Contact, user: Any, step: str
) -> int:
    """Point every row that would outlive `merge_away` (a foreign key to Contact
    with on_delete=SET_NULL) at `keep`: only the key and the row's updated_at are
    written, with a history record marked as a step of the merge. Returns how many
    rows moved."""
    moved = 0
    for relation in outliving_relations():
        model, field = relation.related_model, relation.field
        rows = list(
            model._default_manager.select_for_update()
            .filter(**{field.name: merge_away})
            .order_by("pk")
        )
        if not rows:
            continue
        fields = [field.name]
        for row in rows:
            setattr(row, field.name, keep)
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            fields.append("updated_at")
            now = timezone.now()
            for row in rows:
                row.updated_at = now
        if hasattr(model._meta, "simple_history_manager_attribute"):
            bulk_update_with_history(
                rows, model, fields, default_user=user, default_change_reason=step
            )
        else:
            model._default_manager.bulk_update(rows, fields)
        moved += len(rows)
    return moved


def _replace_roles(
    contacts: Sequence[Contact], *, wanted: dict[int, set[int]], batch_size: int
) -> dict[int, dict[int, int]]:
    """Give each contact in `wanted` exactly those roles (the others keep theirs);
    return every contact's roles after it, as {contact: {role: link}}."""
    through = Contact.roles.through
    current: dict[int, dict[int, int]] = defaultdict(dict)
    for link_id, contact_id, role_id in through.objects.filter(
        contact_id__in=[contact.pk for contact in contacts]
    ).values_list("pk", "contact_id", "contactrole_id"):
        current[contact_id][role_id] = link_id
    gone = [
        link_id
        for contact_id, role_ids in wanted.items()
        for role_id, link_id in current[contact_id].items()
        if role_id not in role_ids
    ]
    if gone:
        # The link table has no history of its own: the role history is the
        # snapshot on each contact's record (_record_roles_in_history).
        through.objects.filter(pk__in=gone).delete()
    added = through.objects.bulk_create(
        [
            through(contact_id=contact_id, contactrole_id=role_id)
            for contact_id, role_ids in wanted.items()
            for role_id in role_ids - current[contact_id].keys()
        ],
        batch_size=batch_size,
    )
    after = {
        contact.pk: {
            role_id: link_id
            for role_id, link_id in current[contact.pk].items()
            if contact.pk not in wanted or role_id in wanted[contact.pk]
        }
        for contact in contacts
    }
    for link in added:
        after[link.contact_id][link.contactrole_id] = link.pk
    return after


def _record_roles_in_history(
    roles_of: dict[int, dict[int, int]], *, history_type: str, batch_size: int
) -> None:
    """Put each contact's roles ({contact: {role: link}}) on its newest history
    record of the type, as simple-history does for a save: its bulk helpers write
    no history of many-to-many rows."""
    if not roles_of:
        return
    history_ids = dict(
        Contact.history.filter(id__in=roles_of, history_type=history_type)
        .values("id")
        .annotate(latest=Max("history_id"))
        .values_list("id", "latest")
    )
    role_history = apps.get_model("contacts", "HistoricalContact_roles")
    role_history.objects.bulk_create(
        [
            role_history(
                history_id=history_ids[contact_id],
                id=link_id,
                contact_id=contact_id,
                contactrole_id=role_id,
            )
            for contact_id, roles in roles_of.items()
            for role_id, link_id in roles.items()
        ],
        batch_size=batch_size,
    )


@transaction.atomic
def contacts_bulk_update(
    *,
    contacts: Sequence[tuple[Contact, Collection[ContactRole] | None]],
    batch_size: int = 1000,
) -> None:
    """Save changed contact persons, and the roles given (None: roles left as they
    are), in a few queries: the write path of `import_contacts --update`.

    Each contact must have passed `full_clean()` already. As every writer of
    contacts, it locks their customers, then the contacts (one deleted or merged
    meanwhile is refused), and refreshes their possible duplicates. Every contact
    gets its "changed" history record with no user ("system"), and that record lists
    the contact's roles after the change, as simple-history does for
    `contact_update`, so the Activity Log shows a role change as one.
    """
    if not contacts:
        return
    customer_ids = {contact.customer_id for contact, _roles in contacts}
    lock_customers(customer_ids)
    _lock_contacts([contact for contact, _roles in contacts])
    now = timezone.now()
    for contact, _roles in contacts:
        contact.updated_at = now
    objects = [contact for contact, _roles in contacts]
    bulk_update_with_history(
        objects,
        Contact,
        fields=[*CONTACT_PERSON_FIELDS, "updated_at"],
        batch_size=batch_size,
        default_date=now,
    )
    wanted = {
        contact.pk: {role.pk for role in roles}
        for contact, roles in contacts
        if roles is not None
    }
    roles_after = _replace_roles(objects, wanted=wanted, batch_size=batch_size)
    _record_roles_in_history(roles_after, history_type="~", batch_size=batch_size)
    possible_duplicates_refresh(customer_ids=customer_ids, changed=list(roles_after))


@transaction.atomic
def contact_details_bulk_update(
    *, details: Sequence[ContactDetail], batch_size: int = 1000
) -> None:
    """Save a new value or description of many stored details in a few queries: the
    write path of `import_contact_details --update`. Their kind and primary flag stay
    as they are; like every writer of details, it locks the customers, stores their
    cards through the primary rule and raises the cards' versions.

    Each detail must have passed `full_clean()` already. Every changed detail gets
    its "changed" history record with no user ("system").
    """
    if not details:
        return
    customers = lock_customers({detail.customer_id for detail in details})
    cards = _Card.load(customers.values())
    for detail in details:
        stored = cards[detail.customer_id].get(detail.pk)
        if stored is None:
            raise ContactDetail.DoesNotExist("The contact detail no longer exists.")
        stored.value, stored.description = detail.value, detail.description
    _save_cards(cards.values(), batch_size=batch_size)
