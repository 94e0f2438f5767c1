"""Writes of sales documents and their sendings. Views, the admin, the demo data and
any import call these, so the numbering, the contact snapshot and the recipient rules
hold whichever way a document arrives."""

import re
import smtplib
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact
from core.services import lock_unchanged, sequence_next_value
from customers.models import Customer
from sales.models import SalesDocument, Sending, sending_field_for
from sales.selectors import Recipient, document_recipients, role_name

D = TypeVar("D", bound=SalesDocument)


def document_number_next(*, kind: type[SalesDocument]) -> str:
    """`SO-00001`, `INV-00001`, `SH-00001`: unique under concurrency."""
    value = sequence_next_value(name=f"sales_{kind.KIND}")
    return f"{kind.NUMBER_PREFIX}-{value:05d}"


CONTACT_DELETED_MESSAGE = _("This contact was just deleted. Choose another.")


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


# Line breaks, tabs and other control characters: what a mail header cannot hold.
_NOT_ONE_LINE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")


def one_line(text: str) -> str:
    """The text as one line, for a mail header: every run of whitespace and control
    characters becomes one space. Names stored before one-line fields refused line
    breaks may still hold one; in a subject it would make the mail unsendable
    (BadHeaderError)."""
    return _NOT_ONE_LINE.sub(" ", text).strip()


@dataclass
class DocumentEmail:
    """One email of a notification: the recipients who read one language, and the
    message written in it."""

    language: str
    recipients: list[Recipient]
    message: EmailMessage

    @property
    def language_name(self) -> str:
        """The language's name in the active language (the user's): `Dutch`."""
        return translation.get_language_info(self.language)["name_translated"]


def document_emails(
    *, document: SalesDocument, recipients: list[Recipient]
) -> list[DocumentEmail]:
    """The notification, one email per language of the recipients, each written in
    its language: a contact's own (`Contact.email_language`), the organisation's for
    the customer's contact card. In the order the recipients are addressed."""
    groups: dict[str, list[Recipient]] = {}
    for recipient in recipients:
        groups.setdefault(recipient.email_language, []).append(recipient)
    emails = []
    for language, group in groups.items():
        # Whatever language the sender works in.
        with translation.override(language):
            message = document_email(document=document, recipients=group)
        emails.append(DocumentEmail(language, group, message))
    return emails


def document_email(
    *, document: SalesDocument, recipients: list[Recipient]
) -> EmailMessage:
    """The notification: a plain-text email naming the customer and the document,
    written in the active language: its words, date and amount."""
    customer = document.customer
    about = {
        "notification": document.NOTIFICATION,
        "number": document.number,
        "customer": customer.name,
        "customer_number": customer.number,
    }
    subject = one_line(gettext("%(notification)s %(number)s for %(customer)s") % about)
    if len(recipients) == 1:
        greeting = gettext("Dear %(name)s,") % {"name": recipients[0].name}
    else:
        greeting = gettext("Dear all,")
    lines = [
        greeting,
        "",
        gettext(
            "%(notification)s %(number)s for %(customer)s (customer "
            "%(customer_number)s)."
        )
        % about,
        "",
        gettext("Date: %(date)s")
        % {"date": formats.date_format(document.date, "DATE_FORMAT")},
    ]
    if document.reference:
        lines.append(gettext("Reference: %(value)s") % {"value": document.reference})
    if getattr(document, "amount", None) is not None:
        lines.append(gettext("Amount: %(value)s") % {"value": document.amount_display})
    if getattr(document, "carrier", ""):
        lines.append(gettext("Carrier: %(value)s") % {"value": document.carrier})
    if getattr(document, "tracking_code", ""):
        lines.append(
            gettext("Tracking code: %(value)s") % {"value": document.tracking_code}
        )
    if document.contact_name:
        lines.append(gettext("Contact: %(value)s") % {"value": document.contact_name})
    lines += ["", gettext("Kind regards,"), gettext("Customer Contacts")]
    return EmailMessage(
        subject=subject,
        body="\n".join(lines) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email for recipient in recipients],
    )


@transaction.atomic
def document_send(
    *, document: SalesDocument, sent_by: AbstractBaseUser | None
) -> list[Sending]:
    """Email the document's notification to its recipients and record the sending:
    one email per language of the recipients (`document_emails`), and one Sending
    for each email, with the subject and recipients that email had.

    Refused, with a message that says what to add, when nobody would receive it. When
    the mail server refuses any of the emails, nothing is recorded and the error says
    to try again.
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
            gettext("%(document)s was not sent: it no longer exists.")
            % {"document": document},
            code="document_deleted",
        )
    if document.contact_id is not None and current.contact_id is None:
        raise ValidationError(
            gettext(
                "%(document)s was not sent: its assigned contact was just deleted. "
                "Check who receives it now and send it again."
            )
            % {"document": document},
            code="contact_deleted",
        )
    recipients = document_recipients(document=current)
    if not recipients:
        raise ValidationError(
            no_recipient_message(document=current), code="no_recipient"
        )
    emails = document_emails(document=current, recipients=recipients)
    sendings = [_record_sending(current, email, sent_by=sent_by) for email in emails]
    if current.status == SalesDocument.Status.DRAFT:
        current.status = SalesDocument.Status.SENT
        current.save(update_fields=["status", "updated_at"])
        # The caller's copy shows the new status too.
        document.status, document.updated_at = current.status, current.updated_at
    _send_all(document, [email.message for email in emails])
    return sendings


def _record_sending(
    document: SalesDocument, email: DocumentEmail, *, sent_by
) -> Sending:
    sending = Sending(
        customer=document.customer,
        sent_by=sent_by if sent_by is not None and sent_by.is_authenticated else None,
        subject=email.message.subject,
        recipients=[
            {"email": r.email, "name": r.name, "reason": r.reason}
            for r in email.recipients
        ],
        **{sending_field_for(type(document)): document},
    )
    sending.full_clean()
    sending.save()
    return sending


def _send_all(document: SalesDocument, messages: list[EmailMessage]) -> None:
    """Send the emails over one connection. A refusal raises, which rolls every
    sending record back: none is recorded unless all went out. An email already
    accepted before a later one is refused cannot be called back: the error names
    who received it."""
    delivered: list[str] = []
    try:
        with get_connection() as connection:
            for message in messages:
                message.connection = connection
                message.send(fail_silently=False)
                delivered += message.to
    except (smtplib.SMTPException, OSError) as error:
        # Raising rolls the sending records back: it did not happen.
        text = gettext(
            "%(document)s could not be sent: the mail server refused it (%(error)s). "
            "Try again later."
        ) % {"document": document, "error": error}
        if delivered:
            text += " " + gettext("It had already reached %(addresses)s.") % {
                "addresses": ", ".join(delivered)
            }
        raise ValidationError(text, code="mail_failed") from error
