"""What the two export commands share: choosing customers and writing the CSV."""

import csv
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError

from customers.models import Customer


class ExportCommand(BaseCommand):
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

    def customer_filter(self, numbers: list[str] | None) -> dict:
        """The filter on the customer's number; CommandError for an unknown one."""
        if not numbers:
            return {}
        numbers = [number.strip() for number in numbers]
        known = set(
            Customer.objects.filter(number__in=numbers).values_list("number", flat=True)
        )
        unknown = [number for number in numbers if number not in known]
        if unknown:
            raise CommandError(f"No customer has the number: {', '.join(unknown)}.")
        return {"customer__number__in": numbers}

    @contextmanager
    def csv_writer(self, path: str | None):
        if path:
            try:
                file = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
            except OSError as error:
                raise CommandError(f"Cannot write {path}: {error.strerror}.") from error
            with file:
                yield csv.writer(file)
        else:
            # Each row is one write ending in a newline, so the command's output
            # wrapper adds nothing to it.
            yield csv.writer(self.stdout, lineterminator="\n")
