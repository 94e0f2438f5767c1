"""Writes of sales documents and their sendings. Views, the admin, the demo data and
any import call these, so the numbering, the contact snapshot and the recipient rules
hold whichever way a document arrives."""

import smtplib
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction

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


def _copy_contact_snapshot(document: SalesDocument, contact: Contact | None) -> None:
    document.contact = contact
    document.contact_name = contact.full_name if contact else ""
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
    _copy_contact_snapshot(document, contact)
    document.full_clean(exclude=["number"])
    document.number = document_number_next(kind=type(document))
    document.save()
    return document


_KEEP = object()


@transaction.atomic
def document_update(
    *, document: D, data: dict[str, Any], contact: Contact | None | object = _KEEP
) -> D:
    """Change a document's fields and, when `contact` is given, its assigned contact.

    The snapshot is taken again only when the assigned contact changes; saving the same
    contact keeps the copy made when it was assigned. Unassigning clears it.
    """
    for field, value in data.items():
        setattr(document, field, value)
    if contact is not _KEEP:
        stored_contact_id = (
            type(document)
            .objects.filter(pk=document.pk)
            .values_list("contact_id", flat=True)
            .get()
        )
        new_contact_id = contact.pk if contact is not None else None
        if new_contact_id != stored_contact_id:
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


def document_email(
    *, document: SalesDocument, recipients: list[Recipient]
) -> EmailMessage:
    """The notification: a plain-text email naming the customer and the document."""
    customer = document.customer
    subject = f"{document.NOTIFICATION} {document.number} for {customer.name}"
    greeting = f"Dear {recipients[0].name}," if len(recipients) == 1 else "Dear all,"
    lines = [
        greeting,
        "",
        f"{document.NOTIFICATION} {document.number} for {customer.name} "
        f"(customer {customer.number}).",
        "",
        f"Date: {document.date:%d %B %Y}",
    ]
    if document.reference:
        lines.append(f"Reference: {document.reference}")
    if getattr(document, "amount", None) is not None:
        lines.append(f"Amount: {document.amount:,.2f}")
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
    # One sender at a time per document, so a double click records one sending.
    type(document).objects.select_for_update().filter(pk=document.pk).first()
    recipients = document_recipients(document=document)
    if not recipients:
        raise ValidationError(
            no_recipient_message(document=document), code="no_recipient"
        )
    message = document_email(document=document, recipients=recipients)
    sending = Sending(
        customer=document.customer,
        sent_by=sent_by if sent_by is not None and sent_by.is_authenticated else None,
        subject=message.subject,
        recipients=[
            {"email": r.email, "name": r.name, "reason": r.reason} for r in recipients
        ],
        **{sending_field_for(type(document)): document},
    )
    sending.full_clean()
    sending.save()
    if document.status == SalesDocument.Status.DRAFT:
        document.status = SalesDocument.Status.SENT
        document.save(update_fields=["status", "updated_at"])
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
