"""The customer list and its search read their indexes (PostgreSQL).

How this is proven without timing anything: the tables get a few thousand rows and
fresh statistics (ANALYZE), as a real database has, and the test asks PostgreSQL for
its plan (EXPLAIN) of the list's own queries. On a table of a few rows the planner
rightly prefers reading the whole table, so a test on an empty database would prove
nothing; with thousands of rows and a pattern that matches one of them, a plan that
still reads every row means the index is missing or the query cannot use it (an OR
across tables, a function the index does not cover). Nothing forces the planner
(no enable_seqscan=off): it chooses the index because it is cheaper.

On SQLite these tests are skipped: the trigram indexes exist on PostgreSQL only, and
SQLite answers the same searches by reading the table.
"""

import re

import pytest
from django.db import connection

from customers import selectors
from customers.models import Address, Customer

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="trigram indexes and their plans exist on PostgreSQL only",
    ),
]

ROWS = 30_000
TRIGRAM_INDEXES = ["customer_name_trgm", "customer_number_trgm", "address_city_trgm"]


@pytest.fixture
def volume():
    """ROWS customers with a billing address each, written in two statements; the
    cities are as varied as real ones (md5 letters), the names alike but distinct."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO customers_customer
                (number, name, is_active, notes, created_at, updated_at)
            SELECT 'C' || lpad(n::text, 5, '0'), 'Company ' || n || ' Trading',
                true, '', now(), now()
            FROM generate_series(1, %s) AS n
            """,
            [ROWS],
        )
        # Without triggers for the insert (as a replica applies rows): one statement
        # fills the customers' billing copies afterwards, instead of the address
        # trigger rewriting a customer per row. SET LOCAL ends with the test's
        # transaction; the test database's user is a superuser, as on CI.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            """
            INSERT INTO customers_address
                (customer_id, kind, street_line_1, street_line_2, postal_code, city,
                 region, country, created_at, updated_at)
            SELECT id, 'billing', 'Main Street 1', '', '',
                initcap(substr(md5(id::text), 1, 9)), '', 'NL', now(), now()
            FROM customers_customer
            """
        )
        cursor.execute("SET LOCAL session_replication_role = origin")
        cursor.execute("UPDATE customers_customer SET billing_city = NULL")
        # What autovacuum does on a live database: move the rows from GIN's pending
        # list into the index proper (VACUUM cannot run in the test's transaction),
        # and gather statistics.
        for index in TRIGRAM_INDEXES:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("ANALYZE customers_customer, customers_address")
    Customer.objects.filter(number="C01234").update(name="Quillfeather Instruments")
    Address.objects.filter(customer__number="C00077").update(city="Zwolle")


def _plan(queryset) -> str:
    return queryset.explain()


def _page_ids(**filters):
    return selectors.customer_list(**filters).values("pk")[:25]


# One fixture of ROWS rows takes about two seconds: each test below asks several
# questions of it.


def test_the_search_reads_the_trigram_index_of_each_part_and_finds_one(volume):
    for term, number in [
        ("quillfeather", "C01234"),
        ("C01234", "C01234"),
        ("zwolle", "C00077"),
    ]:
        plan = _plan(_page_ids(search=term))
        # Each part of the search (name, number, city) reads its own index,
        # whichever part the term matches; no part reads the whole table.
        for index in TRIGRAM_INDEXES:
            assert f"Bitmap Index Scan on {index}" in plan, plan
        assert "Seq Scan" not in plan, plan
        found = selectors.customer_list(search=term)
        assert [customer.number for customer in found] == [number]


def test_each_sort_reads_its_index_both_ways_and_the_count_stops_at_the_cap(
    volume, monkeypatch
):
    for sort, index in [
        ("name", "customer_list_order"),
        ("city", "customer_list_city"),
        ("country", "customer_list_country"),
    ]:
        for direction, backward in [("", ""), ("-", " Backward")]:
            plan = _plan(_page_ids(sort=f"{direction}{sort}"))
            # An index scan, or an index-only scan (the id is in the index too).
            assert re.search(f"Index (Only )?Scan{backward} using {index}", plan), plan
            assert "Sort" not in plan, plan
    monkeypatch.setattr(selectors, "LIST_CAP", 100)
    count = selectors.customer_list_count(selectors.customer_list(), narrowed=False)
    # reltuples after ANALYZE: the table's size, not the 101 rows counted.
    assert count.estimated
    assert count.value == ROWS
