"""What the two export commands share: choosing customers and writing the CSV."""

from django.core.management.base import BaseCommand, CommandError

from contacts.csv_rows import CustomerRows
from core.csvio import write_csv
from customers.models import Customer


class ExportCommand(BaseCommand):
    rows: type[CustomerRows]

    def add_arguments(self, parser):
        parser.add_argument(
            "--customer",
            action="append",
            dest="customers",
            metavar="NUMBER",
            help="Only this customer (by number); repeat for more. Default: all.",
        )
        parser.add_argument(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to this file instead of standard output.",
        )

    def handle(self, *args, **options):
        rows = self.rows.export_rows(self.customer_numbers(options["customers"]))
        path = options["output"]
        if not path:
            write_csv(
                self.stdout, columns=self.rows.columns, rows=rows, lineterminator="\n"
            )
            return
        try:
            file = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from error
        with file:
            write_csv(file, columns=self.rows.columns, rows=rows)

    def customer_numbers(self, numbers: list[str] | None) -> list[str] | None:
        """The customers asked for, None for all; CommandError for an unknown one."""
        if not numbers:
            return None
        numbers = [number.strip() for number in numbers]
        known = set(
            Customer.objects.filter(number__in=numbers).values_list("number", flat=True)
        )
        unknown = [number for number in numbers if number not in known]
        if unknown:
            raise CommandError(f"No customer has the number: {', '.join(unknown)}.")
        return numbers
