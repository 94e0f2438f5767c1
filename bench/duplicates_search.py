"""Time the header search and the possible duplicates at company scale on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cc_dup \
        .venv/bin/python bench/duplicates_search.py [customers]

Creates a throw-away test database (test_<name>), fills it with CUSTOMERS customers
(100,000 by default) in five countries, five contacts each (500,000), one in fifty
customers with a contact typed twice (a dropped letter, the same email), and two
contact-card details each, all with SQL (the services would take an hour), then times:

- the migration's fill of the stored pairs (contacts.duplicates over every customer),
  and `check_contacts`' fresh computation (`possible_duplicates_found`);
- the refresh one write of a contact costs (`possible_duplicates_refresh` for one
  contact of one customer);
- the Possible duplicates page (its count and first and last page of 25);
- the header search: a national mobile number, a name, an email fragment.

Each is run ROUNDS times; the median and the worst time are reported. The figures go
to docs/benchmarks-duplicates-search.md by hand.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

ROUNDS = 15
COUNTRIES = ["NL", "DE", "BE", "US", "GB"]
# A valid mobile number per country, from a customer's index (8 free digits).
MOBILE = {
    "NL": "'+3161' || lpad(({n} % 10000000)::text, 7, '0')",
    "DE": "'+49171' || lpad(({n} % 10000000)::text, 7, '0')",
    "BE": "'+32470' || lpad(({n} % 1000000)::text, 6, '0')",
    "US": "'+1212555' || lpad(({n} % 10000)::text, 4, '0')",
    "GB": "'+447911' || lpad(({n} % 1000000)::text, 6, '0')",
}


def fill(customers: int) -> None:
    country = "(ARRAY['NL','DE','BE','US','GB'])[1 + (c.id % 5)]"
    phone = " ".join(
        f"WHEN '{code}' THEN {MOBILE[code].format(n='{n}')}" for code in COUNTRIES
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO customers_customer (created_at, updated_at, number, name, "
            "is_active, notes) SELECT now(), now(), 'C' || lpad(n::text, 6, '0'), "
            "'Customer ' || n, true, '' FROM generate_series(1, %s) n",
            [customers],
        )
        cursor.execute(
            "INSERT INTO customers_address (created_at, updated_at, customer_id, kind, "
            "street_line_1, street_line_2, postal_code, city, region, country) "
            f"SELECT now(), now(), c.id, 'billing', 'Street 1', '', '1000', 'City', "
            f"'', {country} FROM customers_customer c"
        )
        # Five people per customer; in one customer of fifty the fifth is the
        # first typed again ("Ana" for "Anna", the same email): a possible
        # duplicate by name and by email.
        cursor.execute(
            "INSERT INTO contacts_contact (created_at, updated_at, customer_id, "
            "first_name, last_name, email, phone, job_title, department, language) "
            "SELECT now() - (p || ' minutes')::interval, now(), c.id, "
            "CASE WHEN p = 5 AND c.id % 50 = 0 THEN 'Ana' "
            "ELSE (ARRAY['Anna','Bram','Clara','David','Eva'])[p] END, "
            "'Person' || c.id, "
            "CASE WHEN p = 5 AND c.id % 50 = 0 THEN 'p1.' || c.id || '@example.com' "
            "ELSE 'p' || p || '.' || c.id || '@example.com' END, "
            f"CASE a.country {phone.format(n='(c.id * 10 + p)')} END, '', '', '' "
            "FROM customers_customer c "
            "JOIN customers_address a ON a.customer_id = c.id, generate_series(1, 5) p"
        )
        cursor.execute(
            "INSERT INTO contacts_contactdetail (created_at, updated_at, customer_id, "
            "kind, value, description, is_primary) "
            "SELECT now(), now(), c.id, 'email', 'info@c' || c.id || '.example.com', "
            "'', true FROM customers_customer c "
            "UNION ALL SELECT now(), now(), c.id, 'mobile', "
            f"CASE a.country {phone.format(n='(c.id * 10)')} END, '', true "
            "FROM customers_customer c JOIN customers_address a ON a.customer_id = c.id"
        )
        # As autovacuum would have by now: statistics, and the rows a bulk load
        # leaves in the GIN indexes' pending lists merged into the indexes.
        cursor.execute("VACUUM ANALYZE")


def timed(label: str, call, rounds: int = ROUNDS) -> None:
    times, queries = [], 0
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
    print(
        f"| {label} | {statistics.median(times):,.1f} ms | {max(times):,.1f} ms "
        f"| {queries} |"
    )


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL (DATABASE_URL).")
    customers = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        run(customers)
    finally:
        # BENCH_KEEP=1 keeps test_<name> to look at plans with psql afterwards.
        if not os.environ.get("BENCH_KEEP"):
            connection.creation.destroy_test_db(old_name, verbosity=0)


def run(customers: int) -> None:
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import AnonymousUser, Permission, User

    from contacts.models import Contact, PossibleDuplicate
    from contacts.selectors import possible_duplicates, possible_duplicates_found
    from contacts.services.duplicates import possible_duplicates_refresh
    from search.selectors import site_search

    start = time.perf_counter()
    fill(customers)
    print(f"Filled {customers:,} customers in {time.perf_counter() - start:,.0f} s:")
    print(f"{Contact.objects.count():,} contacts.\n")

    migration = importlib.import_module(
        "contacts.migrations.0005_duplicates_search_and_merge"
    )
    start = time.perf_counter()
    migration.find_existing_possible_duplicates(apps, None)
    stored = PossibleDuplicate.objects.count()
    print(
        f"Migration 0005 stored {stored:,} pairs in "
        f"{time.perf_counter() - start:,.1f} s."
    )
    start = time.perf_counter()
    found = sum(1 for _ in possible_duplicates_found())
    print(
        f"check_contacts found {found:,} pairs afresh in "
        f"{time.perf_counter() - start:,.1f} s.\n"
    )

    print("| what | median | worst | queries |")
    print("|---|---|---|---|")
    sample = list(
        Contact.objects.order_by("?").values_list("customer_id", "pk")[:ROUNDS]
    )
    cycle = iter(sample * 2)

    def refresh_one():
        customer_id, pk = next(cycle)
        possible_duplicates_refresh(customer_ids=[customer_id], changed=[pk])

    timed("refresh after one contact's write", refresh_one)

    page_size = 25
    last = max(stored - page_size, 0)
    timed("duplicates page: count", lambda: possible_duplicates().count())
    timed(
        "duplicates page: first page",
        lambda: list(possible_duplicates()[:page_size]),
    )
    timed(
        "duplicates page: last page",
        lambda: list(possible_duplicates()[last : last + page_size]),
    )

    user = User.objects.create(username="bench")
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_customer", "view_contact", "view_contactdetail"]
        )
    )
    user = User.objects.get(pk=user.pk)
    assert not isinstance(user, AnonymousUser)
    contact = Contact.objects.filter(customer__addresses__country="NL").first()
    national = "0" + contact.phone[3:]
    print(f"\n(the number searched: {national}, stored {contact.phone})\n")
    for label, query in [
        ("search: a national mobile number", national),
        ("search: a number with its country code", contact.phone),
        ("search: a name (two words)", f"anna person{contact.customer_id}"),
        ("search: a rare name fragment", "ana per"),
        ("search: an email fragment", f"p1.{contact.customer_id}@"),
    ]:
        timed(label, lambda query=query: site_search(query=query, user=user))


if __name__ == "__main__":
    main()
