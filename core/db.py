"""Database features that only PostgreSQL has, used so that SQLite keeps working.

The trigram indexes of the searches exist on PostgreSQL alone: SQLite has neither
pg_trgm nor GIN. Their migrations use the operations below, which record the index in
the migration state on every database (so `makemigrations` sees the model and the
migrations agree) and create it only where `schema_editor.connection.vendor` is
PostgreSQL; SQLite answers the same searches with plain LIKE scans.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations
from django.db.models.functions import Upper


def _on_postgresql(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


class PostgreSQLTrigramExtension(TrigramExtension):
    """`CREATE EXTENSION pg_trgm`, nothing on other databases."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if _on_postgresql(schema_editor):
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        # The extension stays: other indexes or databases' objects may use it.
        pass


class PostgreSQLAddIndex(migrations.AddIndex):
    """AddIndex that creates the index on PostgreSQL only."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if _on_postgresql(schema_editor):
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if _on_postgresql(schema_editor):
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def trigram_index(field: str, *, name: str) -> GinIndex:
    """A GIN trigram index on UPPER(field): what Django's `icontains` compares on
    PostgreSQL (`UPPER(field::text) LIKE UPPER('%term%')`), so a search for any part
    of the text reads the index instead of every row."""
    return GinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=name)


class AddBlankTextField(migrations.AddField):
    """AddField of a text field whose default is "", that SQLite runs in place.

    SQLite adds a NOT NULL column by rebuilding the table, which recreates every index
    of the model, the PostgreSQL-only trigram indexes included, and fails on them.
    `ALTER TABLE … ADD COLUMN … NOT NULL DEFAULT ''` adds it in place instead.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            return super().database_forwards(
                app_label, schema_editor, from_state, to_state
            )
        model = to_state.apps.get_model(app_label, self.model_name)
        field = model._meta.get_field(self.name)
        schema_editor.execute(
            f"ALTER TABLE {schema_editor.quote_name(model._meta.db_table)} ADD COLUMN "
            f"{schema_editor.quote_name(field.column)} varchar({field.max_length}) "
            "NOT NULL DEFAULT ''"
        )


class AddFalseBooleanField(migrations.AddField):
    """AddField of a boolean field whose default is False, that SQLite runs in place
    (for the reason AddBlankTextField gives)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            return super().database_forwards(
                app_label, schema_editor, from_state, to_state
            )
        model = to_state.apps.get_model(app_label, self.model_name)
        field = model._meta.get_field(self.name)
        schema_editor.execute(
            f"ALTER TABLE {schema_editor.quote_name(model._meta.db_table)} ADD COLUMN "
            f"{schema_editor.quote_name(field.column)} bool NOT NULL DEFAULT 0"
        )


def _without_postgresql_indexes(state, app_label: str, model_name: str):
    """A copy of the migration state whose model has no PostgreSQL-only index."""
    state = state.clone()
    model_state = state.models[app_label, model_name]
    model_state.options["indexes"] = [
        index
        for index in model_state.options.get("indexes", [])
        if not isinstance(index, GinIndex)
    ]
    state.reload_model(app_label, model_name, delay=True)
    return state


class SQLiteRebuildMixin:
    """For an operation that SQLite runs by rebuilding the table (a NOT NULL or
    unique column, a constraint): the rebuild recreates every index of the model,
    and the trigram indexes would fail there; they are left out of the states the
    rebuild reads (SQLite has none of them to keep)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            name = self.model_name_lower
            from_state = _without_postgresql_indexes(from_state, app_label, name)
            to_state = _without_postgresql_indexes(to_state, app_label, name)
        super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            name = self.model_name_lower
            from_state = _without_postgresql_indexes(from_state, app_label, name)
            to_state = _without_postgresql_indexes(to_state, app_label, name)
        super().database_backwards(app_label, schema_editor, from_state, to_state)


class SQLiteSafeAddField(SQLiteRebuildMixin, migrations.AddField):
    """AddField that SQLite may run by a rebuild (see SQLiteRebuildMixin)."""


class SQLiteSafeAlterField(SQLiteRebuildMixin, migrations.AlterField):
    """AlterField that SQLite runs by a rebuild (see SQLiteRebuildMixin)."""


class SQLiteSafeAddConstraint(SQLiteRebuildMixin, migrations.AddConstraint):
    """AddConstraint that SQLite runs by a rebuild (see SQLiteRebuildMixin)."""
