"""The notification emails of sales documents: one email per recipient, written in
the recipient's language, as HTML with a plain-text alternative from the templates
in templates/sales/emails/, signed with the organisation's name, address and
from-address (settings)."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext

from sales.models import SalesDocument
from sales.selectors import Recipient

# Line breaks, tabs and other control characters: what a mail header cannot hold.
_NOT_ONE_LINE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")


def one_line(text: str) -> str:
    """The text as one line, for a mail header: every run of whitespace and control
    characters becomes one space. Names stored before one-line fields refused line
    breaks may still hold one; in a subject it would make the mail unsendable
    (BadHeaderError)."""
    return _NOT_ONE_LINE.sub(" ", text).strip()


@dataclass(frozen=True)
class DocumentEmail:
    """The notification to one recipient, written in their language."""

    recipient: Recipient
    language: str
    from_email: str
    subject: str
    text: str
    html: str

    @property
    def language_name(self) -> str:
        """The language's name in the active language (the user's): `Dutch`."""
        return translation.get_language_info(self.language)["name_translated"]


def document_emails(
    *, document: SalesDocument, recipients: list[Recipient]
) -> list[DocumentEmail]:
    """The notification to each recipient, each in its language: a contact's own
    (`Contact.email_language`), the organisation's for the customer's contact card;
    in the order the recipients are addressed, whatever language the sender works
    in."""
    emails = []
    for recipient in recipients:
        with translation.override(recipient.email_language):
            emails.append(document_email(document=document, recipient=recipient))
    return emails


def document_email(*, document: SalesDocument, recipient: Recipient) -> DocumentEmail:
    """The notification to one recipient, in the active language: its words, date
    and amount. It names the document by its number and the customer by its name
    (never the internal customer number), and the assigned contact only while that
    contact exists."""
    about = {
        "notification": document.NOTIFICATION,
        "number": document.number,
        # Old data may hold a line break or a control character in a name.
        "customer": one_line(document.customer.name),
    }
    subject = one_line(gettext("%(notification)s %(number)s for %(customer)s") % about)
    context = {
        "subject": subject,
        "greeting": gettext("Dear %(name)s,") % {"name": one_line(recipient.name)}
        if recipient.name
        else gettext("Dear all,"),
        "introduction": gettext("%(notification)s %(number)s for %(customer)s.")
        % about,
        "rows": document_rows(document),
        "sign_off": gettext("Kind regards,"),
        "organisation_name": settings.ORGANISATION_NAME,
        "organisation_address": organisation_address_lines(),
        "from_email": settings.DEFAULT_FROM_EMAIL,
        "language": translation.get_language(),
    }
    return DocumentEmail(
        recipient=recipient,
        language=translation.get_language(),
        from_email=settings.DEFAULT_FROM_EMAIL,
        subject=subject,
        text=render_to_string("sales/emails/notification.txt", context),
        html=render_to_string("sales/emails/notification.html", context),
    )


def document_rows(document: SalesDocument) -> list[tuple[str, str]]:
    """What the email says of the document, label and value, in the active
    language."""
    rows = [
        (gettext("Number"), document.number),
        (gettext("Date"), formats.date_format(document.date, "DATE_FORMAT")),
    ]
    if document.reference:
        rows.append((gettext("Reference"), document.reference))
    if getattr(document, "amount", None) is not None:
        rows.append((gettext("Amount"), document.amount_display))
    if getattr(document, "carrier", ""):
        rows.append((gettext("Carrier"), document.carrier))
    if getattr(document, "tracking_code", ""):
        rows.append((gettext("Tracking code"), document.tracking_code))
    # The snapshot outlives a deleted contact; the email never names one.
    if document.contact_id is not None and document.contact_name:
        rows.append((gettext("Contact"), one_line(document.contact_name)))
    return rows


def organisation_address_lines() -> list[str]:
    """ORGANISATION_ADDRESS's lines ("|" or a new line between them)."""
    text = settings.ORGANISATION_ADDRESS.replace("|", "\n")
    return [line.strip() for line in text.splitlines() if line.strip()]
