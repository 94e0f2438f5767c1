from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communications.selectors import standing_suppressions
from contacts.models import STANDARD_ROLE_LABELS, Contact, ContactDetail, ContactRole
from contacts.validators import normalize_email_address
from core.languages import email_language
from customers.models import Customer
from sales.models import DOCUMENT_KINDS, SalesDocument


@dataclass(frozen=True)
class Recipient:
    """Who a notification goes to, why this address was chosen (in the active
    language when it was chosen), and the language the email to it goes out in."""

    email: str
    name: str
    reason: str
    language: str = field(default="", compare=False)
    contact_id: int | None = field(default=None, compare=False)

    @property
    def email_language(self) -> str:
        return email_language(self.language)


@dataclass(frozen=True)
class Skipped:
    """An address the routing passed over, and why (in the active language): the
    address is suppressed, or its person asked for no notification emails."""

    email: str
    name: str
    why: str
    contact_id: int | None = field(default=None, compare=False)
    suppressed: bool = False


@dataclass
class Routing:
    """Who receives a notification, and whom the rule passed over on the way."""

    recipients: list[Recipient]
    skipped: list[Skipped] = field(default_factory=list)


REASON_ASSIGNED = _("assigned contact")
REASON_PRIMARY = _("Primary contact")
REASON_CONTACT_CARD = _("contact card")


def role_name(code: str) -> str:
    """A standard role's name in the active language, by its code."""
    return str(STANDARD_ROLE_LABELS[code])


def notification_recipients(
    *, customer: Customer, role_code: str, assigned_contact: Contact | None = None
) -> list[Recipient]:
    """Who a notification of a document with this role (order, invoice, shipment)
    goes to, and why (`notification_routing`)."""
    return notification_routing(
        customer=customer, role_codes=[role_code], assigned_contact=assigned_contact
    )[role_code].recipients


def notification_routing(
    *,
    customer: Customer,
    role_codes: Iterable[str],
    assigned_contact: Contact | None = None,
) -> dict[str, Routing]:
    """Who a notification of a document with each role (order, invoice, shipment)
    goes to, and why, in this order of preference:

    1. the document's assigned contact, if it has an email address;
    2. else every contact holding the role, with an email address;
    3. else the contact holding the Primary role, with an email address;
    4. else the customer's primary email address on its contact card.

    A contact is the person's link to this customer: its roles here count, its
    work email is used, the person's own email only when the link has none, and
    an inactive link receives nothing.

    A suppressed address (communications: it bounced, or its owner complained) and a
    person who asked for no notification emails are passed over, with the reason:
    when every candidate of a step is passed over, the next step is tried, so the
    notification still reaches the customer. So is an assigned contact without an
    email address. Addresses come back normalised and once each (compared without
    case); an address that cannot be normalised (old data) is left out. No
    recipients means nobody would receive it. The customer's contacts (with their
    roles), its contact card and the suppressions are read once for all roles.
    """
    if assigned_contact is not None and assigned_contact.customer_id != customer.pk:
        raise ValueError("The assigned contact belongs to another customer.")
    # Active links with an address: the work email, else the person's own.
    contacts = list(
        Contact.objects.filter(customer=customer, is_active=True)
        .exclude(email="", person__personal_email="")
        .select_related("person")
        .prefetch_related("roles")
        .order_by("first_name", "last_name", "pk")
    )
    card_email = list(
        ContactDetail.objects.filter(
            customer=customer, kind=ContactDetail.Kind.EMAIL, is_primary=True
        )
    )
    suppressions = standing_suppressions(
        addresses=[c.notification_email for c in contacts]
        + [d.value for d in card_email]
        + ([assigned_contact.notification_email] if assigned_contact else [])
    )

    def holders(code: str) -> list[Contact]:
        return [c for c in contacts if any(r.code == code for r in c.roles.all())]

    def resolve(role_code: str) -> Routing:
        skipped: list[Skipped] = []

        def step(candidates) -> list[Recipient]:
            found = []
            for candidate in _unique(candidates):
                why = _passed_over(candidate, suppressions)
                if why is None:
                    found.append(candidate.recipient())
                elif all(s.email != candidate.email for s in skipped):
                    skipped.append(
                        Skipped(
                            email=candidate.email,
                            name=candidate.name,
                            why=why,
                            contact_id=candidate.contact_id,
                            suppressed=candidate.email.lower() in suppressions,
                        )
                    )
            return found

        if (
            assigned_contact is not None
            and assigned_contact.is_active
            and assigned_contact.notification_email
        ):
            found = step(_candidates([assigned_contact], str(REASON_ASSIGNED)))
            if found:
                return Routing(found, skipped)
        if role_code != ContactRole.PRIMARY:
            role_holders = holders(role_code)
            if role_holders:
                role = next(
                    r for r in role_holders[0].roles.all() if r.code == role_code
                )
                found = step(
                    _candidates(
                        role_holders, gettext("%(role)s role") % {"role": role.label}
                    )
                )
                if found:
                    return Routing(found, skipped)
        found = step(_candidates(holders(ContactRole.PRIMARY), str(REASON_PRIMARY)))
        if found:
            return Routing(found, skipped)
        # No contact: the organisation's language.
        found = step(
            (detail.value, customer.name, str(REASON_CONTACT_CARD), "", None, False)
            for detail in card_email
        )
        return Routing(found, skipped)

    return {code: resolve(code) for code in role_codes}


def _passed_over(recipient: "_Candidate", suppressions) -> str | None:
    """Why the routing passes over this candidate, or None."""
    if recipient.no_notification_emails:
        return gettext("asked for no notification emails")
    suppression = suppressions.get(recipient.email.lower())
    if suppression is not None:
        return gettext("address suppressed: %(reason)s") % {
            "reason": suppression.get_reason_display().lower()
        }
    return None


def document_routing(*, document: SalesDocument) -> Routing:
    """Who a notification of this document would reach now, and whom it passes
    over."""
    return notification_routing(
        customer=document.customer,
        role_codes=[document.ROLE_CODE],
        assigned_contact=document.contact,
    )[document.ROLE_CODE]


def document_recipients(*, document: SalesDocument) -> list[Recipient]:
    """Who a notification of this document would reach now, and why."""
    return document_routing(document=document).recipients


@dataclass(frozen=True)
class _Candidate:
    email: str
    name: str
    reason: str
    language: str
    contact_id: int | None
    no_notification_emails: bool

    def recipient(self) -> Recipient:
        return Recipient(
            email=self.email,
            name=self.name,
            reason=self.reason,
            language=self.language,
            contact_id=self.contact_id,
        )


def _candidates(contacts, reason: str):
    return [
        (
            c.notification_email,
            c.full_name,
            reason,
            c.language,
            c.pk,
            c.no_notification_emails,
        )
        for c in contacts
    ]


def _unique(candidates) -> list[_Candidate]:
    found, seen = [], set()
    for email, name, reason, language, contact_id, opted_out in candidates:
        try:
            address = normalize_email_address(email)
        except ValidationError:
            continue
        if address.lower() in seen:
            continue
        seen.add(address.lower())
        found.append(_Candidate(address, name, reason, language, contact_id, opted_out))
    return found


def document_list(
    *, kind: type[SalesDocument], search: str = "", status: str = ""
) -> QuerySet:
    """Documents of a kind, newest first, with their customer, in one query whatever
    the page size; those of one status when `status` is given. The contact column
    shows the snapshot, so needs no join."""
    documents = kind._default_manager.select_related("customer")
    if status:
        documents = documents.filter(status=status)
    search = search.strip()
    if search:
        documents = documents.filter(
            Q(number__icontains=search)
            | Q(reference__icontains=search)
            | Q(customer__name__icontains=search)
            | Q(customer__number__icontains=search)
            | Q(contact_name__icontains=search)
        )
    return documents.order_by("-date", "-number")


def document_proposed_contact(
    *, customer: Customer, kind: type[SalesDocument]
) -> Contact | None:
    """The contact a new document of this kind proposes: one holding the kind's role
    (Order, Invoice, Shipment), else one holding the Primary role. Among several, a
    contact with an email address first, then by name."""
    for code in (kind.ROLE_CODE, ContactRole.PRIMARY):
        contact = (
            Contact.objects.filter(customer=customer, roles__code=code)
            .order_by("-email", "first_name", "last_name", "pk")
            .first()
        )
        if contact is not None:
            return contact
    return None


# How many of each kind the customer's Overview card lists.
CUSTOMER_CARD_SIZE = 5


@dataclass
class CustomerDocuments:
    customer: Customer
    kind: type[SalesDocument]
    documents: list[SalesDocument]
    has_more: bool
    can_add: bool = False  # whether the user may add one: set by the view

    @property
    def label(self) -> str:
        return str(self.kind._meta.verbose_name_plural).capitalize()

    @property
    def name(self) -> str:
        return str(self.kind._meta.verbose_name)

    @property
    def create_url(self) -> str:
        return reverse(f"sales:{self.kind.KIND}_create", args=[self.customer.pk])

    @property
    def list_url(self) -> str:
        return reverse(f"sales:{self.kind.KIND}_list")


def customer_documents(
    *, customer: Customer, kinds: Iterable[type[SalesDocument]] = DOCUMENT_KINDS
) -> list[CustomerDocuments]:
    """The customer's newest documents of each of the kinds: one query per kind."""
    sections = []
    for kind in kinds:
        documents = list(
            kind._default_manager.filter(customer=customer).order_by(
                "-date", "-number"
            )[: CUSTOMER_CARD_SIZE + 1]
        )
        sections.append(
            CustomerDocuments(
                customer=customer,
                kind=kind,
                documents=documents[:CUSTOMER_CARD_SIZE],
                has_more=len(documents) > CUSTOMER_CARD_SIZE,
            )
        )
    return sections


@dataclass
class WhoReceives:
    """One row of the Who receives what panel."""

    kind: type[SalesDocument]
    recipients: list[Recipient]
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(self.kind._meta.verbose_name_plural).capitalize()

    @property
    def notification(self) -> str:
        return str(self.kind.NOTIFICATION)

    @property
    def role_name(self) -> str:
        return role_name(self.kind.ROLE_CODE)


def customer_who_receives_what(*, customer: Customer) -> list[WhoReceives]:
    """For orders, invoices and shipments: who a notification would reach now, and
    why, and whom it passes over, by the one recipient rule (a new document has no
    assigned contact)."""
    routing = notification_routing(
        customer=customer, role_codes=[kind.ROLE_CODE for kind in DOCUMENT_KINDS]
    )
    return [
        WhoReceives(
            kind=kind,
            recipients=routing[kind.ROLE_CODE].recipients,
            skipped=routing[kind.ROLE_CODE].skipped,
        )
        for kind in DOCUMENT_KINDS
    ]
