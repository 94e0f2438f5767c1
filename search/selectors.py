"""The header search: who is this, whoever types what.

A query is read two ways. As a phone number (digits and the signs people type with
them): its E.164 readings (contacts.validators.phone_number_candidates, in the
countries of the billing addresses) are looked up by equality, which an index
answers. As text: customers by name or number, contact persons whose first name,
last name or email (at one of their customers) contains each word, and
contact-card details (emails, websites) containing it; on PostgreSQL trigram indexes
answer these (contacts migration 0006, and the customer list's own). Each kind
shows at most RESULT_LIMIT rows and says when there are more: one query per kind,
whatever the size of the tables (two for persons: a person shows once, with the
customers they are a contact of).

Within a kind, exact matches come first (the whole name, email or number as typed),
then numbers read in the organisation's country (ORGANISATION_COUNTRY), then the rest.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import reduce
from operator import and_, or_

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import (
    Case,
    Count,
    Expression,
    F,
    IntegerField,
    Min,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from contacts.marks import EmailMark, email_marks
from contacts.models import Contact, ContactDetail
from contacts.selectors import phone_readings
from contacts.validators import normalize_email_address
from core.phones import format_phone_number
from customers.models import Customer

RESULT_LIMIT = 20
MIN_TEXT_LENGTH = 2
# A word shorter than this has no trigram, so no index could find it: in a longer
# query it is left out (a whole query this short is still searched, by scanning).
MIN_WORD_LENGTH = 3
# The words of one query that are searched; the others are left out.
MAX_WORDS = 5
# Of a person's customers, a hit names this many (those where they matched first);
# the others are counted.
CUSTOMERS_NAMED = 3


@dataclass(frozen=True)
class Hit:
    title: str  # what was found: "Anna Berg", "Mobile Phone of Aurora Trading B.V."
    url: str
    matched: str  # what matched: "Phone number +31 6 12345678"
    context: str = ""  # whose it is: "contact of Aurora Trading B.V."
    email: str = ""  # the email address of what was found, if any
    mark: EmailMark | None = None  # what is known of it (a suppression)


@dataclass
class Section:
    label: str
    hits: list[Hit] = field(default_factory=list)
    more: bool = False  # more than RESULT_LIMIT matched


@dataclass
class SearchResults:
    query: str
    as_phone: list[str]  # the E.164 readings tried, when read as a number
    sections: list[Section]
    words: list[str] = field(default_factory=list)  # the words searched as text
    timed_out: bool = False  # the search took longer than SEARCH_TIMEOUT_MS

    @property
    def found(self) -> bool:
        return any(section.hits for section in self.sections)


def site_search(*, query: str, user) -> SearchResults:
    """What the user may see that matches `query`: customers (customers.view_customer),
    contact persons (contacts.view_contact), contact-card details
    (contacts.view_contactdetail)."""
    query = " ".join(query.split())
    numbers = phone_readings(query)
    words = search_words(query)
    results = SearchResults(query=query, as_phone=numbers, sections=[], words=words)
    if not numbers and (len(query) < MIN_TEXT_LENGTH or not words):
        return results
    try:
        with search_time_limit():
            if user.has_perm("customers.view_customer") and not numbers:
                results.sections.append(_customers(words))
            if user.has_perm("contacts.view_contact"):
                results.sections.append(_persons(query, numbers))
            if user.has_perm("contacts.view_contactdetail"):
                results.sections.append(_details(query, numbers))
    except SearchTimedOut:
        results.sections, results.timed_out = [], True
        return results
    _mark(results)
    return results


def search_words(query: str) -> list[str]:
    """The words of a query that are searched as text: those an index can serve
    (MIN_WORD_LENGTH or longer), at most MAX_WORDS of them; a whole query shorter
    than that is one word. None when nothing usable is left (". . . .")."""
    query = " ".join(query.split())
    if len(query) < MIN_WORD_LENGTH:
        return [query] if query else []
    words = [word for word in query.split() if len(word) >= MIN_WORD_LENGTH]
    return list(dict.fromkeys(words))[:MAX_WORDS]


class SearchTimedOut(Exception):
    """A search ran past settings.SEARCH_TIMEOUT_MS and was stopped."""


@contextmanager
def search_time_limit() -> Iterator[None]:
    """Stop the queries inside after settings.SEARCH_TIMEOUT_MS, raising
    SearchTimedOut: a careless query must not hold a database connection (and make
    everyone else's search wait). PostgreSQL cancels the statement
    (`statement_timeout`, for this transaction only); SQLite is interrupted by a
    progress handler."""
    limit = settings.SEARCH_TIMEOUT_MS
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL statement_timeout = %s", [limit])
                yield
            elif connection.vendor == "sqlite":
                connection.ensure_connection()
                deadline = time.monotonic() + limit / 1000
                raw = connection.connection
                raw.set_progress_handler(lambda: time.monotonic() > deadline, 1000)
                try:
                    yield
                finally:
                    raw.set_progress_handler(None, 0)
            else:
                yield
    except DatabaseError as error:
        if _is_timeout(error):
            raise SearchTimedOut from error
        raise


def _is_timeout(error: DatabaseError) -> bool:
    cause = error.__cause__
    # psycopg's QueryCanceled (SQLSTATE 57014); sqlite3's "interrupted".
    return getattr(cause, "sqlstate", None) == "57014" or "interrupted" in str(error)


def _mark(results: SearchResults) -> None:
    """A suppressed address (or any other mark, contacts.marks) shows beside the
    hit: one look-up for the page."""
    hits = [hit for section in results.sections for hit in section.hits]
    marks = email_marks.for_addresses(hit.email for hit in hits)
    if not marks:
        return
    for section in results.sections:
        section.hits = [
            replace(hit, mark=marks.get(hit.email.lower())) if hit.email else hit
            for hit in section.hits
        ]


def number_rank(field: str, query: str, numbers: list[str]) -> Case:
    """0 for the number typed in E.164 itself, 1 for a reading in the organisation's
    country, 2 for the readings in other countries."""
    home = [
        number
        for number in numbers
        if phonenumbers.region_code_for_number(phonenumbers.parse(number))
        == settings.ORGANISATION_COUNTRY
    ]
    typed = query.replace(" ", "").replace("-", "")
    whens = [When(**{field: typed}, then=Value(0))] if typed in numbers else []
    if home:
        whens.append(When(**{f"{field}__in": home}, then=Value(1)))
    return Case(*whens, default=Value(2), output_field=IntegerField())


def text_rank(query: str, *fields: str) -> Case:
    """0 when one of `fields` is the query itself (any case), else 1."""
    exact = reduce(or_, [Q(**{f"{field}__iexact": query}) for field in fields])
    return Case(
        When(exact, then=Value(0)), default=Value(1), output_field=IntegerField()
    )


def contacts_matching(query: str, numbers: list[str]) -> Q:
    """Contact persons with one of the numbers, else whose name or email holds
    each searched word of the query (`search_words`; none: nobody)."""
    if numbers:
        return Q(phone__in=numbers)
    words = search_words(query)
    if not words:
        return Q(pk__in=[])
    return reduce(
        and_,
        [
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            for word in words
        ],
    )


def details_matching(query: str, numbers: list[str]) -> Q:
    """Contact-card details with one of the numbers, else an email or website
    holding each searched word of the query."""
    if numbers:
        return Q(kind__in=ContactDetail.PHONE_KINDS, value__in=numbers)
    words = search_words(query)
    if not words:
        return Q(pk__in=[])
    return reduce(and_, [Q(value__icontains=word) for word in words]) & ~Q(
        kind__in=ContactDetail.PHONE_KINDS
    )


def email_lookup(email: str) -> str:
    """An email address as stored (normalised), to be compared without case; as
    typed when it cannot be read as one (it then finds nothing)."""
    try:
        return normalize_email_address(email.strip())
    except ValidationError:
        return email.strip()


def contacts_with_email(email: str) -> Q:
    return Q(email__iexact=email_lookup(email))


def details_with_email(email: str) -> Q:
    return Q(kind=ContactDetail.Kind.EMAIL, value__iexact=email_lookup(email))


def _limited(section: Section, rows, hit) -> Section:
    rows = list(rows[: RESULT_LIMIT + 1])
    section.more = len(rows) > RESULT_LIMIT
    section.hits = [hit(row) for row in rows[:RESULT_LIMIT]]
    return section


def _customers(words: list[str]) -> Section:
    query = " ".join(words)
    customers = (
        Customer.objects.filter(
            reduce(and_, [Q(name__icontains=word) for word in words])
            | Q(number__iexact=query)
        )
        .alias(rank=text_rank(query, "name", "number"))
        .order_by("rank", "name", "number")
    )
    return _limited(
        Section(gettext("Customers")),
        customers,
        lambda customer: Hit(
            title=customer.name,
            url=reverse("customers:detail", args=[customer.pk]),
            matched=gettext("Customer %(number)s") % {"number": customer.number},
        ),
    )


def _persons(query: str, numbers: list[str]) -> Section:
    """Each person once, whatever the number of their links that match: ranked by
    their best-matching link, named with their customers (CUSTOMERS_NAMED, then a
    count), linked to their page. Two queries: the persons, then the customers of
    the ones shown."""
    matching = contacts_matching(query, numbers)
    rank = (
        number_rank("phone", query, numbers)
        if numbers
        else text_rank(query, "first_name", "last_name", "email")
    )
    found = (
        Contact.objects.filter(matching)
        .order_by()
        .values("person_id")
        .annotate(rank=Min(rank), first=Min("first_name"), last=Min("last_name"))
        .order_by("rank", "first", "last", "person_id")
    )
    section = Section(gettext("Contact persons"))
    persons = [row["person_id"] for row in found[: RESULT_LIMIT + 1]]
    section.more = len(persons) > RESULT_LIMIT
    persons = persons[:RESULT_LIMIT]
    if not persons:
        return section
    # Each person's links, the matching ones first (best first), then by
    # customer: the first says what matched; only the first few are read.
    links_order: list[Expression | F] = [
        Case(When(matching, then=Value(0)), default=Value(1)),
        rank,
        F("customer__name"),
        F("pk"),
    ]
    links = (
        Contact.objects.filter(person_id__in=persons)
        .annotate(
            place=Window(
                RowNumber(), partition_by=[F("person_id")], order_by=links_order
            ),
            link_count=Window(Count("pk"), partition_by=[F("person_id")]),
        )
        .filter(place__lte=CUSTOMERS_NAMED)
        .select_related("customer")
        .order_by("person_id", "place")
    )
    named: dict[int, list[Contact]] = {}
    counts: dict[int, int] = {}
    for link in links:
        named.setdefault(link.person_id, []).append(link)
        counts[link.person_id] = link.link_count
    section.hits = [
        _person_hit(named[person], counts[person], query, numbers)
        for person in persons
        if person in named
    ]
    return section


def _person_hit(
    links: list[Contact], count: int, query: str, numbers: list[str]
) -> Hit:
    """A person's hit: `links` the first of their `count` links."""
    best = links[0]
    if numbers:
        matched = gettext("Phone number %(number)s") % {
            "number": format_phone_number(best.phone)
        }
    elif best.email and query.lower() in best.email.lower():
        matched = gettext("Email address %(email)s") % {"email": best.email}
    else:
        matched = gettext("Name")
    customers = ", ".join(link.customer.name for link in links)
    others = count - len(links)
    context = (
        ngettext(
            "contact of %(customers)s and %(count)s more",
            "contact of %(customers)s and %(count)s more",
            others,
        )
        % {"customers": customers, "count": others}
        if others
        else gettext("contact of %(customer)s") % {"customer": customers}
    )
    return Hit(
        title=best.full_name,
        url=reverse("persons:detail", args=[best.person_id]),
        matched=matched,
        context=context,
        email=best.email,
    )


def _details(query: str, numbers: list[str]) -> Section:
    rank = (
        number_rank("value", query, numbers) if numbers else text_rank(query, "value")
    )
    details = (
        ContactDetail.objects.filter(details_matching(query, numbers))
        .select_related("customer")
        .alias(rank=rank)
        .order_by("rank", "customer__name", "kind", "pk")
    )

    def hit(detail: ContactDetail) -> Hit:
        value = (
            format_phone_number(detail.value)
            if detail.kind in ContactDetail.PHONE_KINDS
            else detail.value
        )
        return Hit(
            title=gettext("%(kind)s of %(customer)s")
            % {"kind": detail.get_kind_display(), "customer": detail.customer.name},
            url=reverse("customers:detail", args=[detail.customer_id]),
            matched=f"{detail.get_kind_display()} {value}",
            context=detail.description,
            email=detail.value if detail.kind == ContactDetail.Kind.EMAIL else "",
        )

    return _limited(Section(gettext("Contact details")), details, hit)
