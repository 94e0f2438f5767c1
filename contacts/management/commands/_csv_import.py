"""What the two import commands share: their options, the run and the summary."""

import argparse

from django.core.management.base import BaseCommand, CommandError

from contacts.csv_rows import CustomerRows
from core.csvio import BATCH_SIZE, CsvImport, ImportFileError, ImportResult


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
        batch_size = max(1, options["batch_size"])
        importer = CsvImport(
            adapter=self.rows(batch_size=batch_size, update=options["update"]),
            path=options["file"],
            stderr=self.stderr,
            dry_run=options["dry_run"],
            skip_invalid=options["skip_invalid"],
            errors_path=options["errors"],
            progress_tty=self.stderr.isatty(),
            batch_size=batch_size,
        )
        try:
            result = importer.run()
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.summary(result))
        if result.refused:
            # Also with --skip-invalid, so a scheduled job notices.
            kept = " The other rows were written." if not result.rolled_back else ""
            raise CommandError(
                f"{result.refused:,} of {result.read:,} rows refused.{kept}",
                returncode=1,
            )

    def summary(self, result: ImportResult) -> str:
        verbs = ("to add", "to update") if result.rolled_back else ("added", "updated")
        counts = (
            f"{result.read:,} {self.what}: {result.added:,} {verbs[0]}, "
            f"{result.updated:,} {verbs[1]}, {result.unchanged:,} unchanged, "
            f"{result.refused:,} refused, in {result.seconds:.1f} s."
        )
        if result.dry_run:
            return f"Dry run: read {counts} Nothing was written."
        if result.rolled_back:
            return (
                f"Read {counts} Nothing was written because of the refused rows: fix "
                "them, or give --skip-invalid to write the valid rows."
            )
        return f"Read {counts}"
