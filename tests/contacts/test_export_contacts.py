import csv
import io

import pytest

from contacts.models import Contact, ContactDetail
from contacts.services.card import contact_detail_create
from contacts.services.links import contact_create
from tests.contacts.csv_helpers import (
    contacts_state,
    details_state,
    run,
    run_failing,
    write_csv,
)
from tests.contacts.factories import role

pytestmark = pytest.mark.django_db


def test_it_exports_contacts_in_the_columns_the_import_reads(customers):
    out, _ = run("export_contacts")

    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == [
        "customer_number",
        "person_id",
        "first_name",
        "last_name",
        "email",
        "phone",
        "job_title",
        "department",
        "language",
        "roles",
    ]
    jan = Contact.objects.get(customer__number="C00001", first_name="Jan")
    assert rows[1] == [
        "C00001",
        str(jan.person_id),
        "Jan",
        "Jansen",
        "jan@example.com",
        "+31612345678",
        "Buyer, senior",
        "Sales",
        "nl",
        "primary|invoice",
    ]
    assert len(rows) == 4


def test_an_export_of_contacts_re_imports_unchanged(customers, tmp_path):
    before = contacts_state()
    out, _ = run("export_contacts")
    path = write_csv(tmp_path / "contacts.csv", out)
    Contact.objects.all().delete()

    run("import_contacts", str(path))

    assert contacts_state() == before
    again, _ = run("export_contacts")
    assert again == out


def test_an_export_of_details_re_imports_with_the_same_primaries(customers, tmp_path):
    before = details_state()
    path = tmp_path / "details.csv"
    run("export_contact_details", output=str(path))
    ContactDetail.objects.all().delete()

    run("import_contact_details", str(path))

    assert details_state() == before


def test_it_exports_only_the_customers_given(customers):
    out, _ = run("export_contacts", customers=["C00002"])
    details, _ = run("export_contact_details", customers=["C00002"])

    assert [row[0] for row in csv.reader(io.StringIO(out))][1:] == ["C00002"]
    assert list(csv.reader(io.StringIO(details)))[1:] == [
        ["C00002", "website", "https://example.de", ""]
    ]


def test_an_unknown_customer_number_is_an_error(customers):
    error, _, _ = run_failing("export_contacts", customers=["C00001", "C09999"])

    assert "No customer has the number: C09999." in str(error)


@pytest.fixture
def formulas(customers):
    """Values a spreadsheet would run as formulas, stored as they were typed."""
    dutch, _ = customers
    contact_create(
        customer=dutch,
        first_name='=HYPERLINK("https://evil.example","Click")',
        last_name="-2+3+cmd|' /C calc'!A0",
        email="-sales@example.com",
        phone="+31201234567",
        job_title="@SUM(A1)",
        department="Sales;=1+1",
        roles=[role("order")],
    )
    contact_create(customer=dutch, first_name="'t Hart", last_name="'=already quoted")
    contact_detail_create(
        customer=dutch, kind="email", value="-info@example.com", description="+Night"
    )
    return dutch


def test_the_export_neutralises_cells_a_spreadsheet_would_run_as_formulas(formulas):
    out, _ = run("export_contacts", customers=["C00001"])
    details, _ = run("export_contact_details", customers=["C00001"])

    evil, hart = (
        Contact.objects.get(first_name=name).person_id
        for name in ('=HYPERLINK("https://evil.example","Click")', "'t Hart")
    )
    # Every cell quoted, so ";" in a value cannot start a cell in a spreadsheet
    # that splits on semicolons; a quote before each formula-like value.
    assert (
        f'"C00001","{evil}","\'=HYPERLINK(""https://evil.example"",""Click"")",'
        '"\'-2+3+cmd|\' /C calc\'!A0","\'-sales@example.com","+31201234567",'
        '"\'@SUM(A1)","Sales;=1+1","","order"\n' in out
    )
    assert (
        f'"C00001","{hart}","\'t Hart","\'\'=already quoted","","","","","",""\n' in out
    )
    assert '"C00001","email","\'-info@example.com","\'+Night"\n' in details
    # An E.164 number is a plain number: a spreadsheet reads it as one.
    assert '"+31612345678"' in out


def test_a_neutralised_export_re_imports_unchanged(formulas, tmp_path):
    contacts_before, details_before = contacts_state(), details_state()
    contacts_path, details_path = tmp_path / "contacts.csv", tmp_path / "details.csv"
    run("export_contacts", output=str(contacts_path))
    run("export_contact_details", output=str(details_path))
    Contact.objects.all().delete()
    ContactDetail.objects.all().delete()

    run("import_contacts", str(contacts_path))
    run("import_contact_details", str(details_path))

    assert contacts_state() == contacts_before
    assert details_state() == details_before


def test_each_export_is_one_query_whatever_the_number_of_rows(
    customers, django_assert_num_queries
):
    dutch, _ = customers
    for n in range(30):
        contact_create(customer=dutch, first_name=f"P{n}", roles=[role("order")])
    # The contacts with their roles, joined; the details. No query per contact
    # or per chunk of contacts.
    with django_assert_num_queries(1):
        contacts, _ = run("export_contacts")
    with django_assert_num_queries(1):
        run("export_contact_details")
    assert contacts.count("\n") == 1 + 3 + 30
    assert contacts.count('"order"\n') == 30
