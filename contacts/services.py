"""Writes of contact persons and contact details. Views, the admin, imports and
commands all come through here, so the primary rules and the validation of emails,
phone numbers and websites hold whichever way a change arrives."""

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from contacts.models import (
    OPTIONAL_CONTACT_FIELDS,
    Contact,
    ContactDetail,
    ContactRole,
)
from contacts.selectors import contact_card_version
from customers.models import Customer


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
    roles: Iterable[ContactRole] = (),
) -> Contact:
    """Create a contact person; the email and phone are normalised on the way in."""
    contact = Contact(
        customer=customer,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        job_title=job_title,
        department=department,
    )
    contact.full_clean()
    contact.save()
    contact.roles.set(roles)
    return contact


@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    data: dict[str, Any],
    roles: Iterable[ContactRole] | None = None,
) -> Contact:
    """Change a contact's fields, and its roles when `roles` is given."""
    for field, value in data.items():
        setattr(contact, field, value)
    contact.full_clean()
    contact.save()
    if roles is not None:
        contact.roles.set(roles)
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact) -> None:
    contact.delete()


def _lock_customer(customer: Customer) -> None:
    """Serialise writers of one customer's contact details: the primary rules read
    the details of a kind and then write them, and must not interleave."""
    if not Customer.objects.select_for_update().filter(pk=customer.pk).exists():
        raise Customer.DoesNotExist("The customer no longer exists.")


def contact_details_ensure_primary(*, customer: Customer, kind: str) -> None:
    """Make the oldest detail of the kind primary when none of that kind is.

    Callers hold the customer's lock (see `_lock_customer`).
    """
    details = ContactDetail.objects.filter(customer=customer, kind=kind)
    if details.filter(is_primary=True).exists():
        return
    oldest = details.order_by("created_at", "pk").first()
    if oldest is not None:
        oldest.is_primary = True
        oldest.save(update_fields=["is_primary", "updated_at"])


def _has_primary(*, customer: Customer, kind: str) -> bool:
    return ContactDetail.objects.filter(
        customer=customer, kind=kind, is_primary=True
    ).exists()


@transaction.atomic
def contact_detail_create(
    *, customer: Customer, kind: str, value: str, description: str = ""
) -> ContactDetail:
    """Add a detail to the customer's card. The first of its kind becomes primary."""
    _lock_customer(customer)
    detail = ContactDetail(
        customer=customer, kind=kind, value=value, description=description
    )
    detail.full_clean()
    detail.is_primary = not _has_primary(customer=customer, kind=kind)
    detail.save()
    return detail


DETAIL_FIELDS = ("kind", "value", "description")


@transaction.atomic
def contact_detail_update(
    *, detail: ContactDetail, data: dict[str, Any]
) -> ContactDetail:
    """Change a detail's kind, value or description. A change of kind moves it: it
    leaves the old kind (which promotes another primary) and joins the new one.

    The primary flag is never taken from the caller: it is read again under the lock,
    so an instance loaded before another write (a promotion) cannot undo it.
    """
    unknown = set(data) - set(DETAIL_FIELDS)
    if unknown:
        raise ValueError(
            f"Only {', '.join(DETAIL_FIELDS)} can be changed; the primary flag "
            f"follows the rules. Not: {', '.join(sorted(unknown))}."
        )
    _lock_customer(detail.customer)
    stored = ContactDetail.objects.get(pk=detail.pk)
    old_kind = stored.kind
    detail.is_primary = stored.is_primary
    for name, value in data.items():
        setattr(detail, name, value)
    if detail.kind != old_kind:
        # It joins its new kind as an additional detail, or as its first: primary.
        detail.is_primary = False
    detail.full_clean()
    if detail.kind != old_kind:
        detail.save()
        contact_details_ensure_primary(customer=detail.customer, kind=old_kind)
        contact_details_ensure_primary(customer=detail.customer, kind=detail.kind)
        detail.refresh_from_db(fields=["is_primary", "updated_at"])
    else:
        detail.save()
    return detail


@transaction.atomic
def contact_detail_delete(*, detail: ContactDetail) -> None:
    """Remove a detail; if it was the primary, the oldest of its kind takes over."""
    _lock_customer(detail.customer)
    kind = ContactDetail.objects.filter(pk=detail.pk).values_list("kind", flat=True)
    kind = kind.first() or detail.kind
    detail.delete()
    contact_details_ensure_primary(customer=detail.customer, kind=kind)


class ContactCardChanged(ValidationError):
    """The card changed since the editing window opened; the save is refused."""


STALE_CARD_MESSAGE = (
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


@transaction.atomic
def contact_details_update(
    *,
    customer: Customer,
    primaries: Mapping[str, DetailInput],
    additional: Sequence[DetailInput],
    card_version: str,
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
      Nobody chooses a primary: the flags follow the rules in this module.
    - `card_version` is `contact_card_version` of the card the window showed. If the
      card changed since, the save is refused with `ContactCardChanged`, so nobody
      overwrites values they have not seen.

    Refused input raises one ValidationError with an entry per field: `<kind>` and
    `<kind>_description` for the primary fields, `additional-<index>-<field>` for
    the rows (index into `additional`). Nothing is saved then.
    """
    _lock_customer(customer)
    stored = list(ContactDetail.objects.filter(customer=customer))
    if contact_card_version(stored) != card_version:
        raise ContactCardChanged(STALE_CARD_MESSAGE, code="stale_card")
    primary_of = {detail.kind: detail for detail in stored if detail.is_primary}
    others = {detail.pk: detail for detail in stored if not detail.is_primary}

    errors: dict[str, list[ValidationError]] = {}
    deletions: list[ContactDetail] = []
    changes: list[ContactDetail] = []
    new_primaries: list[ContactDetail] = []
    new_others: list[ContactDetail] = []

    def check(detail: ContactDetail, keys: dict[str, str]) -> None:
        if not detail.value.strip():
            errors.setdefault(keys["value"], []).append(
                ValidationError(
                    "Enter a value, or remove the row.", code="value_required"
                )
            )
            return
        try:
            detail.full_clean(exclude=["customer"], validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                key = keys.get(name, keys["value"])
                errors.setdefault(key, []).extend(
                    ValidationError(message) for message in messages
                )

    for kind, row in primaries.items():
        current = primary_of.get(kind)
        value, description = row.value.strip(), row.description.strip()
        if not value:
            if description:
                errors.setdefault(kind, []).append(
                    ValidationError(
                        "Enter a value for this description, or clear both.",
                        code="description_without_value",
                    )
                )
            elif current is not None:
                deletions.append(current)
            continue
        detail = current or ContactDetail(customer=customer, kind=kind)
        detail.value, detail.description = value, description
        check(detail, {"value": kind, "description": f"{kind}_description"})
        (changes if current else new_primaries).append(detail)

    listed: set[int] = set()
    for index, row in enumerate(additional):
        keys = {name: f"additional-{index}-{name}" for name in DETAIL_FIELDS}
        if row.pk is not None:
            detail = others.get(row.pk)
            if detail is None:
                # Not an additional detail of this customer (any more).
                raise ContactCardChanged(STALE_CARD_MESSAGE, code="stale_card")
            listed.add(row.pk)
        else:
            detail = ContactDetail(customer=customer)
        detail.kind = row.kind
        detail.value, detail.description = row.value.strip(), row.description.strip()
        check(detail, keys)
        (changes if row.pk is not None else new_others).append(detail)
    deletions.extend(detail for pk, detail in others.items() if pk not in listed)

    if errors:
        raise ValidationError(errors)

    # The order keeps the constraint satisfied at every step, and lets a value typed
    # in an empty primary field win over an additional row moved to that kind.
    touched = {detail.kind for detail in stored}
    for detail in deletions:
        detail.delete()
    for kind in touched:
        contact_details_ensure_primary(customer=customer, kind=kind)
    for detail in new_primaries:
        detail.is_primary = not _has_primary(customer=customer, kind=detail.kind)
        detail.save()
    for detail in changes:
        original = ContactDetail.objects.get(pk=detail.pk)
        moved = original.kind != detail.kind
        if not moved and (original.value, original.description) == (
            detail.value,
            detail.description,
        ):
            continue
        if moved:
            detail.is_primary = not _has_primary(customer=customer, kind=detail.kind)
        else:
            detail.is_primary = original.is_primary
        detail.save()
    for detail in new_others:
        detail.is_primary = not _has_primary(customer=customer, kind=detail.kind)
        detail.save()
    for kind in touched | {detail.kind for detail in changes}:
        contact_details_ensure_primary(customer=customer, kind=kind)
    return list(ContactDetail.objects.filter(customer=customer))


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
        [contact for contact, _ in contacts], Contact, batch_size=batch_size
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
    if links:
        # bulk_create_with_history writes no history of many-to-many rows: add the
        # role rows to each contact's "created" record, as simple_history does when
        # it records a contact's roles.
        history_ids = dict(
            Contact.history.filter(
                id__in={link.contact_id for link in links}, history_type="+"
            ).values_list("id", "history_id")
        )
        role_history = apps.get_model("contacts", "HistoricalContact_roles")
        role_history.objects.bulk_create(
            [
                role_history(
                    history_id=history_ids[link.contact_id],
                    id=link.pk,
                    contact_id=link.contact_id,
                    contactrole_id=link.contactrole_id,
                )
                for link in links
            ],
            batch_size=batch_size,
        )
    return created


@transaction.atomic
def contact_details_bulk_create(
    *, details: Sequence[ContactDetail], batch_size: int = 1000
) -> list[ContactDetail]:
    """Add many details to their customers' cards in a few queries: the write path
    of imports.

    Each detail must have passed `full_clean()` already. The primary rule is that
    of `contact_detail_create`, applied in the order given: a detail becomes primary
    when its customer has no detail of its kind yet, so the first of a kind is
    primary and an existing primary stays. The customers are locked as there. Every
    detail gets its "created" history record with no user ("system").
    """
    if not details:
        return []
    customer_ids = sorted({detail.customer_id for detail in details})
    # Locked in the order of their keys, so two imports cannot deadlock.
    list(
        Customer.objects.select_for_update()
        .filter(pk__in=customer_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    present = set(
        ContactDetail.objects.filter(customer_id__in=customer_ids)
        .order_by()
        .values_list("customer_id", "kind")
        .distinct()
    )
    for detail in details:
        key = (detail.customer_id, detail.kind)
        detail.is_primary = key not in present
        present.add(key)
    return bulk_create_with_history(details, ContactDetail, batch_size=batch_size)


def customers_lock(*, customer_ids: Collection[int]) -> None:
    """Lock the customers' rows until the transaction ends, in the order of their
    keys, so two writers of the same customers take turns (an import matching rows
    against what is stored must not read while another adds the same rows)."""
    list(
        Customer.objects.select_for_update()
        .filter(pk__in=sorted(customer_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# A contact person's own fields (its customer and roles aside): what an import
# reads and may change.
CONTACT_PERSON_FIELDS = ("first_name", *OPTIONAL_CONTACT_FIELDS)


@transaction.atomic
def contacts_bulk_update(
    *,
    contacts: Sequence[tuple[Contact, Collection[ContactRole] | None]],
    batch_size: int = 1000,
) -> None:
    """Save changed contact persons, and the roles given (None: roles left as they
    are), in a few queries: the write path of `import_contacts --update`.

    Each contact must have passed `full_clean()` already. Every contact gets its
    "changed" history record with no user ("system"), and that record lists the
    contact's roles after the change, as simple-history does for `contact_update`,
    so the Activity Log shows a role change as one.
    """
    if not contacts:
        return
    now = timezone.now()
    for contact, _ in contacts:
        contact.updated_at = now
    objects = [contact for contact, _ in contacts]
    bulk_update_with_history(
        objects,
        Contact,
        fields=[*CONTACT_PERSON_FIELDS, "updated_at"],
        batch_size=batch_size,
        default_date=now,
    )
    through = Contact.roles.through
    wanted = {
        contact.pk: {role.pk for role in roles}
        for contact, roles in contacts
        if roles is not None
    }
    links = through.objects.filter(contact_id__in=[c.pk for c in objects])
    current: dict[int, dict[int, int]] = {}
    for link_id, contact_id, role_id in links.values_list(
        "pk", "contact_id", "contactrole_id"
    ):
        current.setdefault(contact_id, {})[role_id] = link_id
    gone = [
        link_id
        for contact_id, role_ids in wanted.items()
        for role_id, link_id in current.get(contact_id, {}).items()
        if role_id not in role_ids
    ]
    if gone:
        # The link table has no history of its own: the role history is the
        # snapshot on each contact's record, written below.
        through.objects.filter(pk__in=gone).delete()
    added = through.objects.bulk_create(
        [
            through(contact_id=contact_id, contactrole_id=role_id)
            for contact_id, role_ids in wanted.items()
            for role_id in role_ids - current.get(contact_id, {}).keys()
        ],
        batch_size=batch_size,
    )
    roles_after = {
        contact.pk: {
            role_id: link_id
            for role_id, link_id in current.get(contact.pk, {}).items()
            if contact.pk not in wanted or role_id in wanted[contact.pk]
        }
        for contact in objects
    }
    for link in added:
        roles_after[link.contact_id][link.contactrole_id] = link.pk
    history_ids = dict(
        Contact.history.filter(id__in=roles_after, history_type="~")
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
            for contact_id, roles in roles_after.items()
            for role_id, link_id in roles.items()
        ],
        batch_size=batch_size,
    )


@transaction.atomic
def contact_details_bulk_update(
    *, details: Sequence[ContactDetail], batch_size: int = 1000
) -> None:
    """Save a new value or description of many details in a few queries: the write
    path of `import_contact_details --update`. The kind and the primary flag stay
    as they are, so the primary rules are not touched.

    Each detail must have passed `full_clean()` already; the callers hold their
    customers' locks (`customers_lock`). Every detail gets its "changed" history
    record with no user ("system").
    """
    if not details:
        return
    now = timezone.now()
    for detail in details:
        detail.updated_at = now
    bulk_update_with_history(
        details,
        ContactDetail,
        fields=["value", "description", "updated_at"],
        batch_size=batch_size,
        default_date=now,
    )
