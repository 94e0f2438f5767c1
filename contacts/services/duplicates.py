"""Possible duplicates and "Not a duplicate". The pairs are derived data: every writer
of contacts refreshes those of the contacts it wrote, under the customer's lock (so two
writers of one customer each see the other's contacts), in a fixed number of queries."""

from collections import defaultdict
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.duplicates import ComparedContact, find_pairs
from contacts.models import (
    Contact,
    NotDuplicate,
    PossibleDuplicate,
)
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
    scope = PossibleDuplicate.objects.filter(customer_id__in=customer_ids)
    dismissed = NotDuplicate.objects.filter(customer_id__in=customer_ids)
    if changed is not None:
        changed = list(changed)
        involved = Q(contact_a__in=changed) | Q(contact_b__in=changed)
        scope, dismissed = scope.filter(involved), dismissed.filter(involved)
    for pair in dismissed.values_list("contact_a_id", "contact_b_id"):
        findings.pop(pair, None)
    stored = {(pair.contact_a_id, pair.contact_b_id): pair for pair in scope}
    gone = [pair.pk for key, pair in stored.items() if key not in findings]
    if gone:
        PossibleDuplicate.objects.filter(pk__in=gone).delete()
    new: list[tuple] = []
    changed_pairs = []
    for key, (customer_id, finding) in findings.items():
        pair = stored.get(key)
        values = (finding.same_email, finding.same_phone, finding.name_similarity)
        if pair is None:
            new.append((customer_id, finding.a, finding.b, *values))
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
)
# Written with the time of the insert, the same for every pair of it.
_PAIR_TIMES = ("created_at", "updated_at", "found_at")


def _insert_pairs(rows: list[tuple]) -> None:
    """Insert new pairs (customer, a, b, same email, same phone, name similarity),
    found now: by COPY on PostgreSQL, elsewhere by plain INSERTs in slices of
    PAIR_WRITE_SLICE. Not bulk_create: a crowded import finds a million pairs, and
    building and preparing a model instance per pair took most of the import's
    time; PostgreSQL takes them by COPY in a fraction of an INSERT's time."""
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


# Contacts refreshed per transaction after an import: past it a chunk's customers
# are refreshed whole (a list of changed keys that long costs more than it saves).
REFRESH_CHUNK = 1000


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
    message rather than marked (its key would no longer exist)."""
    lock_customers([pair.customer_id])
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
