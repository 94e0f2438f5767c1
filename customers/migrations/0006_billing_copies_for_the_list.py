"""Issue 11: the customer list sorts by the billing city and country from an index,
so the customer row carries a copy of both, kept by the database itself.

Triggers rather than application code: every writer of an address (the services, the
admin's inlines, imports, a raw UPDATE) and of a customer (a model instance read
before its address changed and saved back) goes through them, so the copy cannot
drift. PostgreSQL: a BEFORE trigger on customers computes the copy on every write of
the row, and an AFTER trigger on addresses touches the customer rows whose billing
address changed. SQLite: AFTER triggers that update the copy (recursive triggers are
off, so the update does not fire them again).
"""

from django.db import migrations, models

# The billing address of customer `{id}` (an expression naming the customer's id).
CITY = "(SELECT city FROM customers_address WHERE customer_id = {id} AND kind = 'billing')"
COUNTRY = (
    "(SELECT country FROM customers_address WHERE customer_id = {id} "
    "AND kind = 'billing')"
)

POSTGRESQL = [
    f"""
    CREATE FUNCTION customers_customer_billing_copy() RETURNS trigger AS $$
    BEGIN
        NEW.billing_city := {CITY.format(id="NEW.id")};
        NEW.billing_country := {COUNTRY.format(id="NEW.id")};
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER customers_customer_billing_copy
    BEFORE INSERT OR UPDATE ON customers_customer
    FOR EACH ROW EXECUTE FUNCTION customers_customer_billing_copy()
    """,
    """
    CREATE FUNCTION customers_address_billing_copy() RETURNS trigger AS $$
    BEGIN
        -- Only a billing address (before or after) changes the copy.
        IF NOT ((TG_OP <> 'DELETE' AND NEW.kind = 'billing')
                OR (TG_OP <> 'INSERT' AND OLD.kind = 'billing')) THEN
            RETURN NULL;
        END IF;
        -- Rewriting the row runs customers_customer_billing_copy, which reads the
        -- billing address as it now is.
        IF TG_OP <> 'DELETE' THEN
            UPDATE customers_customer SET billing_city = NULL
            WHERE id = NEW.customer_id;
        END IF;
        IF TG_OP <> 'INSERT' AND (TG_OP = 'DELETE' OR OLD.customer_id <> NEW.customer_id)
        THEN
            UPDATE customers_customer SET billing_city = NULL
            WHERE id = OLD.customer_id;
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER customers_address_billing_copy
    AFTER INSERT OR UPDATE OR DELETE ON customers_address
    FOR EACH ROW EXECUTE FUNCTION customers_address_billing_copy()
    """,
    # The customers there are now: rewriting each row fills its copy.
    "UPDATE customers_customer SET billing_city = NULL",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER customers_address_billing_copy ON customers_address",
    "DROP FUNCTION customers_address_billing_copy()",
    "DROP TRIGGER customers_customer_billing_copy ON customers_customer",
    "DROP FUNCTION customers_customer_billing_copy()",
]


def _sqlite_copy(id_expression: str) -> str:
    return (
        f"UPDATE customers_customer SET billing_city = {CITY.format(id=id_expression)}, "
        f"billing_country = {COUNTRY.format(id=id_expression)} "
        f"WHERE id = {id_expression};"
    )


SQLITE = [
    f"""
    CREATE TRIGGER customers_address_billing_insert AFTER INSERT ON customers_address
    BEGIN {_sqlite_copy("NEW.customer_id")} END
    """,
    f"""
    CREATE TRIGGER customers_address_billing_update AFTER UPDATE ON customers_address
    BEGIN {_sqlite_copy("NEW.customer_id")} {_sqlite_copy("OLD.customer_id")} END
    """,
    f"""
    CREATE TRIGGER customers_address_billing_delete AFTER DELETE ON customers_address
    BEGIN {_sqlite_copy("OLD.customer_id")} END
    """,
    f"""
    CREATE TRIGGER customers_customer_billing_update
    AFTER UPDATE OF billing_city, billing_country ON customers_customer
    BEGIN {_sqlite_copy("NEW.id")} END
    """,
    _sqlite_copy("customers_customer.id"),
]
SQLITE_REVERSE = [
    "DROP TRIGGER customers_address_billing_insert",
    "DROP TRIGGER customers_address_billing_update",
    "DROP TRIGGER customers_address_billing_delete",
    "DROP TRIGGER customers_customer_billing_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0005_history_activity_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='customer',
            name='billing_city',
            field=models.CharField(editable=False, max_length=100, null=True),
        ),
        migrations.AddField(
            model_name='customer',
            name='billing_country',
            field=models.CharField(editable=False, max_length=2, null=True),
        ),
        migrations.AddIndex(
            model_name='customer',
            index=models.Index(fields=['billing_city', 'name', 'number', 'id'], name='customer_list_city'),
        ),
        migrations.AddIndex(
            model_name='customer',
            index=models.Index(fields=['billing_country', 'name', 'number', 'id'], name='customer_list_country'),
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
