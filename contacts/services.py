"""Writes of contact persons and contact details. Views, the admin, imports and
commands all come through here, so the primary rules and the validation of emails,
phone numbers and websites hold whichever way a change arrives."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction

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
