from contacts.csv_rows import ContactRows
from contacts.management.commands._csv_import import ImportCommand


class Command(ImportCommand):
    help = (
        "Import contact persons from a CSV file with the columns customer_number, "
        "first_name, last_name, email, phone, job_title, department and roles (role "
        "names or codes separated by |). Customers are matched by number; phone "
        "numbers are read with the customer's billing country."
    )
    rows = ContactRows
    update_help = (
        "Update the customer's contact with the same email, else the same phone "
        "number, else the same first and last name, instead of adding one; roles are "
        "replaced by the row's. Importing a file twice changes nothing the second time."
    )
    what = "contacts"
