"""Importing contact persons and contact details: one function per kind, used by the
import commands and by the import pages alike.

A file is read twice (`core.csvio`): first a preview that checks every row and
matches it against what is stored, writing nothing and locking nothing; then, unless
that was all that was asked (a dry run, the browser's preview) or rows were refused
(and the valid rows are not to be written anyway), the written pass in batches, each
batch its own transaction locking only its customers (then, with `update`, their
contacts that the batch's rows could match), in the product's lock order. The
possible duplicates of the contacts written are refreshed once, after the last batch
(`possible_duplicates_refresh_after_import`).

What a failed batch means: the batches before it are written and stay written, the
failing one and the rest of the file are not; the report says the last line written
(`written_through`) and marks the failing batch's rows "not written".
"""

from collections.abc import Callable
from contextlib import AbstractContextManager

from contacts.csv_rows import ContactDetailRows, ContactRows, CustomerRows
from core.csvio import BATCH_SIZE, ImportReport, Progress, RowImport, Table

TableOpener = Callable[[], AbstractContextManager[Table]]


def import_contacts(open_table: TableOpener, **options) -> ImportReport:
    """Contact persons from the table `open_table()` opens (see `import_rows`)."""
    return import_rows(ContactRows, open_table, **options)


def import_contact_details(open_table: TableOpener, **options) -> ImportReport:
    """Contact details from the table `open_table()` opens (see `import_rows`)."""
    return import_rows(ContactDetailRows, open_table, **options)


def import_rows(
    rows: type[CustomerRows],
    open_table: TableOpener,
    *,
    update: bool = False,
    dry_run: bool = False,
    skip_invalid: bool = False,
    batch_size: int = BATCH_SIZE,
    errors_path: str | None = None,
    progress: Callable[[], Progress] | None = None,
    only_customer: str = "",
) -> ImportReport:
    """Rows in, a report out: what became (or, as a preview, would become) of every
    line. `dry_run`: the preview alone. Refused rows stop the import after the
    preview unless `skip_invalid`. `ImportFileError` when the file cannot be read
    (nothing is written then: the preview reads the whole file first). `progress`
    makes a progress display for each pass; `errors_path` gets the refused rows of
    the last pass. `only_customer`: a customer number; rows for another are
    refused."""

    def run(*, preview: bool) -> ImportReport:
        with open_table() as table:
            return RowImport(
                adapter=rows(
                    batch_size=batch_size, update=update, only_customer=only_customer
                ),
                table=table,
                preview=preview,
                batch_size=batch_size,
                errors_path=errors_path,
                progress=progress() if progress else None,
            ).run()

    report = run(preview=True)
    if dry_run or (report.refused and not skip_invalid):
        return report
    written = run(preview=False)
    written.seconds += report.seconds
    return written
