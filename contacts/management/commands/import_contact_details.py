from contacts.csv_rows import ContactDetailRows
from contacts.management.commands._csv_import import ImportCommand


class Command(ImportCommand):
    help = (
        "Import contact details from a CSV file with the columns customer_number, "
        "kind (email, telephone, mobile or website), value and description. The first "
        "detail of a kind for a customer becomes primary; an existing primary stays."
    )
    rows = ContactDetailRows
    update_help = (
        "Leave a detail the customer already has (same kind and value) as it is, or "
        "change its description, instead of adding it again."
    )
    what = "contact details"
