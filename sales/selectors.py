from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse

from contacts.models import Contact, ContactRole
from contacts.selectors import Recipient, notification_recipients_by_role
from customers.models import Customer
from sales.models import DOCUMENT_KINDS, SalesDocument


def document_list(*, kind: type[SalesDocument], search: str = "") -> QuerySet:
    """Documents of a kind, newest first, with their customer, in one query whatever
    the page size. The contact column shows the snapshot, so needs no join."""
    documents = kind.objects.select_related("customer")
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

    @property
    def label(self) -> str:
        return self.kind._meta.verbose_name_plural.capitalize()

    @property
    def name(self) -> str:
        return self.kind._meta.verbose_name

    @property
    def create_url(self) -> str:
        return reverse(f"sales:{self.kind.KIND}_create", args=[self.customer.pk])

    @property
    def list_url(self) -> str:
        return reverse(f"sales:{self.kind.KIND}_list")


def customer_documents(*, customer: Customer) -> list[CustomerDocuments]:
    """The customer's newest documents of each kind: one query per kind."""
    sections = []
    for kind in DOCUMENT_KINDS:
        documents = list(
            kind.objects.filter(customer=customer).order_by("-date", "-number")[
                : CUSTOMER_CARD_SIZE + 1
            ]
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

    @property
    def label(self) -> str:
        return self.kind._meta.verbose_name_plural.capitalize()

    @property
    def notification(self) -> str:
        return self.kind.NOTIFICATION

    @property
    def role_name(self) -> str:
        return self.kind.ROLE_CODE.capitalize()


def customer_who_receives_what(*, customer: Customer) -> list[WhoReceives]:
    """For orders, invoices and shipments: who a notification would reach now, and
    why, by the one recipient rule (a new document has no assigned contact)."""
    recipients = notification_recipients_by_role(
        customer=customer, role_codes=[kind.ROLE_CODE for kind in DOCUMENT_KINDS]
    )
    return [
        WhoReceives(kind=kind, recipients=recipients[kind.ROLE_CODE])
        for kind in DOCUMENT_KINDS
    ]
