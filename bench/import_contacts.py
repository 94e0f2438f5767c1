"""How fast `import_contacts` reads contact persons, and how much memory it takes.

    .venv/bin/python bench/import_contacts.py [--rows 100000] [--customers 1000]

In one run, on the same generated file (every row with an email and a phone number
in national format, read with the customer's billing country):

1. validation alone: each row built as a Contact and `full_clean()`-ed, batch by
   batch, timed without the writing;
2. bulk insert alone: the same, already validated, batches written through
   `contacts_bulk_create` (contacts, history, roles, role history), timed alone;
3. the import: `manage.py import_contacts FILE` in a child process, timed around the
   command, with the child's peak resident memory (ru_maxrss) and, in a second child
   run, the peak of Python's own allocations (tracemalloc, which slows the run, so it
   is not the timed one). Skip the second run with --no-tracemalloc.

The import's overhead over (1) + (2) is what reading the CSV, looking customers up,
reporting and the transaction cost. Without DATABASE_URL it uses a fresh SQLite file
under bench/out/ (gitignored); with DATABASE_URL that database (its bench customers
and all its contacts are deleted first). Not part of the test suite.
"""

import argparse
import csv
import json
import os
import platform
import resource
import sys
import time
from datetime import datetime
from pathlib import Path

from children import run_json_child
from django.db import transaction

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BATCH = 1000

# (country, city, a function making the n-th valid national number)
COUNTRIES = [
    ("NL", "Amsterdam", lambda n: f"06 1{n % 10_000_000:07d}"),
    ("DE", "Berlin", lambda n: f"030 {2_000_000 + n % 7_000_000:07d}"),
    ("GB", "London", lambda n: f"020 7{n % 10_000_000:07d}"),
    ("FR", "Paris", lambda n: f"01 42 {n % 1_000_000:06d}"),
    ("BE", "Brussels", lambda n: f"02 {2_000_000 + n % 7_000_000:07d}"),
    ("US", "New York", lambda n: f"(212) 4{n % 100:02d}-{n % 10_000:04d}"),
]
ROLES = ["primary", "order|invoice", "", "Shipment"]


def setup_django(database_url: str | None) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def clear_contacts() -> None:
    from django.apps import apps

    from contacts.models import Contact, NotDuplicate, PossibleDuplicate

    for model in (
        PossibleDuplicate,
        NotDuplicate,
        Contact.roles.through,
        apps.get_model("contacts", "HistoricalContact_roles"),
        Contact.history.model,
        Contact,
    ):
        model.objects.all()._raw_delete(model.objects.db)


def create_customers(count: int) -> None:
    from customers.models import Address, Customer

    Customer.objects.filter(number__startswith="B").delete()
    customers = Customer.objects.bulk_create(
        Customer(number=f"B{n:06d}", name=f"Bench customer {n}") for n in range(count)
    )
    Address.objects.bulk_create(
        Address(
            customer=customer,
            kind=Address.Kind.BILLING,
            street_line_1="Main street 1",
            city=COUNTRIES[n % len(COUNTRIES)][1],
            country=COUNTRIES[n % len(COUNTRIES)][0],
        )
        for n, customer in enumerate(customers)
    )


def write_file(path: Path, rows: int, customers: int) -> None:
    from contacts.csv_rows import ContactRows

    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(ContactRows.columns)
        for n in range(rows):
            c = n % customers
            phone = COUNTRIES[c % len(COUNTRIES)][2](n)
            writer.writerow(
                [
                    f"B{c:06d}",
                    f"First{n}",
                    f"Last{n}",
                    f"Person.{n}@Example.com",
                    phone,
                    "Buyer",
                    "Purchasing",
                    ROLES[n % len(ROLES)],
                ]
            )


@transaction.atomic
def measure_parts(path: Path) -> tuple[float, float, int]:
    """(validation seconds, insert seconds, rows), batch by batch as the import goes,
    in one transaction as the import is (one commit, not one per batch)."""
    from contacts.csv_rows import ContactRows

    adapter = ContactRows(batch_size=BATCH)
    validation = insert = 0.0
    rows = 0
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        while True:
            records = [record for _, record in zip(range(BATCH), reader, strict=False)]
            if not records:
                break
            started = time.perf_counter()
            # The adapter the import uses: customers read once per batch (kept
            # after the first), each row built and full_clean()-ed.
            adapter.begin_batch(records)
            batch = [(n, adapter.build(record)) for n, record in enumerate(records)]
            validation += time.perf_counter() - started
            started = time.perf_counter()
            # Its write: contacts_bulk_create (contacts, history, roles).
            adapter.write(batch)
            insert += time.perf_counter() - started
            rows += len(records)
    return validation, insert, rows


def child_import(path: str, trace: bool) -> None:
    """Runs in the child process: the import alone, reported as JSON on stdout."""
    import tracemalloc
    from io import StringIO

    from django.core.management import call_command

    if trace:
        tracemalloc.start()
    out = StringIO()
    started = time.perf_counter()
    call_command("import_contacts", path, stdout=out, stderr=StringIO())
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "tracemalloc_peak": peak,
                "maxrss_kb": maxrss_kb,
                "summary": out.getvalue().strip(),
            }
        )
    )


def run_child(path: Path, database_url: str, trace: bool) -> dict:
    arguments = ["--child", str(path), "--db", database_url]
    return run_json_child(__file__, *arguments, *(["--trace"] if trace else []))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--no-tracemalloc", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        setup_django(args.db)
        child_import(args.child, args.trace)
        return

    OUT.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    database_url = os.environ.get("DATABASE_URL") or (
        f"sqlite:///{OUT / f'bench-{stamp}.sqlite3'}"
    )
    setup_django(database_url)
    from django.core.management import call_command
    from django.db import connection

    from contacts.models import Contact

    call_command("migrate", verbosity=0)
    clear_contacts()
    create_customers(args.customers)
    path = OUT / f"contacts-{args.rows}.csv"
    write_file(path, args.rows, args.customers)
    print(
        f"{args.rows:,} rows, {args.customers:,} customers, "
        f"{connection.vendor}, file {path.stat().st_size / 1e6:.1f} MB"
    )

    validation, insert, rows = measure_parts(path)
    assert Contact.objects.count() == rows == args.rows
    print(f"validation alone  {validation:8.1f} s  ({rows / validation:,.0f} rows/s)")
    print(f"bulk insert alone {insert:8.1f} s  ({rows / insert:,.0f} rows/s)")
    clear_contacts()
    connection.close()

    timed = run_child(path, database_url, trace=False)
    assert Contact.objects.count() == args.rows, timed["summary"]
    assert Contact.history.count() == args.rows
    seconds = timed["seconds"]
    ratio = seconds / (validation + insert)
    print(f"import            {seconds:8.1f} s  ({args.rows / seconds:,.0f} rows/s)")
    print(f"import / (validation + insert) = {ratio:.2f}  (aim <= 1.5)")
    rss_mb = timed["maxrss_kb"] / 1024
    print(f"peak resident memory of the import process: {rss_mb:.0f} MB")
    print(f"summary: {timed['summary']}")
    if not args.no_tracemalloc:
        clear_contacts()
        connection.close()
        traced = run_child(path, database_url, trace=True)
        peak_mb = traced["tracemalloc_peak"] / 1024 / 1024
        print(
            f"peak of Python allocations in the import (tracemalloc): {peak_mb:.1f} MB"
        )
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.platform()}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
