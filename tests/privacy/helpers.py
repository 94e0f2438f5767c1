"""A person with data in every kind of place the application keeps it."""

from dataclasses import dataclass

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from communications.models import DeliveryEvent, Suppression
from contacts.models import CONTACT_PERSON_FIELDS, Contact, ContactDetail
from contacts.services.card import contact_detail_create
from contacts.services.duplicates import possible_duplicates_refresh
from contacts.services.links import contact_update
from contacts.services.merge import contacts_merge
from sales.models import Invoice, Shipment
from sales.services import document_send
from tests.communications.helpers import deliver_outbox
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory
from tests.sales.factories import make_document

NAME = "Zebulon Quixote"
EARLIER_LAST_NAME = "Quixotter"
EMAIL = "zebulon.quixote@example.nl"
PHONE = "+31612345678"
# What must be gone, in any case.
NEEDLES = (NAME, "Quixote", EARLIER_LAST_NAME, EMAIL, PHONE)


@dataclass
class Arranged:
    contacts: list[Contact]
    invoice: Invoice
    shipment: Shipment
    other: Contact
    merged_into: Contact  # someone else's contact their link was merged into


def arrange_person(user, *, invoice_date=None) -> Arranged:
    """Zebulon, linked to two customers, changed once (an earlier last name in
    the history), sent an invoice and a shipment notice (delivered, one bounced),
    suppressed, on a customer's card with their number, a possible duplicate of
    someone else, named in the admin's log, and merged into someone else's contact
    at a third customer (its merge record quotes them)."""
    fjord, north = CustomerFactory(name="Fjord Foods"), CustomerFactory(name="North")
    at_fjord = ContactFactory(
        customer=fjord,
        first_name="Zebulon",
        last_name=EARLIER_LAST_NAME,
        email=EMAIL,
        phone=PHONE,
        roles=["invoice"],
    )
    contact_update(
        contact=at_fjord,
        data={"last_name": "Quixote", "job_title": "Buyer"},
        roles=None,
        version=at_fjord.version,
    )
    at_north = ContactFactory(
        customer=north,
        person=at_fjord.person,
        first_name="Zebulon",
        last_name="Quixote",
        email=EMAIL.upper(),
        phone=PHONE,
        roles=["shipment"],
    )
    # Someone else, whose name is nearly the same: a possible duplicate.
    other = ContactFactory(
        customer=fjord, first_name="Zebulon", last_name="Quixotte", email="zq@x.nl"
    )
    possible_duplicates_refresh(customer_ids=[fjord.pk], changed=[other.pk])
    contact_detail_create(
        customer=north, kind=ContactDetail.Kind.MOBILE, value=PHONE, description=""
    )
    extra = {"date": invoice_date} if invoice_date else {}
    invoice = make_document(Invoice, fjord, at_fjord, **extra)
    shipment = make_document(Shipment, north, at_north, **extra)
    for document in (invoice, shipment):
        document_send(document=document, sent_by=user)
    delivery = deliver_outbox()[0]
    DeliveryEvent.objects.create(
        provider="test",
        event_id="event-1",
        event_type="bounced",
        email=EMAIL,
        delivery=delivery,
        occurred_at=timezone.now(),
        description=f"550 5.1.1 <{EMAIL}>: no such user",
    )
    Suppression.objects.create(
        email=EMAIL, reason="hard_bounce", detail=f"{EMAIL} bounced", customer=fjord
    )
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Contact),
        object_id=str(at_fjord.pk),
        object_repr=NAME,
        action_flag=CHANGE,
        change_message=f"Changed {NAME}",
    )
    # At a third customer, their link was merged into someone else's contact:
    # that contact's merge record quotes the values it dropped (theirs).
    south = CustomerFactory(name="South")
    at_south = ContactFactory(
        customer=south,
        person=at_fjord.person,
        first_name="Zebulon",
        last_name="Quixote",
        email=EMAIL,
        phone=PHONE,
    )
    zenobia = ContactFactory(
        customer=south, first_name="Zenobia", last_name="Quick", email="zq@south.nl"
    )
    contacts_merge(
        keep=zenobia,
        merge_away=at_south,
        values={name: getattr(zenobia, name) for name in CONTACT_PERSON_FIELDS},
        user=user,
    )
    at_fjord.refresh_from_db()
    at_north.refresh_from_db()
    return Arranged([at_fjord, at_north], invoice, shipment, other, zenobia)


TEXT_TYPES = ("char", "text", "json", "clob", "varchar")


def text_columns() -> list[tuple[str, str]]:
    """Every text column of every table of the database (history tables too)."""
    columns = []
    with connection.cursor() as cursor:
        for table in connection.introspection.get_table_list(cursor):
            if table.type != "t":
                continue
            for column in connection.introspection.get_table_description(
                cursor, table.name
            ):
                type_name = str(
                    connection.introspection.get_field_type(column.type_code, column)
                    if connection.vendor == "postgresql"
                    else column.type_code
                ).lower()
                if any(word in type_name for word in TEXT_TYPES):
                    columns.append((table.name, column.name))
    return columns


def where_found(needles) -> set[tuple[str, str]]:
    """The (table, column) pairs holding any of the needles, without case."""
    found = set()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column in text_columns():
            for needle in needles:
                cursor.execute(
                    f"SELECT 1 FROM {quote(table)} "  # noqa: S608 (names introspected)
                    f"WHERE LOWER(CAST({quote(column)} AS TEXT)) LIKE %s LIMIT 1",
                    [f"%{needle.lower()}%"],
                )
                if cursor.fetchone():
                    found.add((table, column))
    return found
