"""Writes of contact persons and contact details. Views, the admin, imports and
commands all come through here, so the primary rules and the validation of emails,
phone numbers and websites hold whichever way a change arrives."""

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from django.apps import apps
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from contacts.models import Contact, ContactDetail, ContactRole
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
    Customer.objects.select_for_update().filter(pk=customer.pk).first()


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
    detail.is_primary = not ContactDetail.objects.filter(
        customer=customer, kind=kind
    ).exists()
    detail.save()
    return detail


@transaction.atomic
def contact_detail_update(
    *, detail: ContactDetail, data: dict[str, Any]
) -> ContactDetail:
    """Change a detail's value or description. A change of kind moves it: it leaves
    the old kind (which promotes another primary) and joins the new one."""
    _lock_customer(detail.customer)
    old_kind = detail.kind
    for field, value in data.items():
        setattr(detail, field, value)
    detail.full_clean()
    if detail.kind != old_kind:
        detail.is_primary = not ContactDetail.objects.filter(
            customer_id=detail.customer_id, kind=detail.kind
        ).exists()
    detail.save()
    if detail.kind != old_kind:
        contact_details_ensure_primary(customer=detail.customer, kind=old_kind)
    return detail


@transaction.atomic
def contact_detail_delete(*, detail: ContactDetail) -> None:
    """Remove a detail; if it was the primary, the oldest of its kind takes over."""
    _lock_customer(detail.customer)
    detail.delete()
    contact_details_ensure_primary(customer=detail.customer, kind=detail.kind)


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
