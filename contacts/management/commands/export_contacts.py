from django.db.models import Prefetch

from contacts.imports import CONTACT_COLUMNS, ROLE_SEPARATOR
from contacts.management.commands._csv_export import ExportCommand
from contacts.models import Contact, ContactRole


class Command(ExportCommand):
    help = (
        "Export contact persons as CSV, in the columns import_contacts reads: an "
        "export re-imports unchanged. Phone numbers in E.164, roles as codes."
    )

    def handle(self, *args, **options):
        contacts = (
            Contact.objects.filter(**self.customer_filter(options["customers"]))
            .select_related("customer")
            .prefetch_related(
                Prefetch("roles", queryset=ContactRole.objects.order_by("position"))
            )
            .order_by("customer__number", "pk")
        )
        with self.csv_writer(options["output"]) as writer:
            writer.writerow(CONTACT_COLUMNS)
            # In chunks: the roles of each chunk in one query, memory flat.
            for contact in contacts.iterator(chunk_size=1000):
                writer.writerow(
                    [
                        contact.customer.number,
                        contact.first_name,
                        contact.last_name,
                        contact.email,
                        contact.phone,
                        contact.job_title,
                        contact.department,
                        ROLE_SEPARATOR.join(role.code for role in contact.roles.all()),
                    ]
                )
