"""Issue 13: trigram indexes for the header search's words (first name, last name,
email of a contact; the value of a contact-card detail), matched with icontains:
`UPPER(col::text) LIKE UPPER('%word%')`. PostgreSQL only: SQLite has neither pg_trgm
nor GIN and answers the same searches with a scan. The indexes are in the migration
state on every database, so the models and the migrations agree."""

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class OnPostgreSQL:
    """Run the operation's database side on PostgreSQL only; the state everywhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class PostgreSQLTrigramExtension(OnPostgreSQL, TrigramExtension):
    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass  # the extension stays: other apps' indexes may use it


class PostgreSQLAddIndex(OnPostgreSQL, migrations.AddIndex):
    pass


def trigram(field, name):
    return django.contrib.postgres.indexes.GinIndex(
        django.contrib.postgres.indexes.OpClass(
            django.db.models.functions.text.Upper(field), name="gin_trgm_ops"
        ),
        name=name,
    )


class Migration(migrations.Migration):

    dependencies = [
        ("contacts", "0005_duplicates_search_and_merge"),
    ]

    operations = [
        PostgreSQLTrigramExtension(),
        PostgreSQLAddIndex(
            model_name="contact",
            index=trigram("first_name", "contact_first_name_trgm"),
        ),
        PostgreSQLAddIndex(
            model_name="contact",
            index=trigram("last_name", "contact_last_name_trgm"),
        ),
        PostgreSQLAddIndex(
            model_name="contact",
            index=trigram("email", "contact_email_trgm"),
        ),
        PostgreSQLAddIndex(
            model_name="contactdetail",
            index=trigram("value", "contactdetail_value_trgm"),
        ),
    ]
