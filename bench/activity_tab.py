"""Time the Activity tab for a customer with 10,000 history rows.

    .venv/bin/python bench/activity_tab.py     # SQLite (in memory)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cc5 \
        .venv/bin/python bench/activity_tab.py
    # PostgreSQL, with 1,000,000 rows of 1,000 other customers in the tables:
    OTHER_ROWS=1000000 DATABASE_URL=... .venv/bin/python bench/activity_tab.py

Creates a throw-away test database (test_<name> on PostgreSQL), fills one customer's
history with 10,000 rows over the four tracked models (contacts with their roles),
plus 10,000 rows of other customers, then requests the tab as a signed-in viewer:
each page below ROUNDS times, reporting the median and the worst time and the
number of queries. The figures go to docs/benchmarks-activity.md by hand.
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
)
from django.utils import timezone  # noqa: E402

from core.history_groups import new_history_group  # noqa: E402

ROWS = 10_000
ROUNDS = 20
# The other customers' rows (PostgreSQL only beyond ROWS: written by SQL).
OTHER_ROWS = int(os.environ.get("OTHER_ROWS", ROWS))
OTHER_CUSTOMERS = 1000


def fill_others(first_id: int, rows: int) -> None:
    """`rows` history records of contact details and addresses of OTHER_CUSTOMERS
    customers (ids from `first_id`), in SQL: the volume the log must not feel."""
    common = (
        "history_date, history_type, history_user_id, created_at, updated_at, "
        "history_group"
    )
    values = (
        "now() - (n || ' minutes')::interval, '~', NULL, now(), now(), "
        "gen_random_uuid()"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO contacts_historicalcontactdetail
                (id, customer_id, kind, value, description, is_primary, {common})
            SELECT n, %s + n %% %s, 'email', 'x' || n || '@x.example', '', false,
                {values}
            FROM generate_series(1, %s) AS n
            """,
            [first_id, OTHER_CUSTOMERS, rows // 2],
        )
        cursor.execute(
            f"""
            INSERT INTO customers_historicaladdress
                (id, customer_id, kind, street_line_1, street_line_2, postal_code,
                 city, region, country, {common})
            SELECT n, %s + n %% %s, 'billing', 'Main Street', '', '', 'Leiden', '',
                'NL', {values}
            FROM generate_series(1, %s) AS n
            """,
            [first_id, OTHER_CUSTOMERS, rows - rows // 2],
        )
        cursor.execute(
            "ANALYZE contacts_historicalcontactdetail, customers_historicaladdress"
        )


def fill(customer, user, rows, start):
    from contacts.models import Contact, ContactDetail, ContactRole
    from customers.models import Address, Customer

    roles = list(ContactRole.objects.all())
    shares = [
        (Customer, rows // 20),
        (Address, rows * 3 // 20),
        (Contact, rows * 8 // 20),
        (ContactDetail, rows * 8 // 20),
    ]
    moment = start
    for model, count in shares:
        history = model.history.model
        records = []
        for n in range(count):
            moment += timedelta(seconds=7)
            values = {
                "history_date": moment,
                "history_type": "+~~~"[n % 4],
                "history_user_id": user.pk if n % 3 else None,
                # One save each (core.history_groups), in the order of their dates.
                "history_group": new_history_group(moment),
                "created_at": start,
                "updated_at": moment,
            }
            if model is Customer:
                values.update(id=customer.pk, number=customer.number, name=f"Name {n}")
            elif model is Address:
                values.update(
                    id=n // 4 + 1,
                    customer_id=customer.pk,
                    kind="shipping",
                    street_line_1=f"Street {n}",
                    city="Utrecht",
                    country="NL",
                )
            elif model is Contact:
                values.update(
                    id=n // 4 + 1,
                    customer_id=customer.pk,
                    first_name="Jan",
                    last_name=f"de Vries {n // 4}",
                    email=f"jan{n}@x.example",
                )
            else:
                values.update(
                    id=n // 4 + 1,
                    customer_id=customer.pk,
                    kind="email",
                    value=f"info{n}@x.example",
                    is_primary=n % 2 == 0,
                )
            records.append(history(**values))
        created = history.objects.bulk_create(records, batch_size=500)
        if model is Contact:
            m2m = Contact.history.model.roles.model
            m2m.objects.bulk_create(
                [
                    m2m(
                        id=i + 1,
                        history=record,
                        contact_id=record.id,
                        contactrole=roles[i % 4],
                    )
                    for i, record in enumerate(created)
                ],
                batch_size=500,
            )


def main():
    from customers.models import Customer
    from tests.factories import UserFactory

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        viewer = UserFactory(username="viewer")
        viewer.groups.add(Group.objects.get(name="Sales viewer"))
        editor = UserFactory(username="editor")
        start = timezone.now() - timedelta(days=365)
        customer = Customer.objects.create(name="Large", number="C90001")
        other = Customer.objects.create(name="Other", number="C90002")
        began = time.perf_counter()
        fill(customer, editor, ROWS, start)
        if connection.vendor == "postgresql" and OTHER_ROWS > ROWS:
            fill_others(other.pk + 1, OTHER_ROWS)
        else:
            fill(other, editor, OTHER_ROWS, start)
        if connection.vendor == "postgresql":
            # Fresh statistics, as autovacuum would have after such a fill.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"filled {ROWS} + {OTHER_ROWS} history rows in "
            f"{time.perf_counter() - began:.1f} s"
        )

        client = Client()
        client.force_login(viewer)
        url = f"/customers/{customer.pk}/activity/"
        cases = [
            ("page 1 (newest)", {}),
            ("page 100 (middle)", {"page": 100}),
            ("last page (200)", {"page": 200}),
            ("kind = Contact, page 1", {"kind": "contact"}),
            ("user = system, page 1", {"user": "system"}),
        ]
        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        print(f"{'case':<26} {'median ms':>9} {'max ms':>7} {'queries':>7}")
        for name, params in cases:
            client.get(url, params)  # warm up
            times = []
            for _ in range(ROUNDS):
                with CaptureQueriesContext(connection) as queries:
                    began = time.perf_counter()
                    response = client.get(url, params)
                    times.append((time.perf_counter() - began) * 1000)
                assert response.status_code == 200, response.status_code
                assert len(response.context["entries"]) == 50
            print(
                f"{name:<26} {statistics.median(times):9.1f} {max(times):7.1f} "
                f"{len(queries):7d}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
