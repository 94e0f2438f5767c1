import pytest

from contacts.models import ContactDetail
from contacts.services import contact_detail_create
from tests.contacts.csv_helpers import run, run_failing, write_csv
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db

HEADER = "customer_number,kind,value,description\n"


@pytest.fixture
def dutch():
    customer = CustomerFactory(number="C00001")
    billing_address(customer, country="NL")
    return customer


def test_it_imports_details_normalised_by_kind_and_billing_country(tmp_path, dutch):
    path = write_csv(
        tmp_path / "details.csv",
        HEADER
        + "C00001,email,info@Example.COM,General\n"
        + "C00001,telephone,020 1234567,\n"
        + "C00001,Mobile Phone,06 12345678,Emergency Contact\n"
        + "C00001,website,example.com,\n",
    )

    out, err = run("import_contact_details", str(path))

    values = dict(ContactDetail.objects.values_list("kind", "value"))
    assert values == {
        "email": "info@example.com",
        "telephone": "+31201234567",
        "mobile": "+31612345678",
        "website": "https://example.com",
    }
    assert ContactDetail.objects.get(kind="mobile").description == "Emergency Contact"
    assert "Read 4 contact details: 4 written, 0 refused" in out
    assert err == ""


def test_the_first_detail_of_a_kind_becomes_primary(tmp_path, dutch):
    path = write_csv(
        tmp_path / "details.csv",
        HEADER
        + "C00001,email,first@example.com,\n"
        + "C00001,email,second@example.com,\n"
        + "C00001,telephone,020 1234567,\n",
    )

    run("import_contact_details", str(path), batch_size=1)

    primaries = set(
        ContactDetail.objects.filter(is_primary=True).values_list("value", flat=True)
    )
    assert primaries == {"first@example.com", "+31201234567"}


def test_an_existing_primary_stays_primary(tmp_path, dutch):
    existing = contact_detail_create(
        customer=dutch, kind="email", value="old@example.com"
    )
    path = write_csv(
        tmp_path / "details.csv", HEADER + "C00001,email,new@example.com,\n"
    )

    run("import_contact_details", str(path))

    existing.refresh_from_db()
    assert existing.is_primary
    assert not ContactDetail.objects.get(value="new@example.com").is_primary


def test_it_writes_history_without_a_user(tmp_path, dutch):
    path = write_csv(tmp_path / "details.csv", HEADER + "C00001,email,a@example.com,\n")

    run("import_contact_details", str(path))

    record = ContactDetail.objects.get().history.get()
    assert record.history_type == "+"
    assert record.history_user is None
    assert record.is_primary


def test_an_invalid_detail_refuses_the_file_and_names_line_column_and_message(
    tmp_path, dutch
):
    path = write_csv(
        tmp_path / "details.csv",
        HEADER
        + "C00001,email,a@example.com,\n"
        + "C00001,fax,020 1234567,\n"
        + "C00001,website,not a site,\n",
    )
    errors_path = tmp_path / "errors.csv"

    _, _, err = run_failing(
        "import_contact_details", str(path), errors=str(errors_path)
    )

    assert not ContactDetail.objects.exists()
    assert "Line 3, column kind: Value 'fax' is not a valid choice." in err
    assert "Line 3, column value" not in err
    assert "Line 4, column value: Enter a valid website address" in err
    lines = errors_path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "customer_number,kind,value,description,error"
    assert len(lines) == 3


def test_with_skip_invalid_the_valid_details_are_written(tmp_path, dutch):
    path = write_csv(
        tmp_path / "details.csv",
        "customer_number;kind;value;description\n"
        "C00001;email;a@\n"
        "C00001;email;b@example.com;Billing Contact\n",
        bom=True,
    )

    run("import_contact_details", str(path), skip_invalid=True)

    detail = ContactDetail.objects.get()
    assert (detail.value, detail.description) == ("b@example.com", "Billing Contact")
    assert detail.is_primary


def test_a_dry_run_writes_nothing(tmp_path, dutch):
    path = write_csv(tmp_path / "details.csv", HEADER + "C00001,email,a@example.com,\n")

    out, _ = run("import_contact_details", str(path), dry_run=True)

    assert not ContactDetail.objects.exists()
    assert "Nothing was written." in out


def test_a_number_of_the_other_kind_does_not_stop_an_import(tmp_path, dutch):
    path = write_csv(
        tmp_path / "details.csv",
        HEADER + "C00001,telephone,06 12345678,\nC00001,mobile,020 1234567,\n",
    )

    out, _ = run("import_contact_details", str(path))

    assert dict(ContactDetail.objects.values_list("kind", "value")) == {
        "telephone": "+31612345678",
        "mobile": "+31201234567",
    }
    assert "2 written, 0 refused" in out
