"""Issue 13: trigram indexes for the header search's words (first name, last name,
email of a contact; the value of a contact-card detail), matched with icontains:
`UPPER(col::text) LIKE UPPER('%word%')`. PostgreSQL only: SQLite has neither pg_trgm
nor GIN and answers the same searches with a scan. The indexes are in the migration
state on every database, so the models and the migrations agree."""

from django.db import migrations

from core.db import PostgreSQLAddIndex, PostgreSQLTrigramExtension
from core.db import trigram_index as trigram


class Migration(migrations.Migration):

    dependencies = [
        ("contacts", "0005_duplicates_search_and_merge"),
    ]

    operations = [
        PostgreSQLTrigramExtension(),
        PostgreSQLAddIndex(
            model_name="contact",
            index=trigram("first_name", name="contact_first_name_trgm"),
        ),
        PostgreSQLAddIndex(
            model_name="contact",
            index=trigram("last_name", name="contact_last_name_trgm"),
        ),
        PostgreSQLAddIndex(
            model_name="contact",
            index=trigram("email", name="contact_email_trgm"),
        ),
        PostgreSQLAddIndex(
            model_name="contactdetail",
            index=trigram("value", name="contactdetail_value_trgm"),
        ),
    ]
