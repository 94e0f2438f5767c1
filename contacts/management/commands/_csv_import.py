"""What the two import commands share: their options, the run and the summary."""

import argparse
import os
from functools import partial

from django.core.management.base import BaseCommand, CommandError

from contacts.csv_rows import CustomerRows
from contacts.imports import import_rows
from core.csvio import (
    BATCH_SIZE,
    NOT_WRITTEN,
    REPEATED,
    ImportFileError,
    ImportReport,
    Progress,
    open_csv,
)


class ImportCommand(BaseCommand):
    rows: type[CustomerRows]
    what = "rows"
    update_help = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file (UTF-8; comma or semicolon).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and report; write nothing.",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Write the valid rows even when others are refused (the exit "
            "status is still 1 then).",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help=self.update_help,
        )
        parser.add_argument(
            "--errors",
            metavar="FILE",
            help="Write the refused rows to this CSV file, with an error column; "
            "fixed, it re-imports as it is.",
        )
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help=argparse.SUPPRESS
        )

    def handle(self, *args, **options):
        path = options["file"]
        tty = self.stderr.isatty()
        try:
            report = import_rows(
                self.rows,
                partial(open_csv, path),
                update=options["update"],
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
                batch_size=max(1, options["batch_size"]),
                errors_path=options["errors"],
                progress=lambda: Progress(
                    self.stderr, tty=tty, total_bytes=_size(path)
                ),
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        for line, outcome, reasons in report.problems():
            if outcome in (REPEATED, NOT_WRITTEN):
                continue
            for column, message in reasons:
                self.stderr.write(f"Line {line}, column {column or '-'}: {message}")
        if report.repeated:
            self.stderr.write(
                f"{report.repeated:,} row(s) repeat an earlier row exactly and were "
                "imported once, from the earlier row (e.g. line "
                f"{next(line for line, o, _ in report.problems() if o == REPEATED)})."
            )
        self.stdout.write(self.summary(report))
        if report.failure:
            raise CommandError(report.failure, returncode=1)
        if report.refused:
            # Also with --skip-invalid, so a scheduled job notices.
            kept = " The other rows were written." if not report.preview else ""
            raise CommandError(
                f"{report.refused:,} of {report.read:,} rows refused.{kept}",
                returncode=1,
            )

    def summary(self, report: ImportReport) -> str:
        verbs = ("to add", "to update") if report.preview else ("added", "updated")
        counts = (
            f"{report.read:,} {self.what}: {report.added:,} {verbs[0]}, "
            f"{report.updated:,} {verbs[1]}, {report.unchanged:,} unchanged, "
            f"{report.refused:,} refused"
        )
        if report.repeated:
            counts += f", {report.repeated:,} repeated"
        counts += f", in {report.seconds:.1f} s."
        if report.preview and self.options_dry_run:
            return f"Dry run: read {counts} Nothing was written."
        if report.preview:
            return (
                f"Read {counts} Nothing was written because of the refused rows: fix "
                "them, or give --skip-invalid to write the valid rows."
            )
        if report.failure:
            return (
                f"Read {counts} Written through line {report.written_through:,}; "
                f"{report.not_written:,} rows not written."
            )
        return f"Read {counts}"

    def execute(self, *args, **options):
        self.options_dry_run = options.get("dry_run", False)
        return super().execute(*args, **options)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
