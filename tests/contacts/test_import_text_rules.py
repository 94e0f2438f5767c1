"""Imports refuse, at the row's line and the value's column, what the rules of every
text refuse (`core.models.TimeStampedModel`): control characters, line breaks in
one-line values, and values too long once stored. `--dry-run` refuses the same rows."""

import pytest

from contacts.models import Contact, ContactDetail
from tests.contacts.csv_helpers import run_failing, write_csv
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db

CONTACTS = (
    "customer_number,first_name,last_name,email,phone,job_title,department,roles\n"
)
DETAILS = "customer_number,kind,value,description\n"
# 252 characters as written in the file; 260 once https:// is added.
LONG_WEBSITE = "example.com/" + "p" * 240


@pytest.fixture
def dutch():
    customer = CustomerFactory(number="C00001")
    billing_address(customer, country="NL")
    return customer


@pytest.fixture(params=[False, True], ids=["import", "dry-run"])
def dry_run(request):
    return request.param


@pytest.mark.parametrize(
    ("cell", "column"),
    [
        ('C00001,"Jan\nJansen",,,,,,', "first_name"),
        ("C00001,Jan,Jan\x00sen,,,,,", "last_name"),
        ("C00001,Jan,,,,Buy\x1ber,,", "job_title"),
        ("C00001,Jan,,,,,Sa\tles,", "department"),
    ],
)
def test_a_contact_with_a_control_character_is_refused_at_its_line_and_column(
    tmp_path, dutch, dry_run, cell, column
):
    path = write_csv(
        tmp_path / "contacts.csv", CONTACTS + "C00001,Piet,,,,,,\n" + cell + "\n"
    )

    _, _, err = run_failing("import_contacts", str(path), dry_run=dry_run)

    assert f"Line 3, column {column}: " in err
    assert "Line 2" not in err
    assert not Contact.objects.exists()


def test_a_detail_with_a_line_break_in_its_description_is_refused(
    tmp_path, dutch, dry_run
):
    path = write_csv(
        tmp_path / "details.csv",
        DETAILS + 'C00001,email,info@example.com,"Billing\nContact"\n',
    )

    _, _, err = run_failing("import_contact_details", str(path), dry_run=dry_run)

    assert "Line 2, column description: " in err
    assert not ContactDetail.objects.exists()


def test_a_website_too_long_once_https_is_added_is_refused(tmp_path, dutch, dry_run):
    path = write_csv(
        tmp_path / "details.csv",
        DETAILS
        + "C00001,email,info@example.com,\n"
        + f"C00001,website,{LONG_WEBSITE},\n",
    )

    _, _, err = run_failing("import_contact_details", str(path), dry_run=dry_run)

    assert (
        "Line 3, column value: Stored as “https://example.com/pppppppppp…”, this is "
        "260 characters long; the limit is 254. Shorten it."
    ) in err
    assert "Line 2" not in err
    assert not ContactDetail.objects.exists()
