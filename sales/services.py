"""Writes of sales documents and their sendings. Views, the admin, the demo data and
any import call these, so the numbering, the contact snapshot and the recipient rules
hold whichever way a document arrives."""

import re
import smtplib
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import formats

from contacts.models import Contact
from core.services import sequence_next_value
from customers.models import Customer
from sales.models import SalesDocument, Sending, sending_field_for
from sales.selectors import Recipient, document_recipients

D = TypeVar("D", bound=SalesDocument)


def document_number_next(*, kind: type[SalesDocument]) -> str:
    """`SO-00001`, `INV-00001`, `SH-00001`: unique under concurrency."""
    value = sequence_next_value(name=f"sales_{kind.KIND}")
    return f"{kind.NUMBER_PREFIX}-{value:05d}"


CONTACT_DELETED_MESSAGE = "This contact was just deleted. Choose another."


def document_contact_lock(*, contact: Contact | None) -> Contact | None:
    """The contact to assign, read again under a row lock held until the
    transaction ends; refused at the contact field when it no longer exists.

    Deleting a contact (`contacts.services.contact_delete`) takes the same lock
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
    _copy_contact_snapshot(document, document_contact_lock(contact=contact))
    document.full_clean(exclude=["number"])
    document.number = document_number_next(kind=type(document))
    document.save()
    return document


_KEEP = object()


@transaction.atomic
def document_update(
    *, document: D, data: dict[str, Any], contact: Contact | None | object = _KEEP
) -> D:
    """Change a document's fields and, when `contact` is given, its assigned contact
    (else it keeps the one it has).

    The snapshot is taken again only when the assigned contact changes; saving the same
    contact keeps the copy made when it was assigned. Unassigning clears it. The
    contact is locked and read again either way (`document_contact_lock`): a
    contact deleted meanwhile is refused, never written back.
    """
    for field, value in data.items():
        setattr(document, field, value)
    if contact is _KEEP:
        # By its key: the instance may hold a copy of a contact deleted since.
        contact = Contact(pk=document.contact_id) if document.contact_id else None
    contact = document_contact_lock(contact=contact)
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
    role = document.ROLE_CODE.capitalize()
    return (
        f"{document} was not sent: nobody at {document.customer.name} has an email "
        f"address to send it to. Add a contact with an email address and the {role} "
        "or Primary role, assign a contact with an email address, or add an email "
        "address to the customer's contact card."
    )


# Line breaks, tabs and other control characters: what a mail header cannot hold.
_NOT_ONE_LINE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")


def one_line(text: str) -> str:
    """The text as one line, for a mail header: every run of whitespace and control
    characters becomes one space. Names stored before one-line fields refused line
    breaks may still hold one; in a subject it would make the mail unsendable
    (BadHeaderError)."""
    return _NOT_ONE_LINE.sub(" ", text).strip()


def document_email(
    *, document: SalesDocument, recipients: list[Recipient]
) -> EmailMessage:
    """The notification: a plain-text email naming the customer and the document."""
    customer = document.customer
    subject = one_line(f"{document.NOTIFICATION} {document.number} for {customer.name}")
    greeting = f"Dear {recipients[0].name}," if len(recipients) == 1 else "Dear all,"
    lines = [
        greeting,
        "",
        f"{document.NOTIFICATION} {document.number} for {customer.name} "
        f"(customer {customer.number}).",
        "",
        f"Date: {formats.date_format(document.date, 'DATE_FORMAT')}",
    ]
    if document.reference:
        lines.append(f"Reference: {document.reference}")
    if getattr(document, "amount", None) is not None:
        lines.append(f"Amount: {document.amount_display}")
    if getattr(document, "carrier", ""):
        lines.append(f"Carrier: {document.carrier}")
    if getattr(document, "tracking_code", ""):
        lines.append(f"Tracking code: {document.tracking_code}")
    if document.contact_name:
        lines.append(f"Contact: {document.contact_name}")
    lines += ["", "Kind regards,", "Customer Contacts"]
    return EmailMessage(
        subject=subject,
        body="\n".join(lines) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email for recipient in recipients],
    )


@transaction.atomic
def document_send(
    *, document: SalesDocument, sent_by: AbstractBaseUser | None
) -> Sending:
    """Email the document's notification to its recipients and record the sending.

    Refused, with a message that says what to add, when nobody would receive it. When
    the mail server refuses, nothing is recorded and the error says to try again.
    """
    # One sender at a time per document, so a double click records one sending. The
    # document is read again under its lock (the row only: `of`), with its contact:
    # deleting that contact unassigns it, a write to this row, so the contact stays
    # until the sending is recorded.
    current = (
        type(document)
        .objects.select_for_update(of=("self",))
        .select_related("customer", "contact")
        .filter(pk=document.pk)
        .first()
    )
    if current is None:
        raise ValidationError(
            f"{document} was not sent: it no longer exists.", code="document_deleted"
        )
    if document.contact_id is not None and current.contact_id is None:
        raise ValidationError(
            f"{document} was not sent: its assigned contact was just deleted. Check "
            "who receives it now and send it again.",
            code="contact_deleted",
        )
    recipients = document_recipients(document=current)
    if not recipients:
        raise ValidationError(
            no_recipient_message(document=current), code="no_recipient"
        )
    message = document_email(document=current, recipients=recipients)
    sending = Sending(
        customer=current.customer,
        sent_by=sent_by if sent_by is not None and sent_by.is_authenticated else None,
        subject=message.subject,
        recipients=[
            {"email": r.email, "name": r.name, "reason": r.reason} for r in recipients
        ],
        **{sending_field_for(type(current)): current},
    )
    sending.full_clean()
    sending.save()
    if current.status == SalesDocument.Status.DRAFT:
        current.status = SalesDocument.Status.SENT
        current.save(update_fields=["status", "updated_at"])
        # The caller's copy shows the new status too.
        document.status, document.updated_at = current.status, current.updated_at
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        # Raising rolls the sending record back: it did not happen.
        raise ValidationError(
            f"{document} could not be sent: the mail server refused it ({error}). "
            "Try again later.",
            code="mail_failed",
        ) from error
    return sending
