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
    what = "contacts"
