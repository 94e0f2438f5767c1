"""Time the possible duplicates across customers ("The same person?") on a crowded
table: what the refresh across customers adds to an import's refresh, and to one
write of a contact.

    .venv/bin/python bench/same_persons.py [customers] [contacts_per_customer]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cc_bench \
        .venv/bin/python bench/same_persons.py 50 1000

Creates a throw-away test database and fills it with CUSTOMERS customers (50 by
default) in five countries, CONTACTS_PER_CUSTOMER contacts each (1,000), each its own
person: 400 names without numbers (20 first × 20 last names, as the crowded import),
a unique email each, and phone numbers repeating every 500 contacts of a customer and
shared by every customer of its country: so each phone is held by two contacts of
each of ten customers, and most contacts look like the same person as several
contacts of other customers (the worst case for the rule across customers). Then:

- the refresh across customers of every customer, as an import's refresh runs it
  after each of its transactions (`same_persons_refresh`), and the pairs it stores
  (each customer's own pairs are measured by bench/import_contacts.py);
- one contact's write: the refresh of one customer's pairs, and the refresh across
  customers that follows its commit, median and worst of ROUNDS, with queries.

The figures go to docs/benchmarks-import.md by hand.
"""

import os
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.import_contacts import (  # noqa: E402 - after the path
    FIRST_NAMES,
    LAST_NAMES,
    PHONES_PER_CUSTOMER,
)

ROUNDS = 15
COUNTRY_PREFIX = ["+3161", "+49171", "+32470", "+4479112", "+3367"]


def fill(customers: int, per_customer: int) -> None:
    from contacts.models import Contact, Person
    from customers.models import Customer

    made = Customer.objects.bulk_create(
        Customer(number=f"S{n:06d}", name=f"Same-person customer {n}")
        for n in range(customers)
    )
    rows = []
    for c, customer in enumerate(made):
        for k in range(per_customer):
            prefix = COUNTRY_PREFIX[c % len(COUNTRY_PREFIX)]
            rows.append(
                (
                    customer.pk,
                    FIRST_NAMES[k % len(FIRST_NAMES)],
                    LAST_NAMES[(k // len(FIRST_NAMES)) % len(LAST_NAMES)],
                    f"p{c}.{k}@example.com",
                    f"{prefix}{k % PHONES_PER_CUSTOMER:05d}",
                )
            )
    persons = Person.objects.bulk_create(
        (Person(first_name=first, last_name=last) for _, first, last, _, _ in rows),
        batch_size=2000,
    )
    Contact.objects.bulk_create(
        (
            Contact(
                customer_id=customer_id,
                person=person,
                first_name=first,
                last_name=last,
                email=email,
                phone=phone,
            )
            for (customer_id, first, last, email, phone), person in zip(
                rows, persons, strict=True
            )
        ),
        batch_size=2000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main() -> None:
    customers = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    per_customer = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        run(customers, per_customer)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(customers: int, per_customer: int) -> None:
    from contacts.models import Contact, PossibleDuplicate
    from contacts.services import duplicates

    across_refresh = duplicates.same_persons_refresh
    start = time.perf_counter()
    fill(customers, per_customer)
    print(
        f"{connection.vendor}: {Contact.objects.count():,} contacts of {customers} "
        f"customers, filled in {time.perf_counter() - start:,.0f} s; load average "
        f"{os.getloadavg()[0]:.2f}\n"
    )
    ids = sorted(set(Contact.objects.values_list("customer_id", flat=True)))

    start = time.perf_counter()
    slowest = 0.0
    for customer_id in ids:
        one = time.perf_counter()
        across_refresh(customer_ids=[customer_id])
        slowest = max(slowest, time.perf_counter() - one)
    across = time.perf_counter() - start
    pairs = PossibleDuplicate.objects.filter(other_customer__isnull=False).count()
    print(
        f"refresh across customers, every customer: {across:,.1f} s, {pairs:,} "
        f"pairs ({pairs / Contact.objects.count():.1f} a contact); the slowest "
        f"customer {slowest:,.2f} s\n"
    )

    sample = list(
        Contact.objects.order_by("?").values_list("customer_id", "pk")[:ROUNDS]
    )
    print("| one contact's write | median | worst | queries |")
    print("|---|---|---|---|")
    for label, call in [
        (
            "refresh of its customer's pairs",
            lambda c, pk: duplicates.possible_duplicates_refresh(
                customer_ids=[c], changed=[pk]
            ),
        ),
        (
            "refresh across customers, after its commit",
            lambda c, pk: across_refresh(contact_ids=[pk]),
        ),
    ]:
        times, queries = [], 0
        for customer_id, pk in sample:
            with (
                mock.patch.object(duplicates, "same_persons_refresh"),
                CaptureQueriesContext(connection) as captured,
            ):
                start = time.perf_counter()
                with transaction.atomic():
                    call(customer_id, pk)
                times.append((time.perf_counter() - start) * 1000)
            queries = max(queries, len(captured))
        print(
            f"| {label} | {statistics.median(times):,.1f} ms | {max(times):,.1f} ms "
            f"| {queries} |"
        )


if __name__ == "__main__":
    main()
