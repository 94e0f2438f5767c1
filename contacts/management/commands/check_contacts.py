from collections.abc import Iterable, Iterator

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, QuerySet
from django.db.models.functions import Lower

from contacts.marks import email_marks
from contacts.models import Contact, ContactDetail, ContactRole, Person
from contacts.selectors import possible_duplicates_found
from contacts.services.links import person_copies_repair, person_delete_if_unlinked
from contacts.validators import normalize_phone_number
from customers.models import Customer

# Rows fetched at a time.
CHUNK = 2000
# Up to this many invalid numbers are looked up in the database; past it (new
# metadata that rejects a whole numbering plan), the rows are streamed and the
# numbers looked up here, keeping the query small.
MAX_NUMBERS_IN_QUERY = 5000


class Command(BaseCommand):
    help = (
        "Check the contact data: customers with no Primary-role contact, customers "
        "with no contact details, stored phone numbers the installed phonenumbers "
        "metadata no longer takes as valid, one email used by contacts of "
        "different customers, and possible duplicate contacts (the same email or "
        "phone number, or nearly the same name, at one customer) not marked as "
        '"Not a duplicate", and email addresses known to be undeliverable '
        "(suppressed) that contacts or contact cards still hold, contacts whose "
        "copy of their person's name or language differs from the person's, and "
        "persons who are no customer's contact. Exits with status 1 when it finds "
        "anything, so it can run as a scheduled job."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix",
            action="store_true",
            help="Repair what can be repaired without a choice: a contact whose "
            "name or language differs from their person's takes the person's (each "
            "change in its customer's Activity Log), and a person who is no "
            "customer's contact is deleted. The rest is reported as before.",
        )

    def handle(self, *args, **options):
        if options["fix"]:
            self.fix()
        # One query per check, whatever the number of customers (two more for the
        # phone numbers when some are invalid); the rows are streamed. (Two links
        # of one person to one customer cannot be: a constraint refuses them.)
        checks = [
            ("Customers with no Primary-role contact", self.without_primary_contact()),
            ("Customers with no contact details", self.without_contact_details()),
            ("Stored phone numbers that are no longer valid", self.invalid_numbers()),
            ("Emails used by contacts of different customers", self.shared_emails()),
            ("Possible duplicate contacts", self.possible_duplicates()),
            (
                "Contacts whose name or language is not their person's",
                self.copies_differing(),
            ),
            ("Persons who are no customer's contact", self.persons_unlinked()),
            # The apps above contacts add theirs (contacts.marks): suppressed
            # email addresses in use (communications).
            *((title, check()) for title, check in email_marks.checks()),
        ]
        found = 0
        for title, lines in checks:
            count = 0
            for line in lines:
                if not count:
                    self.stdout.write(f"{title}:")
                count += 1
                self.stdout.write(f"  {line}")
            if count:
                self.stdout.write(f"  ({count:,} found)")
            else:
                self.stdout.write(f"{title}: none.")
            found += count
        if found:
            raise CommandError(f"{found:,} problem(s) found.", returncode=1)
        self.stdout.write(self.style.SUCCESS("No problems found."))

    def fix(self) -> None:
        """Each person once, in a transaction of their own (their customers
        locked): a long repair never holds many customers at once."""
        persons = _differing().order_by("person_id").values_list("person_id")
        links = 0
        for person_id in persons.distinct().iterator(chunk_size=CHUNK):
            links += person_copies_repair(person_id[0])
        deleted = 0
        for person_id in _unlinked().values_list("pk", flat=True).iterator(CHUNK):
            with transaction.atomic():
                deleted += person_delete_if_unlinked(person_id)
        self.stdout.write(
            f"Fixed: {links:,} contact(s) took their person's name and language; "
            f"{deleted:,} person(s) without a contact deleted."
        )

    def copies_differing(self) -> Iterator[str]:
        rows = (
            _differing()
            .order_by("customer__number", "pk")
            .values_list(
                "customer__number",
                "first_name",
                "last_name",
                "language",
                "person_id",
                "person__first_name",
                "person__last_name",
                "person__language",
            )
        )
        for number, *copy, person_id, first, last, language in rows.iterator(CHUNK):
            yield (
                f"{number} contact {_named(*copy)}: person {person_id} is "
                f"{_named(first, last, language)}"
            )

    def persons_unlinked(self) -> Iterator[str]:
        rows = _unlinked().order_by("pk").values_list("pk", "first_name", "last_name")
        for pk, first_name, last_name in rows.iterator(CHUNK):
            yield f"person {pk} {_named(first_name, last_name)}"

    def possible_duplicates(self) -> Iterator[str]:
        for pair in possible_duplicates_found():
            yield (
                f"{pair.customer_number} {pair.customer_name}: {pair.a.full_name} "
                f"and {pair.b.full_name} ({'; '.join(pair.reasons).lower()})"
            )

    def without_primary_contact(self) -> Iterator[str]:
        primary_contacts = Contact.objects.filter(
            customer=OuterRef("pk"), roles__code=ContactRole.PRIMARY
        )
        customers = Customer.objects.exclude(Exists(primary_contacts))
        return self._customers(customers)

    def without_contact_details(self) -> Iterator[str]:
        details = ContactDetail.objects.filter(customer=OuterRef("pk"))
        return self._customers(Customer.objects.exclude(Exists(details)))

    def _customers(self, customers) -> Iterator[str]:
        rows = customers.order_by("number").values_list("number", "name")
        for number, name in rows.iterator(chunk_size=CHUNK):
            yield f"{number} {name}"

    def invalid_numbers(self) -> Iterator[str]:
        # Each distinct stored number is read once (one query, streamed): a number
        # several contacts or details share costs one parse. Then only the rows
        # holding a number found invalid are read, in the order of the report.
        problems = {
            number: problem
            for number in _stored_numbers().iterator(chunk_size=CHUNK)
            if (problem := _phone_problem(number))
        }
        if not problems:
            return
        contacts = Contact.objects.exclude(phone="")
        details = ContactDetail.objects.filter(kind__in=ContactDetail.PHONE_KINDS)
        if len(problems) <= MAX_NUMBERS_IN_QUERY:
            contacts = contacts.filter(phone__in=problems)
            details = details.filter(value__in=problems)
        contacts = contacts.order_by("customer__number", "pk").values_list(
            "customer__number", "first_name", "last_name", "phone"
        )
        for number, first_name, last_name, phone in contacts.iterator(CHUNK):
            if phone in problems:
                name = " ".join(part for part in (first_name, last_name) if part)
                yield f"{number} contact {name}: {phone}: {problems[phone]}"
        details = details.order_by("customer__number", "kind", "pk").values_list(
            "customer__number", "kind", "value"
        )
        labels = dict(ContactDetail.Kind.choices)
        for number, kind, value in details.iterator(CHUNK):
            if value in problems:
                yield f"{number} {labels[kind]}: {value}: {problems[value]}"

    def shared_emails(self) -> Iterator[str]:
        shared = (
            Contact.objects.exclude(email="")
            .annotate(address=Lower("email"))
            .order_by()
            .values("address")
            .annotate(customers=Count("customer", distinct=True))
            .filter(customers__gt=1)
            .values("address")
        )
        rows = (
            Contact.objects.annotate(address=Lower("email"))
            .filter(address__in=shared)
            .order_by("address", "customer__number", "pk")
            .values_list("address", "customer__number", "first_name", "last_name")
        )
        return _grouped_by_address(rows.iterator(chunk_size=CHUNK))


def _differing() -> QuerySet:
    """The links whose copy of the name or language is not their person's."""
    return Contact.objects.exclude(
        first_name=F("person__first_name"),
        last_name=F("person__last_name"),
        language=F("person__language"),
    )


def _unlinked() -> QuerySet:
    return Person.objects.exclude(Exists(Contact.objects.filter(person=OuterRef("pk"))))


def _named(first_name: str, last_name: str, language: str | None = None) -> str:
    name = " ".join(part for part in (first_name, last_name) if part)
    return name if language is None else f"{name} (language {language or '-'})"


def _stored_numbers() -> QuerySet:
    """Every phone number stored, once: contacts' phones and phone details."""
    contacts = Contact.objects.exclude(phone="").order_by()
    details = ContactDetail.objects.filter(kind__in=ContactDetail.PHONE_KINDS)
    return contacts.values_list("phone", flat=True).union(
        details.order_by().values_list("value", flat=True)
    )


def _phone_problem(stored: str) -> str:
    """Why the stored (E.164) number is not valid now, or "" when it is. The same
    rule that took it in: the installed phonenumbers metadata decides."""
    try:
        normalize_phone_number(stored, region=None)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def _grouped_by_address(rows: Iterable[tuple[str, str, str, str]]) -> Iterator[str]:
    address, users = None, []
    for row_address, number, first_name, last_name in rows:
        if row_address != address:
            if users:
                yield f"{address}: {', '.join(users)}"
            address, users = row_address, []
        name = " ".join(part for part in (first_name, last_name) if part)
        users.append(f"{number} ({name})")
    if users:
        yield f"{address}: {', '.join(users)}"
