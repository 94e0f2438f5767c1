from contacts.csv_rows import ContactDetailRows
from contacts.management.commands._csv_export import ExportCommand


class Command(ExportCommand):
    help = (
        "Export contact details as CSV, in the columns import_contact_details reads. "
        "Each kind's primary comes first, so a re-import makes the same one primary."
    )
    rows = ContactDetailRows
