import csv

import pytest
from django.apps import apps

from contacts.models import Contact, ContactFieldSettings
from tests.contacts.csv_helpers import run, run_failing, write_csv
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db

HEADER = "customer_number,first_name,last_name,email,phone,job_title,department,roles\n"


@pytest.fixture
def dutch():
    customer = CustomerFactory(number="C00001", name="Dutch BV")
    billing_address(customer, country="NL")
    return customer


@pytest.fixture
def german():
    customer = CustomerFactory(number="C00002", name="German GmbH")
    billing_address(customer, country="DE", city="Berlin")
    return customer


def test_it_imports_contacts_with_their_roles_and_normalised_email_and_phone(
    tmp_path, dutch
):
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER + "C00001,Jan,Jansen,Jan@Example.COM,06 12345678,Buyer,Sales,"
        "Primary|invoice\n",
    )

    out, err = run("import_contacts", str(path))

    contact = Contact.objects.get()
    assert contact.customer == dutch
    assert (contact.first_name, contact.last_name) == ("Jan", "Jansen")
    assert contact.email == "Jan@example.com"
    assert contact.phone == "+31612345678"
    assert (contact.job_title, contact.department) == ("Buyer", "Sales")
    assert sorted(contact.roles.values_list("code", flat=True)) == [
        "invoice",
        "primary",
    ]
    assert "Read 1 contacts: 1 written, 0 refused" in out
    assert err == ""


def test_it_reads_phone_numbers_with_each_customers_billing_country(
    tmp_path, dutch, german
):
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER
        + "C00001,Jan,,,020 1234567,,,\n"
        + "C00002,Hans,,,030 1234567,,,\n"
        + "C00002,Anna,,,+31 20 1234567,,,\n",
    )

    run("import_contacts", str(path))

    phones = dict(Contact.objects.values_list("first_name", "phone"))
    assert phones == {
        "Jan": "+31201234567",
        "Hans": "+49301234567",
        "Anna": "+31201234567",
    }


def test_it_reads_a_semicolon_file_with_a_byte_order_mark(tmp_path, dutch):
    path = write_csv(
        tmp_path / "contacts.csv",
        "customer_number;first_name;last_name;email;phone;job_title;department;roles\n"
        "C00001;Jan;Jansen;jan@example.com;06 12345678;Inkoper, senior;;Order\n",
        bom=True,
    )

    run("import_contacts", str(path))

    contact = Contact.objects.get()
    assert contact.first_name == "Jan"
    assert contact.job_title == "Inkoper, senior"
    assert list(contact.roles.values_list("code", flat=True)) == ["order"]


def test_it_takes_headings_as_people_write_them_and_missing_optional_columns(
    tmp_path, dutch
):
    path = write_csv(
        tmp_path / "contacts.csv", "Customer number,First name,Email\nC00001,Jan,\n"
    )

    run("import_contacts", str(path))

    assert Contact.objects.get().first_name == "Jan"


def test_a_dry_run_checks_every_row_and_writes_nothing(tmp_path, dutch):
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER + "C00001,Jan,,,,,,\nC00001,Piet,,not-an-email,,,,\n",
    )

    error, out, err = run_failing("import_contacts", str(path), dry_run=True)

    assert not Contact.objects.exists()
    assert "Dry run: read 2 contacts: 1 valid, 1 refused" in out
    assert "Nothing was written." in out
    assert "Line 3, column email: Enter a valid email address" in err


def test_a_clean_dry_run_writes_nothing_and_succeeds(tmp_path, dutch):
    path = write_csv(tmp_path / "contacts.csv", HEADER + "C00001,Jan,,,,,,\n")

    out, _ = run("import_contacts", str(path), dry_run=True)

    assert not Contact.objects.exists()
    assert "1 valid, 0 refused" in out


def test_one_invalid_row_refuses_the_whole_file(tmp_path, dutch):
    rows = "".join(f"C00001,Person {n},,,,,,\n" for n in range(5))
    path = write_csv(
        tmp_path / "contacts.csv", HEADER + rows + "C00001,Bad,,,12,,,\n" + rows
    )

    error, out, err = run_failing("import_contacts", str(path), batch_size=2)

    assert error.returncode == 1
    assert not Contact.objects.exists()
    assert not Contact.history.exists()
    assert "11 contacts: 0 written, 1 refused" in out
    assert "Nothing was written" in out
    assert "Line 7, column phone: Enter a valid phone number for Netherlands" in err


def test_with_skip_invalid_the_valid_rows_are_written(tmp_path, dutch):
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER
        + "C00001,Jan,,,,,,\n"
        + "C00099,Nobody,,,,,,\n"
        + ",,,,,,,\n"
        + "C00001,Piet,,,,,,Boss\n"
        + "C00001,Kees,,,,,,\n",
    )

    out, err = run("import_contacts", str(path), skip_invalid=True)

    assert set(Contact.objects.values_list("first_name", flat=True)) == {"Jan", "Kees"}
    assert "Read 4 contacts: 2 written, 2 refused" in out
    assert "Line 3, column customer_number: No customer has the number C00099." in err
    assert "Line 5, column roles: Unknown role(s): Boss." in err


def test_the_required_field_settings_apply_to_imported_rows(tmp_path, dutch):
    settings = ContactFieldSettings.load()
    settings.require_email = True
    settings.save()
    path = write_csv(tmp_path / "contacts.csv", HEADER + "C00001,Jan,,,,,,\n")

    _, _, err = run_failing("import_contacts", str(path))

    assert "Line 2, column email: This field is required." in err
    assert not Contact.objects.exists()


def test_a_number_without_country_code_is_refused_without_a_billing_address(
    tmp_path,
):
    CustomerFactory(number="C00003")
    path = write_csv(
        tmp_path / "contacts.csv", HEADER + "C00003,Jan,,,06 12345678,,,\n"
    )

    _, _, err = run_failing("import_contacts", str(path))

    assert "Line 2, column phone: Enter the number with its country code" in err


def test_the_errors_file_holds_the_refused_rows_with_line_column_and_message(
    tmp_path, dutch
):
    path = write_csv(
        tmp_path / "contacts.csv",
        "customer_number;first_name;email\nC00001;Jan;jan@example.com\nC00001;;piet@\n",
    )
    errors_path = tmp_path / "errors.csv"

    run_failing("import_contacts", str(path), errors=str(errors_path))

    with errors_path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file, delimiter=";"))
    assert rows[0] == ["customer_number", "first_name", "email", "error"]
    assert len(rows) == 2
    assert rows[1][:3] == ["C00001", "", "piet@"]
    assert rows[1][3].startswith("Line 3: ")
    assert "first_name: This field cannot be blank." in rows[1][3]
    assert "email: Enter a valid email address" in rows[1][3]


def test_a_fixed_errors_file_re_imports(tmp_path, dutch):
    path = write_csv(tmp_path / "contacts.csv", HEADER + "C00001,Jan,,bad@,,,,\n")
    errors_path = tmp_path / "errors.csv"
    run_failing("import_contacts", str(path), errors=str(errors_path))

    fixed = errors_path.read_text(encoding="utf-8").replace("bad@", "jan@example.com")
    write_csv(errors_path, fixed)
    run("import_contacts", str(errors_path))

    assert Contact.objects.get().email == "jan@example.com"


def test_it_writes_a_created_history_record_without_a_user_with_the_roles(
    tmp_path, dutch
):
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER + "C00001,Jan,,,,,,primary|order\nC00001,Piet,,,,,,\n",
    )

    run("import_contacts", str(path))

    jan = Contact.objects.get(first_name="Jan")
    record = jan.history.get()
    assert record.history_type == "+"
    assert record.history_user is None
    assert sorted(record.roles.values_list("contactrole__code", flat=True)) == [
        "order",
        "primary",
    ]
    piet = Contact.objects.get(first_name="Piet")
    assert piet.history.get().roles.count() == 0
    role_history = apps.get_model("contacts", "HistoricalContact_roles")
    assert role_history.objects.count() == 2


def test_its_query_count_does_not_grow_with_the_number_of_rows(
    tmp_path, dutch, german, django_assert_num_queries
):
    def file_of(count):
        rows = "".join(
            f"C0000{1 + n % 2},P{n},,p{n}@example.com,+31 6 1234567{n % 10},,,"
            "primary|order\n"
            for n in range(count)
        )
        return write_csv(tmp_path / f"{count}.csv", HEADER + rows)

    small, large = file_of(3), file_of(60)
    ContactFieldSettings.load()
    for path in (small, large):
        # The field settings; the roles; the transaction's savepoint; the customers
        # of the batch; the service's savepoint; the contacts; their history; the
        # role links; the history ids; the role history; two savepoint releases.
        with django_assert_num_queries(12):
            run("import_contacts", str(path))
    assert Contact.objects.count() == 63


def test_an_unknown_column_refuses_the_file_before_reading_rows(tmp_path, dutch):
    path = write_csv(
        tmp_path / "contacts.csv", "customer_number,first_name,fax\nC00001,Jan,1\n"
    )

    error, _, _ = run_failing("import_contacts", str(path))

    assert "Unknown column(s) in the header: fax" in str(error)
    assert not Contact.objects.exists()


def test_an_empty_file_or_one_that_is_not_utf8_is_refused(tmp_path, dutch):
    empty = write_csv(tmp_path / "empty.csv", "")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(HEADER.encode() + "C00001,Jérôme,,,,,,\n".encode("latin-1"))

    empty_error, _, _ = run_failing("import_contacts", str(empty))
    latin_error, _, _ = run_failing("import_contacts", str(latin))

    assert "The file is empty" in str(empty_error)
    assert "not UTF-8" in str(latin_error)
    assert not Contact.objects.exists()


def test_a_missing_file_is_a_clear_error(tmp_path):
    error, _, _ = run_failing("import_contacts", str(tmp_path / "nope.csv"))

    assert "Cannot open" in str(error)


def test_progress_is_reported_in_plain_lines_when_not_on_a_terminal(
    tmp_path, dutch, monkeypatch
):
    monkeypatch.setattr("core.csvio.PROGRESS_EVERY", 3)
    rows = "".join(f"C00001,P{n},,,,,,\n" for n in range(7))
    path = write_csv(tmp_path / "contacts.csv", HEADER + rows)

    _, err = run("import_contacts", str(path), batch_size=2)

    assert "4 rows read" in err
    assert "\r" not in err


@pytest.mark.parametrize("skip_invalid", [False, True])
def test_an_unclosed_quote_refuses_the_file_at_its_line(tmp_path, dutch, skip_invalid):
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER
        + "C00001,Jan,,,,,,\n"
        + 'C00001,"Piet,Pietersen,,,,,\n'
        + "C00001,Kees,,,,,,\n"
        + "C00001,Klaas,,,,,,\n",
    )

    error, _, _ = run_failing("import_contacts", str(path), skip_invalid=skip_invalid)

    assert error.returncode == 1
    assert str(error).startswith("Line 3: a quoted value starts on this line and is")
    assert "never closed" in str(error)
    assert not Contact.objects.exists()


def test_a_stray_quote_after_a_quoted_value_refuses_the_file_at_its_line(
    tmp_path, dutch
):
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER + "C00001,Jan,,,,,,\n" + 'C00001,"Jan"sen,,,,,,\n',
    )

    error, _, _ = run_failing("import_contacts", str(path), dry_run=True)

    assert error.returncode == 1
    assert str(error).startswith("Line 3: a quoted value is followed by more than")


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_nul_byte_in_a_cell_is_refused_at_its_line_and_column(
    tmp_path, dutch, dry_run
):
    path = write_csv(
        tmp_path / "contacts.csv", HEADER + "C00001,Jan,,,,,,\nC00001,Pi\0et,,,,,,\n"
    )

    error, out, err = run_failing("import_contacts", str(path), dry_run=dry_run)

    assert error.returncode == 1
    assert (
        "Line 3, column first_name: The value holds a NUL byte, which no value may "
        "hold." in err
    )
    assert "2 contacts: " in out
    assert "1 refused" in out
    assert not Contact.objects.exists()


def test_tabs_line_breaks_and_other_control_characters_are_refused(tmp_path, dutch):
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER
        + "C00001,Jan,Jan\tsen,,,,,\n"
        + 'C00001,"Piet\nPietersen",,,,,,\n'
        + "C00001,Kees,,,,Boss\x1b[31m,,\n"
        + 'C00001,Klaas,,,,,"Sales\r",\n'
        + "C00001,Anna,,,,,,primary\n",
    )

    _, err = run("import_contacts", str(path), skip_invalid=True)

    assert "Line 2, column last_name: The value holds a tab" in err
    assert "Line 3, column first_name: The value holds a line break" in err
    assert (
        "Line 5, column job_title: The value holds the control character U+001B" in err
    )
    assert "Line 6, column department: The value holds a line break" in err
    assert list(Contact.objects.values_list("first_name", flat=True)) == ["Anna"]


def test_a_row_with_too_few_values_is_refused_not_padded(tmp_path, dutch):
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER + "C00001,Jan,Jansen\nC00001,Piet,,,,,,,,\n",
    )

    _, err = run("import_contacts", str(path), skip_invalid=True)

    assert "Line 2, column -: This row has 3 values; the header has 8 columns." in err
    # Trailing empty values, as a spreadsheet writes them, are no extra values.
    assert list(Contact.objects.values_list("first_name", flat=True)) == ["Piet"]


def test_a_cell_an_export_neutralised_is_read_back_to_its_value(tmp_path, dutch):
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER
        + "C00001,'=1+1,''=x,,+31612345678,'@SUM(A1),'t Hooft,\n"
        + "C00001,'t Hart,'-,,,,,\n",
    )

    run("import_contacts", str(path))

    stored = set(Contact.objects.values_list("first_name", "last_name", "job_title"))
    assert stored == {("=1+1", "'=x", "@SUM(A1)"), ("'t Hart", "-", "")}
    assert Contact.objects.get(first_name="=1+1").department == "'t Hooft"
