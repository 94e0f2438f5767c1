from contacts.imports import DETAIL_COLUMNS
from contacts.management.commands._csv_export import ExportCommand
from contacts.models import ContactDetail


class Command(ExportCommand):
    help = (
        "Export contact details as CSV, in the columns import_contact_details reads. "
        "Each kind's primary comes first, so a re-import makes the same one primary."
    )

    def handle(self, *args, **options):
        details = (
            ContactDetail.objects.filter(**self.customer_filter(options["customers"]))
            .order_by("customer__number", "kind", "-is_primary", "created_at", "pk")
            .values_list("customer__number", "kind", "value", "description")
        )
        with self.csv_writer(options["output"]) as writer:
            writer.writerow(DETAIL_COLUMNS)
            for row in details.iterator(chunk_size=2000):
                writer.writerow(row)
