import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import reduce
from operator import and_

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import (
    SET_NULL,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, pgettext

from contacts.duplicates import ComparedContact, Finding, find_pairs
from contacts.models import (
    CONTACT_PERSON_FIELDS,
    Contact,
    ContactCardVersion,
    ContactDetail,
    ContactRole,
    NotDuplicate,
    Person,
    PossibleDuplicate,
)
from contacts.validators import (
    looks_like_phone_number,
    normalize_email_address,
    normalize_phone_number,
    phone_number_candidates,
)
from core.phones import format_phone_number
from customers.models import Customer
from customers.selectors import billing_countries, customer_phone_region


def customer_primary_details(*, customer: Customer) -> dict[str, ContactDetail | None]:
    """The customer's primary email, telephone, mobile and website, by kind (None
    where the customer has none). Communications use these by default."""
    primaries = {kind: None for kind in ContactDetail.Kind.values}
    for detail in ContactDetail.objects.filter(customer=customer, is_primary=True):
        primaries[detail.kind] = detail
    return primaries


def contact_card_version(*, customer: Customer) -> str:
    """The card's version, as the editing window carries it: the counter every write
    of the customer's details raises, in words, like every form's version, so a save
    based on a card that changed since the window opened is refused
    (contacts.services.card.contact_details_update, core.services.changed_since)."""
    version = ContactCardVersion.objects.filter(customer_id=customer.pk).values_list(
        "version", flat=True
    )
    return str(version.first() or 0)


@dataclass(frozen=True)
class PrimaryRow:
    kind: str
    label: str
    detail: ContactDetail | None


@dataclass(frozen=True)
class DetailGroup:
    description: str
    details: list[ContactDetail] = field(default_factory=list)


@dataclass(frozen=True)
class ContactCard:
    """What the Contact card on the Overview and its editing window show."""

    primaries: list[PrimaryRow]
    additional: list[ContactDetail]

    @property
    def is_empty(self) -> bool:
        return not self.additional and all(row.detail is None for row in self.primaries)

    @property
    def groups(self) -> list[DetailGroup]:
        """The additional details grouped under their description, in the order the
        descriptions first appear; those without one come last."""
        groups: dict[str, DetailGroup] = {}
        for detail in self.additional:
            groups.setdefault(
                detail.description, DetailGroup(description=detail.description)
            ).details.append(detail)
        without = groups.pop("", None)
        return [*groups.values(), *([without] if without else [])]


def contact_card(*, customer: Customer) -> ContactCard:
    """The customer's contact card, in one query whatever the number of details."""
    details = list(
        ContactDetail.objects.filter(customer=customer).order_by("created_at", "pk")
    )
    primaries = {detail.kind: detail for detail in details if detail.is_primary}
    return ContactCard(
        primaries=[
            PrimaryRow(kind=kind, label=label, detail=primaries.get(kind))
            for kind, label in ContactDetail.Kind.choices
        ],
        additional=[detail for detail in details if not detail.is_primary],
    )


# How many contact persons the Overview lists; the Contacts tab has them all.
OVERVIEW_CONTACTS = 6


@dataclass(frozen=True)
class OverviewContacts:
    contacts: list[Contact]
    has_more: bool


def overview_contacts(*, customer: Customer) -> OverviewContacts:
    """The contact persons the Overview shows, with their roles: those holding the
    Primary role first, then by name. Two queries (the contacts, their roles),
    whatever the number of contacts."""
    holds_primary = Exists(
        Contact.roles.through.objects.filter(
            contact=OuterRef("pk"), contactrole__code=ContactRole.PRIMARY
        )
    )
    contacts = list(
        customer.contacts.annotate(holds_primary=holds_primary)
        .order_by("-holds_primary", "first_name", "last_name", "pk")
        .prefetch_related("roles")[: OVERVIEW_CONTACTS + 1]
    )
    return OverviewContacts(
        contacts=contacts[:OVERVIEW_CONTACTS],
        has_more=len(contacts) > OVERVIEW_CONTACTS,
    )


# What a warning names at most: enough to recognise the others, never a long list.
WARNING_LIMIT = 10


@dataclass(frozen=True)
class SharedContact:
    """Another contact that has the same email or phone number."""

    contact: Contact
    fields: list[str]  # the labels of what is shared: "Email address", "Phone number"


def contacts_sharing(
    *, email: str = "", phone: str = "", exclude: int | None = None
) -> list[SharedContact]:
    """The other contacts, of this customer or another, with this email (compared
    case-insensitively; both are normalised) or this phone number (E.164): what the
    contact form warns about before it saves. One indexed query."""
    match = Q()
    if email:
        match |= Q(email__iexact=email)
    if phone:
        match |= Q(phone=phone)
    if not match:
        return []
    others = (
        Contact.objects.filter(match)
        .exclude(pk=exclude)
        .select_related("customer")
        .order_by("customer__name", "first_name", "last_name", "pk")[:WARNING_LIMIT]
    )
    return [
        SharedContact(
            contact=other,
            fields=[
                label
                for label, shared in (
                    (
                        gettext("Email address"),
                        email and other.email.lower() == email.lower(),
                    ),
                    (gettext("Phone number"), phone and other.phone == phone),
                )
                if shared
            ],
        )
        for other in others
    ]


_UNREAD = object()
# Websites are often shared by companies of one group: no warning for those.
SHARED_KINDS = (ContactDetail.Kind.EMAIL, *ContactDetail.PHONE_KINDS)


@dataclass(frozen=True)
class SharedDetail:
    """A detail typed into the card window that another customer's card has."""

    value: str  # as stored: normalised
    detail: ContactDetail  # the other customer's, with its customer


def details_on_other_cards(
    *, customer: Customer, rows: Iterable[tuple[str, str]]
) -> list[SharedDetail]:
    """The (kind, value) rows of the card window whose value, read as it will be
    stored (an email normalised, a number in E.164), is on another customer's card
    and not yet on this one: what the window warns about before it saves. Values
    the rules refuse are left to the save, which says why. One indexed query (and
    one for the billing country when a phone number was typed)."""
    region = _UNREAD
    typed = set()
    for kind, value in rows:
        if not value.strip() or kind not in SHARED_KINDS:
            continue
        try:
            if kind == ContactDetail.Kind.EMAIL:
                typed.add(normalize_email_address(value))
            else:
                if region is _UNREAD:
                    region = customer_phone_region(customer=customer)
                typed.add(normalize_phone_number(value, region=region))
        except ValidationError:
            continue
    if not typed:
        return []
    on_this_card = ContactDetail.objects.filter(customer=customer).values("value")
    others = (
        ContactDetail.objects.filter(value__in=typed, kind__in=SHARED_KINDS)
        .exclude(value__in=on_this_card)
        .exclude(customer=customer)
        .select_related("customer")
        .order_by("value", "customer__name", "pk")[:WARNING_LIMIT]
    )
    return [SharedDetail(value=detail.value, detail=detail) for detail in others]


def possible_duplicates() -> QuerySet[PossibleDuplicate]:
    """The stored possible duplicates, newest first, with their customer (both, for
    a pair of two customers' contacts) and both contacts: a page of them costs one
    query (and one to count)."""
    return PossibleDuplicate.objects.select_related(
        "customer", "other_customer", "contact_a", "contact_b"
    ).order_by("-found_at", "-pk")


def outliving_relations():
    """The foreign keys to Contact whose rows outlive a deleted contact
    (on_delete=SET_NULL: the sales documents), found by introspection so this app
    needs to know nothing of the apps above it. A merge points them at the kept
    contact."""
    return [
        relation
        for relation in Contact._meta.related_objects
        if relation.one_to_many and relation.on_delete is SET_NULL
    ]


def rows_pointing_at(*, contact_ids: Iterable[int]) -> dict[int, int]:
    """How many rows that would outlive each contact (`outliving_relations`: its
    documents and emails) point at it: one query, whatever the number of kinds."""
    relations = outliving_relations()
    counts = {
        f"pointing_{index}": Coalesce(
            Subquery(
                relation.related_model._default_manager.filter(
                    **{relation.field.name: OuterRef("pk")}
                )
                .order_by()
                .values(relation.field.attname)
                .annotate(count=Count("pk"))
                .values("count"),
                output_field=IntegerField(),
            ),
            Value(0),
        )
        for index, relation in enumerate(relations)
    }
    return {
        pk: sum(row)
        for pk, *row in Contact.objects.filter(pk__in=list(contact_ids))
        .annotate(**counts)
        .values_list("pk", *counts)
    }


@dataclass(frozen=True)
class MergeRow:
    name: str
    label: str
    keep: str  # as shown: phone numbers in international format
    merge_away: str
    differ: bool


@dataclass(frozen=True)
class MergePreview:
    rows: list[MergeRow]
    roles: list  # the union, in the roles' order
    keep_documents: int  # rows pointing at each contact (its sales documents)
    merge_away_documents: int


def merge_preview(*, keep: Contact, merge_away: Contact) -> MergePreview:
    """What the merge preview shows side by side. The roles come prefetched; one
    query for both contacts' counts of documents and emails."""
    rows = []
    for name in CONTACT_PERSON_FIELDS:
        label = str(Contact._meta.get_field(name).verbose_name).capitalize()
        values = [getattr(contact, name) for contact in (keep, merge_away)]
        if name == "phone":
            values = [format_phone_number(value) for value in values]
        rows.append(
            MergeRow(
                name=name,
                label=label,
                keep=values[0],
                merge_away=values[1],
                differ=getattr(keep, name) != getattr(merge_away, name),
            )
        )
    roles = {role.pk: role for role in [*keep.roles.all(), *merge_away.roles.all()]}
    documents = dict.fromkeys((keep.pk, merge_away.pk), 0)
    documents.update(rows_pointing_at(contact_ids=documents))
    return MergePreview(
        rows=rows,
        roles=sorted(roles.values(), key=lambda role: (role.position, role.name)),
        keep_documents=documents[keep.pk],
        merge_away_documents=documents[merge_away.pk],
    )


@dataclass(frozen=True)
class FoundPair:
    customer_number: str
    customer_name: str
    a: ComparedContact
    b: ComparedContact
    finding: Finding

    @property
    def reasons(self) -> list[str]:
        return PossibleDuplicate(
            same_email=self.finding.same_email,
            same_phone=self.finding.same_phone,
            name_similarity=self.finding.name_similarity,
        ).reasons


def possible_duplicates_found(*, chunk_size: int = 2000) -> Iterator[FoundPair]:
    """Every possible duplicate, found afresh from the contacts themselves (not from
    the stored pairs the page reads), customer by customer, leaving out the pairs
    marked "Not a duplicate": what `check_contacts` reports. Streams the contacts
    in one query, ordered by customer, plus one for the marks."""
    dismissed = set(NotDuplicate.objects.values_list("contact_a_id", "contact_b_id"))
    rows = Contact.objects.order_by(
        "customer__number", "customer_id", "pk"
    ).values_list(
        "customer_id",
        "customer__number",
        "customer__name",
        "pk",
        "first_name",
        "last_name",
        "email",
        "phone",
    )
    current, people = None, []

    def pairs_of(customer):
        by_pk = {person.pk: person for person in people}
        for finding in find_pairs(people):
            if (finding.a, finding.b) not in dismissed:
                yield FoundPair(
                    *customer[1:], by_pk[finding.a], by_pk[finding.b], finding
                )

    for customer_id, number, name, *fields in rows.iterator(chunk_size=chunk_size):
        if current is None or customer_id != current[0]:
            if current is not None:
                yield from pairs_of(current)
            current, people = (customer_id, number, name), []
        people.append(ComparedContact(*fields))
    if current is not None:
        yield from pairs_of(current)


def person_links(*, person_id: int) -> list[Contact]:
    """The person's links to customers, with each customer and its roles: what the
    person page lists. Every customer is visible to whoever may view customers and
    contacts (the permissions the page requires), so every link is shown."""
    return list(
        Contact.objects.filter(person_id=person_id)
        .select_related("customer")
        .prefetch_related("roles")
        .order_by("customer__name", "pk")
    )


def same_person_preview(
    *, pair: PossibleDuplicate
) -> list[tuple[Person, list[Contact]]]:
    """The two persons of a pair of two customers' contacts, each with their links
    (`person_links`), the one whose name stays by default first: the one with more
    customers, then the one recorded first (the established one, as a merge keeps)."""
    persons = [pair.contact_a.person, pair.contact_b.person]
    links = {person.pk: person_links(person_id=person.pk) for person in persons}
    persons.sort(key=lambda p: (-len(links[p.pk]), p.created_at, p.pk))
    return [(person, links[person.pk]) for person in persons]


def other_customers_of(*, contact: Contact) -> list[Customer]:
    """The other customers the contact's person is a contact of, by name: what the
    contact form's note names (every customer is visible to who may change
    contacts, see person_links)."""
    return list(
        Customer.objects.filter(contacts__person_id=contact.person_id)
        .exclude(pk=contact.customer_id)
        .order_by("name", "pk")
        .distinct()
    )


def phone_readings(query: str) -> list[str]:
    """The E.164 numbers a query typed as a phone number can be (none when it
    does not look like one): a national number is read in each country of the
    billing addresses. The header search, the API's filters and the search for a
    person share it."""
    if not looks_like_phone_number(query):
        return []
    return phone_number_candidates(query, regions=billing_countries())


# How many persons the add-contact page's search lists; more asks to refine.
PERSON_SEARCH_LIMIT = 20
# The words of a search for a person that are looked for; the rest are left out.
PERSON_SEARCH_WORDS = 5


@dataclass(frozen=True)
class PersonSearch:
    # Each with `links`: their contacts, with each customer, by customer name.
    persons: list[Person]
    more: bool  # more than PERSON_SEARCH_LIMIT matched


def persons_matching(*, query: str, not_of: Customer) -> PersonSearch:
    """The persons who are not a contact of `not_of` yet, found by a phone number
    in any format (their own or a link's work phone) or else by each word of the
    query in their name or email (their own or a link's work email), across every
    customer (all are visible to who may add contacts, see person_links). At most
    PERSON_SEARCH_LIMIT, by name: two queries (three when the query reads as a
    phone number: the billing countries)."""
    query = " ".join(query.split())
    if not query:
        return PersonSearch(persons=[], more=False)
    links = Contact.objects.values("person_id")
    if numbers := phone_readings(query):
        match = Q(personal_phone__in=numbers) | Q(
            pk__in=links.filter(phone__in=numbers)
        )
    else:
        match = reduce(
            and_,
            [
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(personal_email__icontains=word)
                | Q(pk__in=links.filter(email__icontains=word))
                for word in query.split()[:PERSON_SEARCH_WORDS]
            ],
        )
    persons = list(
        Person.objects.filter(match)
        .exclude(pk__in=links.filter(customer=not_of))
        .prefetch_related(
            Prefetch(
                "contacts",
                queryset=Contact.objects.select_related("customer").order_by(
                    "customer__name", "pk"
                ),
                to_attr="links",
            )
        )
        .order_by("first_name", "last_name", "pk")[: PERSON_SEARCH_LIMIT + 1]
    )
    return PersonSearch(
        persons=persons[:PERSON_SEARCH_LIMIT],
        more=len(persons) > PERSON_SEARCH_LIMIT,
    )


# How many changes of a person their page shows, newest first.
PERSON_HISTORY_LIMIT = 50
# The fields of a person whose changes the page shows, in its order.
PERSON_HISTORY_FIELDS = (
    "first_name",
    "last_name",
    "language",
    "personal_email",
    "personal_phone",
)


@dataclass(frozen=True)
class PersonChange:
    """One save of a person: when, by whom, and each field it changed."""

    when: datetime.datetime
    who: str
    created: bool
    # (label, before, after) per changed field; a creation: (label, "", value).
    lines: list[tuple[str, str, str]]


def person_history(*, person_id: int) -> list[PersonChange]:
    """The person's last PERSON_HISTORY_LIMIT saves that changed something shown,
    newest first, each compared with the record before it. Two queries (the
    records, one more than shown for the oldest one's before; the users)."""
    records = list(
        Person.history.filter(id=person_id).order_by("-history_date", "-history_id")[
            : PERSON_HISTORY_LIMIT + 1
        ]
    )
    users = {
        user.pk: user
        for user in get_user_model().objects.filter(
            pk__in={r.history_user_id for r in records if r.history_user_id}
        )
    }
    changes = []
    # The record past the limit is only the one before the oldest shown.
    befores = [*records[1:], None]
    for record, before in zip(records[:PERSON_HISTORY_LIMIT], befores, strict=False):
        created = before is None or record.history_type == "+"
        lines = []
        for name in PERSON_HISTORY_FIELDS:
            old = "" if created else _person_value(before, name)
            new = _person_value(record, name)
            if old != new:
                label = str(Person._meta.get_field(name).verbose_name)
                lines.append((label[:1].upper() + label[1:], old, new))
        if lines:
            changes.append(
                PersonChange(
                    when=record.history_date,
                    who=_changed_by(record.history_user_id, users),
                    created=created,
                    lines=lines,
                )
            )
    return changes


def _person_value(record, name: str) -> str:
    value = getattr(record, name)
    if name == "personal_phone":
        return format_phone_number(value)
    if name == "language":
        return str(dict(Person._meta.get_field(name).flatchoices).get(value, value))
    return value


def _changed_by(user_id: int | None, users: dict) -> str:
    """Who made a change, as the Activity Log names them."""
    if user_id is None:
        return pgettext("the changing user", "system")
    user = users.get(user_id)
    if user is None:
        return gettext("deleted user")
    name = user.get_full_name() or user.get_username()
    if user.is_active:
        return name
    return gettext("%(name)s (deactivated)") % {"name": name}
