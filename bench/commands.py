"""How `check_contacts`, `export_contacts` and `export_contact_details` grow with the
data, against PostgreSQL's own `COPY` of the same columns.

    createdb -h 127.0.0.1 -U postgres cc_csv_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cc_csv_bench \\
        .venv/bin/python bench/commands.py [--sizes 1000 100000] [--no-tracemalloc]

PostgreSQL only (the volume is made with `INSERT … SELECT generate_series`), and it
empties the customers of the database it is given: use a database of its own. For
each size (customers; `--contacts` contact persons and `--details` contact details
per customer, about 5 and 2):

1. the data is generated in SQL, with a few problems for `check_contacts` to find
   (customers without a Primary contact or without details, stored numbers that are
   not valid, emails shared by customers), and ANALYZEd;
2. each command runs in a child process, timed around `call_command` (Django's
   start-up excluded), its output to /dev/null, `--repeat` times (the fastest
   kept: the machine is shared), in wall-clock time and in the CPU time of the
   command's own process (the database's work is not in it, but other processes'
   load hardly is); the child's peak resident memory
   (ru_maxrss) is kept, and in a second child run the peak of Python's allocations
   (tracemalloc, which slows the run, so that run is not the timed one);
3. `COPY (SELECT …) TO STDOUT` of the columns each export writes, in its order, is
   timed reading every byte (fastest of `--repeat`): what the database alone needs
   to hand the rows over.

It prints one table; the figures are kept in docs/benchmarks-commands.md. Not part
of the test suite.
"""

import argparse
import contextlib
import json
import os
import platform
import resource
import sys
import time
from operator import itemgetter
from pathlib import Path

from children import run_json_child

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {
    "check_contacts": [],
    "export_contacts": ["--output", os.devnull],
    "export_contact_details": ["--output", os.devnull],
}

# Four billing countries, and a valid number of each in E.164 made from an integer
# `n` (SQL): the customer's id picks the country.
COUNTRIES = ["NL", "DE", "GB", "US"]
PHONE_SQL = """CASE {id} % 4
    WHEN 0 THEN '+3161' || lpad(({n} % 10000000)::text, 7, '0')
    WHEN 1 THEN '+4930' || (2000000 + {n} % 7000000)::text
    WHEN 2 THEN '+44207' || lpad(({n} % 10000000)::text, 7, '0')
    ELSE '+1212' || (2000000 + {n} % 7000000)::text
END"""


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def generate(size: int, contacts: int, details: int) -> dict[str, int]:
    """The data, in SQL: `size` customers, `contacts` persons and up to `details`
    details each. Returns the row counts."""
    from django.db import connection

    phone = PHONE_SQL.format(id="c.id", n="(c.id * 10 + k)")
    statements = [
        "TRUNCATE customers_customer RESTART IDENTITY CASCADE",
        f"""INSERT INTO customers_customer
            (number, name, is_active, notes, created_at, updated_at)
            SELECT 'C' || lpad(n::text, 7, '0'), 'Customer ' || n, true, '',
                   now(), now()
            FROM generate_series(1, {size}) AS n""",
        # A billing address for all but one customer in a hundred.
        f"""INSERT INTO customers_address
            (customer_id, kind, street_line_1, street_line_2, postal_code, city,
             region, country, created_at, updated_at)
            SELECT c.id, 'billing', 'Main street 1', '', '1000 AA', 'City', '',
                   (ARRAY{COUNTRIES!r})[1 + c.id % 4], now(), now()
            FROM customers_customer c WHERE c.id % 100 <> 0""",
        # Contacts; one number in a thousand is not valid (too short), one contact
        # in seven has none, and the first contact of one customer in 500 shares
        # its email with other customers.
        f"""INSERT INTO contacts_contact
            (customer_id, first_name, last_name, email, phone, job_title,
             department, language, created_at, updated_at)
            SELECT c.id, 'First' || k, 'Last' || c.id,
                   CASE WHEN k = 1 AND c.id % 500 = 0 THEN 'shared@example.com'
                        ELSE 'person' || k || '.' || c.id || '@example.com' END,
                   CASE WHEN (c.id * 10 + k) % 1000 = 0 THEN '+3161234'
                        WHEN (c.id * 10 + k) % 7 = 0 THEN ''
                        ELSE {phone} END,
                   'Buyer', 'Purchasing', '', now(), now()
            FROM customers_customer c CROSS JOIN generate_series(1, {contacts}) AS k
            ORDER BY c.id, k""",
        # Roles: the first contact is Primary (but for one customer in fifty), the
        # second Order and Invoice, the third Shipment.
        """INSERT INTO contacts_contact_roles (contact_id, contactrole_id)
            SELECT ct.id, r.id
            FROM contacts_contact ct
            JOIN contacts_contactrole r ON
                 (ct.first_name = 'First1' AND r.code = 'primary'
                  AND ct.customer_id % 50 <> 0)
              OR (ct.first_name = 'First2' AND r.code IN ('order', 'invoice'))
              OR (ct.first_name = 'First3' AND r.code = 'shipment')""",
        # Details: an email and a telephone, then more telephones; none for one
        # customer in forty.
        f"""INSERT INTO contacts_contactdetail
            (customer_id, kind, value, description, is_primary, created_at,
             updated_at)
            SELECT c.id,
                   CASE WHEN k = 1 THEN 'email' ELSE 'telephone' END,
                   CASE WHEN k = 1 THEN 'info' || c.id || '@example.com'
                        ELSE {phone} END,
                   CASE WHEN k = 1 THEN '' ELSE 'Office' END,
                   k <= 2, now(), now()
            FROM customers_customer c CROSS JOIN generate_series(1, {details}) AS k
            WHERE c.id % 40 <> 0
            ORDER BY c.id, k""",
        "ANALYZE",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        counts = {}
        for table in (
            "customers_customer",
            "contacts_contact",
            "contacts_contactdetail",
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (a constant)
            counts[table] = cursor.fetchone()[0]
    return counts


COPY_SQL = {
    # The roles joined and aggregated: faster here than a string_agg subquery per
    # contact (1.4 s against 3.4 s at 500,000 contacts), so the stricter yardstick.
    "export_contacts": """
        SELECT cu.number, ct.first_name, ct.last_name, ct.email, ct.phone,
               ct.job_title, ct.department,
               COALESCE(string_agg(r.code, '|' ORDER BY r.position, r.id), '')
        FROM contacts_contact ct
        JOIN customers_customer cu ON cu.id = ct.customer_id
        LEFT JOIN contacts_contact_roles cr ON cr.contact_id = ct.id
        LEFT JOIN contacts_contactrole r ON r.id = cr.contactrole_id
        GROUP BY cu.number, ct.id
        ORDER BY cu.number, ct.id""",
    "export_contact_details": """
        SELECT cu.number, d.kind, d.value, d.description
        FROM contacts_contactdetail d
        JOIN customers_customer cu ON cu.id = d.customer_id
        ORDER BY cu.number, d.kind, d.is_primary DESC, d.created_at, d.id""",
}


def time_copy(sql: str) -> tuple[float, int]:
    """(seconds, bytes) to read `COPY (sql) TO STDOUT` in CSV to the last byte."""
    from django.db import connection

    connection.ensure_connection()
    size = 0
    started = time.perf_counter()
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy,
    ):
        for data in copy:
            size += len(data)
    return time.perf_counter() - started, size


def child(command: str, trace: bool) -> None:
    """Runs in the child process: the command alone, reported as JSON on stdout."""
    import tracemalloc

    from django.core.management import call_command
    from django.core.management.base import CommandError

    if trace:
        tracemalloc.start()
    with open(os.devnull, "w") as sink:
        started, cpu_started = time.perf_counter(), time.process_time()
        # check_contacts exits 1: it finds the problems made for it.
        with contextlib.suppress(CommandError):
            call_command(command, *COMMANDS[command], stdout=sink, stderr=sink)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": cpu,
                "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                "tracemalloc_peak": tracemalloc.get_traced_memory()[1]
                if trace
                else None,
            }
        )
    )


def run_child(command: str, trace: bool) -> dict:
    return run_json_child(__file__, "--child", command, *(["--trace"] if trace else []))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--contacts", type=int, default=5)
    parser.add_argument("--details", type=int, default=2)
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="Time each command and COPY this many times; keep the fastest (on a "
        "shared machine the fastest is the least disturbed).",
    )
    parser.add_argument("--no-tracemalloc", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup_django()
    if args.child:
        child(args.child, args.trace)
        return

    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench/commands.py needs PostgreSQL: set DATABASE_URL.")
    call_command("migrate", verbosity=0)
    results = []
    for size in args.sizes:
        started = time.perf_counter()
        counts = generate(size, args.contacts, args.details)
        print(
            f"{size:,} customers: {counts['contacts_contact']:,} contacts, "
            f"{counts['contacts_contactdetail']:,} details, generated in "
            f"{time.perf_counter() - started:.1f} s"
        )
        connection.close()
        for command in COMMANDS:
            runs = [run_child(command, trace=False) for _ in range(args.repeat)]
            timed = min(runs, key=itemgetter("seconds"))
            timed["cpu"] = min(run["cpu"] for run in runs)
            traced = None if args.no_tracemalloc else run_child(command, trace=True)
            copy = None
            if command in COPY_SQL:
                copy = min(time_copy(COPY_SQL[command]) for _ in range(args.repeat))
            rows = (
                counts["contacts_contactdetail"]
                if command == "export_contact_details"
                else counts["contacts_contact"]
            )
            results.append((size, command, rows, timed, traced, copy))
            print(row_text(*results[-1]), flush=True)
    print()
    print(growth_text(results))
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, PostgreSQL "
        f"{connection.cursor().connection.info.server_version}, load average "
        f"{os.getloadavg()[0]:.1f}"
    )


def row_text(size, command, rows, timed, traced, copy) -> str:
    text = (
        f"  {command:<24} {timed['seconds']:7.2f} s  "
        f"{1e6 * timed['seconds'] / rows:6.1f} µs/row  "
        f"CPU {timed['cpu']:6.2f} s {1e6 * timed['cpu'] / rows:5.1f} µs/row  "
        f"RSS {timed['maxrss_kb'] / 1024:5.0f} MB"
    )
    if traced:
        text += f"  tracemalloc {traced['tracemalloc_peak'] / 2**20:5.1f} MB"
    if copy:
        seconds, size_bytes = copy
        text += (
            f"  COPY {seconds:5.2f} s ({size_bytes / 1e6:.0f} MB)  "
            f"ratio {timed['seconds'] / seconds:4.1f}"
        )
    return text


def growth_text(results) -> str:
    """Per row, how much slower each command is at the largest size than at the
    smallest (aim: at most 1.5)."""
    lines = []
    for command in COMMANDS:
        mine = [r for r in results if r[1] == command]
        if len(mine) < 2:
            continue
        (
            (small, _, small_rows, small_timed, *_),
            (large, _, large_rows, large_timed, *_),
        ) = (
            mine[0],
            mine[-1],
        )
        growth = {
            what: (large_timed[what] / large_rows) / (small_timed[what] / small_rows)
            for what in ("seconds", "cpu")
        }
        lines.append(
            f"{command}: {small:,} → {large:,} customers: per row, time × "
            f"{growth['seconds']:.2f}, CPU time × {growth['cpu']:.2f}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
