"""How fast `import_contacts` reads contact persons, and how much memory it takes.

    .venv/bin/python bench/import_contacts.py [--rows 100000] [--customers 1000]
    .venv/bin/python bench/import_contacts.py --case identical [--rows 2000]
    .venv/bin/python bench/import_contacts.py --case crowded [--rows 200000]
    .venv/bin/python bench/import_contacts.py --case reimport [--rows 100000]

Four cases, each against the bound: any file of 100,000 rows under 200 MB of
resident memory and 2 minutes.

- `spread` (the default): 100,000 distinct rows over 1,000 customers, measured in
  parts as below.
- `identical`: 2,000 copies of one row, as a dry run (the preview reports each copy
  "the same as line 2"; nothing written).
- `crowded`: 200,000 rows over 50 customers (4,000 contacts each), names drawn from
  a small list without numbers and phone numbers repeating every 500 rows of a
  customer, so nearly every contact looks like dozens of others: reports the
  possible-duplicate pairs stored (each contact proposes at most PAIRS_PER_CONTACT).
- `reimport`: the `spread` file imported, exported again (`export_contacts`, one row
  per link with its `person_id`), and that export imported with `--update`: every row
  finds its link by the person's key and is unchanged.

For `spread`, in one run, on the same generated file (every row with an email and a
phone number in national format, read with the customer's billing country):

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
from collections.abc import Iterable, Iterator
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
ROLES = ["order|invoice", "", "Shipment"]


def roles_of(n: int, customers: int) -> str:
    """A customer's first row makes its Primary (a customer has one at most); the
    others take the other roles in turn."""
    return "primary|order" if n < customers else ROLES[n % len(ROLES)]


# For `crowded`: 20 × 20 names without numbers, so every name is compared by rapidfuzz
# with every other name of its customer, and many are equal.
FIRST_NAMES = [
    "Anna",
    "Bram",
    "Carla",
    "Daan",
    "Eva",
    "Finn",
    "Greta",
    "Hugo",
    "Iris",
    "Jan",
    "Kim",
    "Lars",
    "Mila",
    "Noah",
    "Olga",
    "Piet",
    "Roos",
    "Sem",
    "Tess",
    "Vera",
]
LAST_NAMES = [
    "Bakker",
    "Berg",
    "Boer",
    "Bos",
    "Dekker",
    "Dijk",
    "Graaf",
    "Jansen",
    "Jong",
    "Kok",
    "Meer",
    "Mulder",
    "Peters",
    "Smit",
    "Visser",
    "Vos",
    "Vries",
    "Wit",
    "Wouters",
    "Zwart",
]
PHONES_PER_CUSTOMER = 500


def setup_django(database_url: str | None) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    # As in production: with DEBUG on, Django keeps the SQL of the last 9,000
    # queries, bulk INSERTs of 1,000 rows among them, in the import's memory.
    os.environ.setdefault("DEBUG", "false")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def clear_contacts() -> None:
    from django.apps import apps

    from contacts.models import Contact, NotDuplicate, Person, PossibleDuplicate

    for model in (
        PossibleDuplicate,
        NotDuplicate,
        Contact.roles.through,
        apps.get_model("contacts", "HistoricalContact_roles"),
        Contact.history.model,
        Contact,
        Person.history.model,
        Person,
    ):
        model.objects.all()._raw_delete(model.objects.db)
    vacuum_analyze(
        PossibleDuplicate, NotDuplicate, Contact.history.model, Contact, Person
    )


def vacuum_analyze(*models) -> None:
    """On PostgreSQL, a run starts as a database that autovacuum keeps would: the
    previous run's rows gone from the tables and from the planner's statistics."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')


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


def write_rows(path: Path, rows: Iterable[dict[str, str]]) -> None:
    """The rows as an import file, by column name (a column not given is empty)."""
    from contacts.csv_rows import ContactRows

    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, ContactRows.columns, restval="")
        writer.writeheader()
        writer.writerows(rows)


def spread_rows(rows: int, customers: int) -> Iterator[dict[str, str]]:
    for n in range(rows):
        c = n % customers
        yield {
            "customer_number": f"B{c:06d}",
            "first_name": f"First{n}",
            "last_name": f"Last{n}",
            "email": f"Person.{n}@Example.com",
            "phone": COUNTRIES[c % len(COUNTRIES)][2](n),
            "job_title": "Buyer",
            "department": "Purchasing",
            "roles": roles_of(n, customers),
        }


def identical_rows(rows: int) -> Iterator[dict[str, str]]:
    row = {
        "customer_number": "B000000",
        "first_name": "Anna",
        "last_name": "Berg",
        "email": "anna@example.com",
        "phone": "06 12345678",
        "roles": "primary",
    }
    return (row for _ in range(rows))


def crowded_rows(rows: int, customers: int) -> Iterator[dict[str, str]]:
    for n in range(rows):
        c, k = n % customers, n // customers
        yield {
            "customer_number": f"B{c:06d}",
            "first_name": FIRST_NAMES[k % len(FIRST_NAMES)],
            "last_name": LAST_NAMES[(k // len(FIRST_NAMES)) % len(LAST_NAMES)],
            "email": f"person.{n}@example.com",
            "phone": COUNTRIES[c % len(COUNTRIES)][2](k % PHONES_PER_CUSTOMER),
            "roles": roles_of(n, customers),
        }


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


def child_import(
    path: str, trace: bool, dry_run: bool = False, update: bool = False
) -> None:
    """Runs in the child process: the import alone, reported as JSON on stdout."""
    import tracemalloc
    from io import StringIO

    from django.core.management import call_command

    if trace:
        tracemalloc.start()
    out = StringIO()
    started = time.perf_counter()
    options = {"dry_run": True} if dry_run else {}
    if update:
        options["update"] = True
    call_command("import_contacts", path, stdout=out, stderr=StringIO(), **options)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    usage = resource.getrusage(resource.RUSAGE_SELF)
    maxrss_kb = usage.ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "tracemalloc_peak": peak,
                "maxrss_kb": maxrss_kb,
                # What the machine's other load does not inflate as it does the
                # wall time (the database server's own time is not in it).
                "cpu_seconds": usage.ru_utime + usage.ru_stime,
                "summary": out.getvalue().strip(),
            }
        )
    )


def run_child(
    path: Path,
    database_url: str,
    trace: bool,
    dry_run: bool = False,
    update: bool = False,
) -> dict:
    arguments = ["--child", str(path), "--db", database_url]
    flags = (
        (["--trace"] if trace else [])
        + (["--child-dry-run"] if dry_run else [])
        + (["--child-update"] if update else [])
    )
    return run_json_child(__file__, *arguments, *flags)


def run_reimport(path: Path, database_url: str, rows: int) -> None:
    """The file imported, exported, and the export imported with `--update`."""
    from django.core.management import call_command
    from django.db import connection

    from contacts.models import Contact, Person

    connection.close()
    first = run_child(path, database_url, trace=False)
    print(f"first import      {first['seconds']:8.1f} s  ({first['summary']})")
    exported = OUT / f"contacts-export-{rows}.csv"
    started = time.perf_counter()
    call_command("export_contacts", output=str(exported))
    print(f"export            {time.perf_counter() - started:8.1f} s")
    persons = Person.objects.count()
    history = Contact.history.count()
    connection.close()
    timed = run_child(exported, database_url, trace=False, update=True)
    print(
        f"re-import --update {timed['seconds']:7.1f} s  ({rows / timed['seconds']:,.0f}"
        f" rows/s, CPU {timed['cpu_seconds']:.1f} s)"
    )
    rss_mb = timed["maxrss_kb"] / 1024
    print(f"peak resident memory of the import process: {rss_mb:.0f} MB")
    print(f"summary: {timed['summary']}")
    assert Person.objects.count() == persons and Contact.history.count() == history


def run_case(case: str, path: Path, database_url: str) -> None:
    """`identical` and `crowded`: the import alone in a child process, its wall time
    and peak resident memory, and for `crowded` the pairs it stored."""
    from django.db import connection

    from contacts.models import Contact, PossibleDuplicate

    connection.close()
    started = time.perf_counter()
    timed = run_child(path, database_url, trace=False, dry_run=case == "identical")
    wall = time.perf_counter() - started
    print(
        f"import            {timed['seconds']:8.1f} s  (child wall {wall:.1f} s, "
        f"CPU {timed['cpu_seconds']:.1f} s)"
    )
    rss_mb = timed["maxrss_kb"] / 1024
    print(f"peak resident memory of the import process: {rss_mb:.0f} MB")
    print(f"summary: {timed['summary']}")
    contacts, pairs = Contact.objects.count(), PossibleDuplicate.objects.count()
    print(f"contacts stored: {contacts:,}; possible-duplicate pairs stored: {pairs:,}")
    if contacts:
        print(f"pairs per contact: {pairs / contacts:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--case",
        choices=["spread", "identical", "crowded", "reimport"],
        default="spread",
    )
    parser.add_argument("--rows", type=int)
    parser.add_argument("--customers", type=int)
    parser.add_argument("--no-tracemalloc", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-dry-run", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-update", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        setup_django(args.db)
        child_import(args.child, args.trace, args.child_dry_run, args.child_update)
        return
    rows, customers = {
        "spread": (100_000, 1000),
        "identical": (2000, 1),
        "crowded": (200_000, 50),
        "reimport": (100_000, 1000),
    }[args.case]
    args.rows = args.rows or rows
    args.customers = args.customers or customers

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
    path = OUT / f"contacts-{args.case}-{args.rows}.csv"
    write_rows(
        path,
        identical_rows(args.rows)
        if args.case == "identical"
        else crowded_rows(args.rows, args.customers)
        if args.case == "crowded"
        else spread_rows(args.rows, args.customers),
    )
    print(
        f"{args.case}: {args.rows:,} rows, {args.customers:,} customers, "
        f"{connection.vendor}, file {path.stat().st_size / 1e6:.1f} MB, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    if args.case == "reimport":
        run_reimport(path, database_url, args.rows)
        print_machine()
        return
    if args.case != "spread":
        run_case(args.case, path, database_url)
        print_machine()
        return

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
    print(
        f"import            {seconds:8.1f} s  ({args.rows / seconds:,.0f} rows/s, "
        f"CPU {timed['cpu_seconds']:.1f} s)"
    )
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
    print_machine()


def print_machine() -> None:
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.platform()}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
