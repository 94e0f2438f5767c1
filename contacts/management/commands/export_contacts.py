from contacts.csv_rows import ContactRows
from contacts.management.commands._csv_export import ExportCommand


class Command(ExportCommand):
    help = (
        "Export contact persons as CSV, in the columns import_contacts reads: an "
        "export re-imports unchanged. Phone numbers in E.164, roles as codes."
    )
    rows = ContactRows
