"""Possible duplicates and "Not a duplicate". The pairs are derived data: every writer
of contacts refreshes those of the contacts it wrote, under the customer's lock (so two
writers of one customer each see the other's contacts), in a fixed number of queries."""

from collections import defaultdict
from collections.abc import Collection
from functools import partial

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber, Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.duplicates import (
    ComparedContact,
    Finding,
    LinkedContact,
    find_pairs,
    find_same_persons,
)
from contacts.models import (
    Contact,
    NotDuplicate,
    PossibleDuplicate,
)
from customers.models import Customer
from customers.services import lock_customers

# Pairs written per INSERT or UPDATE: one statement for a crowded customer's tens of
# thousands of pairs would be built whole in memory (and, for the update, as one CASE
# per field that PostgreSQL plans slowly).
PAIR_WRITE_SLICE = 2000


def possible_duplicates_refresh(
    *, customer_ids: Collection[int], changed: Collection[int] | None = None
) -> None:
    """Store the possible duplicates of the customers' contacts again, those that
    involve a `changed` contact only when given (contacts.duplicates is the rule).
    A pair still found keeps when it was first found; a pair marked "Not a
    duplicate" is left out. Three to five queries, and one more per further
    `PAIR_WRITE_SLICE` pairs added or changed."""
    people: dict[int, list[ComparedContact]] = defaultdict(list)
    rows = (
        Contact.objects.filter(customer_id__in=customer_ids)
        .order_by("pk")
        .values_list("customer_id", "pk", "first_name", "last_name", "email", "phone")
    )
    for customer_id, *fields in rows:
        people[customer_id].append(ComparedContact(*fields))
    findings = {
        (finding.a, finding.b): (customer_id, finding)
        for customer_id, persons in people.items()
        for finding in find_pairs(persons, changed=changed)
    }
    # Pairs across customers are the other refresh's (same_persons_refresh), but
    # for one whose contacts are now of one customer: replaced by this rule's.
    scope = PossibleDuplicate.objects.filter(customer_id__in=customer_ids)
    dismissed = NotDuplicate.objects.filter(customer_id__in=customer_ids)
    if changed is not None:
        changed = list(changed)
        involved = Q(contact_a__in=changed) | Q(contact_b__in=changed)
        scope, dismissed = scope.filter(involved), dismissed.filter(involved)
    for pair in dismissed.values_list("contact_a_id", "contact_b_id"):
        findings.pop(pair, None)
    stored = {(pair.contact_a_id, pair.contact_b_id): pair for pair in scope}
    gone = [
        pair.pk
        for key, pair in stored.items()
        if (key not in findings) == (pair.other_customer_id is None)
    ]
    stored = {
        key: pair for key, pair in stored.items() if pair.other_customer_id is None
    }
    if gone:
        PossibleDuplicate.objects.filter(pk__in=gone).delete()
    _write_pairs(
        {
            key: (customer, None, finding)
            for key, (customer, finding) in findings.items()
        },
        stored,
    )
    # Across customers once this write is committed, under the locks of every
    # customer concerned (never while this writer holds some of them).
    transaction.on_commit(
        partial(
            same_persons_refresh,
            contact_ids=changed,
            customer_ids=None if changed is not None else list(customer_ids),
        ),
        robust=True,
    )


def _write_pairs(
    found: dict[tuple[int, int], tuple[int, int | None, Finding]],
    stored: dict[tuple[int, int], PossibleDuplicate],
) -> None:
    """Write the pairs found ((a, b) → customer, other customer or None, finding)
    that are new, and update those stored whose reasons changed."""
    new: list[tuple] = []
    changed_pairs = []
    for (a, b), (customer_id, other_customer_id, finding) in found.items():
        pair = stored.get((a, b))
        values = (finding.same_email, finding.same_phone, finding.name_similarity)
        if pair is None:
            new.append((customer_id, a, b, *values, other_customer_id))
        elif (pair.same_email, pair.same_phone, pair.name_similarity) != values:
            pair.same_email, pair.same_phone, pair.name_similarity = values
            changed_pairs.append(pair)
    if new:
        _insert_pairs(new)
    if changed_pairs:
        PossibleDuplicate.objects.bulk_update(
            changed_pairs,
            ["same_email", "same_phone", "name_similarity"],
            batch_size=PAIR_WRITE_SLICE,
        )


_PAIR_COLUMNS = (
    "customer_id",
    "contact_a_id",
    "contact_b_id",
    "same_email",
    "same_phone",
    "name_similarity",
    "other_customer_id",
)
# Written with the time of the insert, the same for every pair of it.
_PAIR_TIMES = ("created_at", "updated_at", "found_at")


def _insert_pairs(rows: list[tuple]) -> None:
    """Insert new pairs (customer, a, b, same email, same phone, name similarity,
    other customer), found now: by COPY on PostgreSQL, elsewhere by plain INSERTs
    in slices of PAIR_WRITE_SLICE. Not bulk_create: a crowded import finds a
    million pairs, and building and preparing a model instance per pair took most
    of the import's time; PostgreSQL takes them by COPY in a fraction of an
    INSERT's time."""
    meta = PossibleDuplicate._meta
    quote = connection.ops.quote_name
    names = _PAIR_COLUMNS + _PAIR_TIMES
    columns = ", ".join(quote(meta.get_field(name).column) for name in names)
    now = timezone.now()
    times = tuple(
        meta.get_field(name).get_db_prep_save(now, connection) for name in _PAIR_TIMES
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            copy_sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
            with cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row((*row, *times))
            return
        sql = (
            f"INSERT INTO {quote(meta.db_table)} ({columns}) "
            f"VALUES ({', '.join(['%s'] * len(names))})"
        )
        for start in range(0, len(rows), PAIR_WRITE_SLICE):
            chunk = rows[start : start + PAIR_WRITE_SLICE]
            cursor.executemany(sql, [(*row, *times) for row in chunk])


# Across customers: at most this many contacts holding one email or phone are read
# as candidates (the lowest keys: a switchboard's number shared by hundreds of
# contacts costs fifty rows, not hundreds), and a contact is proposed as the same
# person as at most SAME_PERSONS_PER_CONTACT others at a time (once they are
# linked, the next are proposed).
KEY_HOLDERS = 50
SAME_PERSONS_PER_CONTACT = 5
# Keys per query of their holders.
KEY_SLICE = 500


def same_persons_refresh(
    *,
    contact_ids: Collection[int] | None = None,
    customer_ids: Collection[int] | None = None,
) -> None:
    """Store again the pairs of contacts of two customers that may be one person
    held twice (contacts.duplicates.find_same_persons), for the contacts given, or
    for all the contacts of the customers given.

    Run once the writer that changed them has committed, in its own transaction:
    the candidates are read by the contacts' exact email and phone (indexed), then
    every customer concerned (the contacts', the candidates', those of the pairs
    stored) is locked in key order, as any writer does, and all is read again: a
    deletion, merge or join at any of them waits or has happened. Of two writers of
    one person's contacts at two customers, the one committing second finds the
    other's. A handful of queries when nothing is found; nothing is locked then."""
    plan = _same_persons_plan(contact_ids, customer_ids)
    if plan is None:
        return
    with transaction.atomic():
        try:
            locked = lock_customers(plan)
        except Customer.DoesNotExist:
            return  # deleted meanwhile, with its pairs; the next write refreshes
        _same_persons_write(contact_ids, customer_ids, locked.keys())


def _looked_at(
    contact_ids: Collection[int] | None, customer_ids: Collection[int] | None
) -> tuple[list[LinkedContact], list[LinkedContact], QuerySet[PossibleDuplicate]]:
    """The contacts looked at, their candidates (the contacts sharing an email or
    phone with one of them) and the stored pairs across customers they are in."""
    if contact_ids is not None:
        looked = Contact.objects.filter(pk__in=list(contact_ids))
        involved = Q(contact_a__in=list(contact_ids)) | Q(
            contact_b__in=list(contact_ids)
        )
    else:
        looked = Contact.objects.filter(customer_id__in=list(customer_ids or ()))
        involved = Q(customer_id__in=list(customer_ids or ())) | Q(
            other_customer_id__in=list(customer_ids or ())
        )
    contacts = _linked(looked)
    holders: list[LinkedContact] = []
    for expression, keys in (
        (Upper("email"), sorted({c.email.upper() for c in contacts if c.email})),
        (F("phone"), sorted({c.phone for c in contacts if c.phone})),
    ):
        for start in range(0, len(keys), KEY_SLICE):
            holders += _linked(
                Contact.objects.annotate(key=expression)
                .filter(key__in=keys[start : start + KEY_SLICE])
                .annotate(
                    rank=Window(RowNumber(), partition_by=F("key"), order_by="pk")
                )
                .filter(rank__lte=KEY_HOLDERS)
            )
    stored = PossibleDuplicate.objects.filter(involved, other_customer__isnull=False)
    return contacts, holders, stored


def _linked(contacts: QuerySet[Contact]) -> list[LinkedContact]:
    return [
        LinkedContact(*row)
        for row in contacts.order_by().values_list(
            "pk",
            "first_name",
            "last_name",
            "email",
            "phone",
            "customer_id",
            "person_id",
        )
    ]


def _same_persons_plan(
    contact_ids: Collection[int] | None, customer_ids: Collection[int] | None
) -> set[int] | None:
    """The customers to lock, or None when there is nothing to store or remove."""
    contacts, holders, stored = _looked_at(contact_ids, customer_ids)
    found = list(find_same_persons(contacts, holders, limit=SAME_PERSONS_PER_CONTACT))
    pairs = list(stored.values_list("customer_id", "other_customer_id"))
    if not found and not pairs:
        return None
    customer_of = {c.pk: c.customer_id for c in (*contacts, *holders)}
    return {
        *(customer_of[pk] for finding in found for pk in (finding.a, finding.b)),
        *(customer for pair in pairs for customer in pair),
    }


def _same_persons_write(
    contact_ids: Collection[int] | None,
    customer_ids: Collection[int] | None,
    locked: Collection[int],
) -> None:
    """The refresh across customers, under the locks of `locked`: pairs of a
    customer not locked (a contact moved or added there meanwhile) are left to the
    refresh of that write."""
    locked = set(locked)
    contacts, holders, stored = _looked_at(contact_ids, customer_ids)
    contacts = [c for c in contacts if c.customer_id in locked]
    holders = [c for c in holders if c.customer_id in locked]
    customer_of = {c.pk: c.customer_id for c in (*contacts, *holders)}
    findings = {
        (finding.a, finding.b): finding
        for finding in find_same_persons(
            contacts, holders, limit=SAME_PERSONS_PER_CONTACT
        )
    }
    if findings:
        dismissed = NotDuplicate.objects.filter(
            contact_a__in={a for a, _ in findings},
            contact_b__in={b for _, b in findings},
        ).values_list("contact_a_id", "contact_b_id")
        for pair in dismissed:
            findings.pop(pair, None)
    scope = {
        (pair.contact_a_id, pair.contact_b_id): pair
        for pair in stored.filter(customer_id__in=locked, other_customer_id__in=locked)
    }
    gone = [pair.pk for key, pair in scope.items() if key not in findings]
    if gone:
        PossibleDuplicate.objects.filter(pk__in=gone).delete()
    _write_pairs(
        {
            (a, b): (customer_of[a], customer_of[b], finding)
            for (a, b), finding in sorted(findings.items())
        },
        scope,
    )


# Contacts refreshed per transaction after an import: past it a chunk's customers
# are refreshed whole (a list of changed keys that long costs more than it saves).
REFRESH_CHUNK = 1000


# Contacts written past which an import has PostgreSQL read the contact tables'
# statistics again before the refresh: autovacuum comes later, and until it does the
# planner, with the table sizes from before the import, scans whole tables for the
# candidates by email and phone instead of using their indexes.
ANALYZE_AFTER = 10_000


def _analyze_contacts() -> None:
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in (Contact, PossibleDuplicate):
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")


def possible_duplicates_refresh_after_import(changed: dict[int, list[int]]) -> int:
    """Refresh the possible duplicates of the contacts an import wrote (customer id →
    contact keys), once for the whole import rather than once per batch: customers
    in chunks of about `REFRESH_CHUNK` contacts, each chunk its own transaction
    under its customers' lock, so a web write waits for one chunk at most. Returns
    the number of chunks."""
    chunks: list[list[int]] = []
    size = REFRESH_CHUNK
    for customer_id in sorted(changed):
        if size + len(changed[customer_id]) > REFRESH_CHUNK and size:
            chunks.append([])
            size = 0
        chunks[-1].append(customer_id)
        size += len(changed[customer_id])
    if sum(map(len, changed.values())) >= ANALYZE_AFTER:
        _analyze_contacts()
    for chunk in chunks:
        keys = [pk for customer_id in chunk for pk in changed[customer_id]]
        with transaction.atomic():
            lock_customers(chunk)
            possible_duplicates_refresh(
                customer_ids=chunk, changed=keys if len(keys) <= REFRESH_CHUNK else None
            )
    return len(chunks)


PAIR_GONE_MESSAGE = _(
    "This pair is no longer proposed: one of the two contacts was just merged, "
    "deleted or changed. Nothing was marked."
)


@transaction.atomic
def not_duplicate_mark(*, pair: PossibleDuplicate) -> NotDuplicate:
    """Remember that the pair's two contacts are different people: the pair is not
    proposed again, whatever they change later.

    The pair is read again under the customer's lock: one of its contacts merged or
    deleted since the page showed it took the pair with it, and is refused with a
    message rather than marked (its key would no longer exist). A pair of two
    customers' contacts ("Not the same person") locks both."""
    lock_customers({pair.customer_id, pair.other_customer_id or pair.customer_id})
    if not PossibleDuplicate.objects.filter(pk=pair.pk).exists():
        raise ValidationError(PAIR_GONE_MESSAGE, code="pair_gone")
    marked, _ = NotDuplicate.objects.get_or_create(
        contact_a_id=pair.contact_a_id,
        contact_b_id=pair.contact_b_id,
        defaults={"customer_id": pair.customer_id},
    )
    PossibleDuplicate.objects.filter(pk=pair.pk).delete()
    return marked


@transaction.atomic
def not_duplicate_unmark(*, mark: NotDuplicate) -> None:
    """Forget a "Not a duplicate" (an administrator's undo): the pair is proposed
    again at once if its contacts still look alike."""
    lock_customers([mark.customer_id])
    mark.delete()
    possible_duplicates_refresh(
        customer_ids=[mark.customer_id], changed=[mark.contact_a_id, mark.contact_b_id]
    )
