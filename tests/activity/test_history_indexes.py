"""Each tracked history table has the index a customer's Activity Log is read by, and
the log's queries read it (the plans on PostgreSQL).

As in tests/customers/test_list_indexes.py, nothing is timed: the history tables get
rows of many customers and fresh statistics, and PostgreSQL's plan of the log's own
queries must find the customer's rows through the index, never by reading the table.
"""

import pytest
from django.db import connection

from activity.selectors import _page_rows, _RecordReader, customer_activity_groups
from core.history import tracked_models

pytestmark = pytest.mark.django_db

CUSTOMERS = 3000
ROWS_EACH = 4


def _index_columns(table: str) -> list[list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [c["columns"] for c in constraints.values() if c["index"]]


@pytest.mark.parametrize("tracked", tracked_models(), ids=lambda t: t.key)
def test_every_tracked_history_table_has_the_customer_group_index(tracked):
    # On SQLite too: the index is part of the model (core.history).
    columns = _index_columns(tracked.history_model._meta.db_table)
    assert [tracked.customer_field, "history_group"] in columns


@pytest.fixture
def customer_histories():
    """ROWS_EACH history records of the customer itself and of its addresses for
    each of CUSTOMERS customers, in two statements."""
    common = (
        "history_date, history_type, history_user_id, created_at, updated_at, "
        "history_group"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO customers_historicalcustomer
                (id, number, name, is_active, notes, {common})
            SELECT c, 'C' || c, 'Customer ' || c, true, '',
                now() - (r || ' days')::interval, '~', NULL, now(), now(),
                gen_random_uuid()
            FROM generate_series(1, %s) AS c, generate_series(1, %s) AS r
            """,
            [CUSTOMERS, ROWS_EACH],
        )
        cursor.execute(
            f"""
            INSERT INTO customers_historicaladdress
                (id, customer_id, kind, street_line_1, street_line_2, postal_code,
                 city, region, country, {common})
            SELECT c, c, 'billing', 'Main Street', '', '', 'Leiden', '', 'NL',
                now() - (r || ' days')::interval, '~', NULL, now(), now(),
                gen_random_uuid()
            FROM generate_series(1, %s) AS c, generate_series(1, %s) AS r
            """,
            [CUSTOMERS, ROWS_EACH],
        )
        cursor.execute(
            "ANALYZE customers_historicalcustomer, customers_historicaladdress"
        )


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="query plans are read on PostgreSQL"
)
def test_a_page_of_the_log_reads_the_customers_rows_through_the_index(
    customer_histories,
):
    customer_id = CUSTOMERS // 2
    groups = customer_activity_groups(customer_id=customer_id)
    plan = groups[:50].explain()
    for table in ("customer", "address"):
        assert f"{table}_h_activity" in plan, plan
    assert "Seq Scan" not in plan, plan
    page = [row[0] for row in groups[:50]]
    assert len(page) == 2 * ROWS_EACH

    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        rows = _page_rows(customer_id=customer_id, kind="", user="", groups=page)
    assert len(rows) == 2 * ROWS_EACH
    sql, params = captured[0]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan" not in plan, plan


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="query plans are read on PostgreSQL"
)
def test_the_records_of_a_page_are_read_by_their_ids(customer_histories):
    tracked = tracked_models()[0]
    history = tracked.history_model
    ids = list(
        history.objects.filter(id=CUSTOMERS // 2).values_list("history_id", flat=True)
    )
    reader = _RecordReader(tracked, ids[:2])
    # Both records, and the record before each of them.
    assert len(reader.records) == 3
    captured = []

    def explain(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain):
        _RecordReader(tracked, ids[:2])
    sql, params = captured[0]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # The ids (and their predecessors) are looked up, not filtered out of every row.
    assert "Seq Scan" not in plan, plan
    assert f"Index Scan using {history._meta.db_table}_pkey" in plan, plan
