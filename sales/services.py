"""Writes of sales documents, and sending their notifications. Views, the admin,
the demo data and any import call these, so the numbering, the contact snapshot and
the recipient rules hold whichever way a document arrives."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communications.models import Delivery
from communications.outbox import OutgoingEmail, deliveries_create
from contacts.models import Contact
from core.services import lock_unchanged, sequence_next_value
from customers.models import Customer
from customers.services import lock_customers
from sales.emails import DocumentEmail, document_emails, one_line
from sales.models import SalesDocument
from sales.selectors import Recipient, document_routing, role_name

D = TypeVar("D", bound=SalesDocument)


def document_number_next(*, kind: type[SalesDocument]) -> str:
    """`SO-00001`, `INV-00001`, `SH-00001`: unique under concurrency."""
    value = sequence_next_value(name=f"sales_{kind.KIND}")
    return f"{kind.NUMBER_PREFIX}-{value:05d}"


CONTACT_DELETED_MESSAGE = _("This contact was just deleted. Choose another.")


CUSTOMER_DELETED_MESSAGE = _("This customer no longer exists: someone else deleted it.")


def document_customer_lock(*, customer_id: int) -> None:
    """Lock the document's customer before anything else: the one lock order of the
    product (docs/architecture.md: customer, its contacts, other rows, number
    sequences), so a document written while the customer's contacts are merged or
    edited, or while the customer is deleted in the admin, waits its turn instead
    of deadlocking or failing its foreign key at commit. A customer deleted
    meanwhile is refused with a message."""
    try:
        lock_customers([customer_id])
    except Customer.DoesNotExist as gone:
        raise ValidationError(
            CUSTOMER_DELETED_MESSAGE, code="customer_deleted"
        ) from gone


def document_contact_lock(*, contact: Contact | None) -> Contact | None:
    """The contact to assign, read again under a row lock held until the
    transaction ends; refused at the contact field when it no longer exists.

    Deleting a contact (`contacts.services.links.contact_delete`) takes the same lock
    first, so the two queue up instead of one failing on PostgreSQL's foreign key
    check when it commits: a document saved first keeps the contact until the
    deletion unassigns it (its snapshot stays); a contact deleted first is refused
    here with a message. Locking the contact before anything else (the number
    sequence, the document's row) keeps one order for every writer, so none of
    them can deadlock. The snapshot is copied from the row read here, not from what
    a form loaded earlier. Must run inside a transaction.
    """
    if contact is None:
        return None
    locked = Contact.objects.select_for_update().filter(pk=contact.pk).first()
    if locked is None:
        raise ValidationError(
            {
                "contact": ValidationError(
                    CONTACT_DELETED_MESSAGE, code="contact_deleted"
                )
            }
        )
    return locked


def _copy_contact_snapshot(document: SalesDocument, contact: Contact | None) -> None:
    document.contact = contact
    # A name stored before one-line fields refused line breaks is copied as one line.
    document.contact_name = one_line(contact.full_name) if contact else ""
    document.contact_email = contact.email if contact else ""
    document.contact_phone = contact.phone if contact else ""


@transaction.atomic
def document_create(
    *,
    kind: type[D],
    customer: Customer,
    contact: Contact | None = None,
    **fields: Any,
) -> D:
    """Create a document of the kind with the next number; the assigned contact's
    name, email and phone are copied onto it."""
    return document_create_from(
        document=kind(customer=customer, **fields), contact=contact
    )


@transaction.atomic
def document_create_from(*, document: D, contact: Contact | None = None) -> D:
    """Save a new, unsaved document (built by a form or the admin) the same way."""
    document_customer_lock(customer_id=document.customer_id)
    _copy_contact_snapshot(document, document_contact_lock(contact=contact))
    document.full_clean(exclude=["number"])
    document.number = document_number_next(kind=type(document))
    document.save()
    return document


_KEEP = object()


@transaction.atomic
def document_update(
    *,
    document: D,
    data: dict[str, Any],
    contact: Contact | None | object = _KEEP,
    version: str | None = None,
) -> D:
    """Change a document's fields and, when `contact` is given, its assigned contact
    (else it keeps the one it has).

    The snapshot is taken again only when the assigned contact changes; saving the same
    contact keeps the copy made when it was assigned. Unassigning clears it. The
    contact is locked and read again either way (`document_contact_lock`): a
    contact deleted meanwhile is refused, never written back. Then the document is
    locked (the order every writer takes: contact, then document); a document
    changed since `version` is refused (core.services.lock_unchanged).
    """
    for field, value in data.items():
        setattr(document, field, value)
    if contact is _KEEP:
        # By its key: the instance may hold a copy of a contact deleted since.
        contact = Contact(pk=document.contact_id) if document.contact_id else None
    document_customer_lock(customer_id=document.customer_id)
    contact = document_contact_lock(contact=contact)
    lock_unchanged(document, version=version)
    stored_contact_id = (
        type(document)
        .objects.filter(pk=document.pk)
        .values_list("contact_id", flat=True)
        .get()
    )
    if (contact.pk if contact else None) != stored_contact_id:
        _copy_contact_snapshot(document, contact)
    else:
        document.contact = contact
    document.full_clean()
    document.save()
    return document


def no_recipient_message(*, document: SalesDocument) -> str:
    return gettext(
        "%(document)s was not sent: nobody at %(customer)s has an email address to "
        "send it to. Add a contact with an email address and the %(role)s or Primary "
        "role, assign a contact with an email address, or add an email address to "
        "the customer's contact card."
    ) % {
        "document": document,
        "customer": document.customer.name,
        "role": role_name(document.ROLE_CODE),
    }


@transaction.atomic
def document_send(
    *,
    document: SalesDocument,
    sent_by: AbstractBaseUser | None,
    precondition: Callable[[SalesDocument], None] | None = None,
) -> list[Delivery]:
    """Send the document's notification: record, in this transaction, one delivery
    per recipient (the email in the recipient's language, `sales.emails`) for the
    outbox's worker to send once it commits (communications.outbox), and mark a
    draft sent. Nothing speaks to a mail server here. An address the routing passed
    over because it is suppressed is recorded too, as `suppressed`, so it shows
    among the Failed communications.

    Refused, with a message that says what to add, when nobody would receive it.
    `precondition` runs on the document as stored once it is locked, and may refuse
    by raising (the API's If-Match: a send of a document changed since it was read).
    """
    # The customer first (document_customer_lock: the product's lock order), then
    # each contact a delivery will point at, in the order of their keys, as
    # deleting a contact and assigning one lock it: contact, then document
    # (document_contact_lock). The recipients are planned under the customer's
    # lock, so a merge or an edit of its contacts that came first is seen (a merged
    # document goes to the contact kept). A contact deleted meanwhile is gone when
    # its lock is granted, and the routing below (read again under the document's
    # lock) no longer names it.
    document_customer_lock(customer_id=document.customer_id)
    planned = (
        type(document)
        .objects.select_related("customer", "contact")
        .filter(pk=document.pk)
        .first()
        or document
    )
    locked = _lock_contacts(
        {planned.contact_id}
        | {r.contact_id for r in _routing_contacts(planned)} - {None}
    )
    # One sender at a time per document, so a double click records one sending. The
    # document is read again under its lock (the row only: `of`), with its contact:
    # deleting that contact unassigns it, a write to this row, so the contact stays
    # until the deliveries are recorded.
    current = (
        type(document)
        .objects.select_for_update(of=("self",))
        .select_related("customer", "contact")
        .filter(pk=document.pk)
        .first()
    )
    if current is None:
        raise ValidationError(
            gettext("%(document)s was not sent: it no longer exists.")
            % {"document": document},
            code="document_deleted",
        )
    if precondition is not None:
        precondition(current)
    if document.contact_id is not None and current.contact_id is None:
        raise ValidationError(
            gettext(
                "%(document)s was not sent: its assigned contact was just deleted. "
                "Check who receives it now and send it again."
            )
            % {"document": document},
            code="contact_deleted",
        )
    routing = document_routing(document=current)
    if not routing.recipients:
        raise ValidationError(
            no_recipient_message(document=current), code="no_recipient"
        )
    if (
        {r.contact_id for r in [*routing.recipients, *routing.skipped]}
        - {None}
        - locked
    ):
        # Someone was given the role or an address since the routing was first
        # read: not locked in order, so not sent to unseen.
        raise ValidationError(
            gettext(
                "%(document)s was not sent: who receives it changed just now. Check "
                "who receives it and send it again."
            )
            % {"document": document},
            code="recipients_changed",
        )
    suppressed = [
        Recipient(
            email=skipped.email,
            name=skipped.name,
            reason=skipped.why,
            contact_id=skipped.contact_id,
        )
        for skipped in routing.skipped
        if skipped.suppressed
    ]
    emails = document_emails(document=current, recipients=routing.recipients)
    passed_over = document_emails(document=current, recipients=suppressed)
    deliveries = deliveries_create(
        about=current,
        customer=current.customer,
        requested_by=sent_by,
        emails=[_outgoing(email) for email in emails]
        + [_outgoing(email, suppressed=True) for email in passed_over],
    )
    if current.status == SalesDocument.Status.DRAFT:
        current.status = SalesDocument.Status.SENT
        current.save(update_fields=["status", "updated_at"])
        # The caller's copy shows the new status too.
        document.status, document.updated_at = current.status, current.updated_at
    return deliveries


def _routing_contacts(document: SalesDocument) -> list:
    routing = document_routing(document=document)
    return [*routing.recipients, *routing.skipped]


def _lock_contacts(ids: set[int]) -> set[int]:
    """Lock these contacts, in the order of their keys; the keys of those that
    still exist."""
    return set(
        Contact.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _outgoing(email: DocumentEmail, *, suppressed: bool = False) -> OutgoingEmail:
    recipient = email.recipient
    return OutgoingEmail(
        email=recipient.email,
        name=recipient.name,
        reason=recipient.reason,
        language=email.language,
        subject=email.subject,
        text=email.text,
        html=email.html,
        contact_id=recipient.contact_id,
        suppressed=suppressed,
    )
