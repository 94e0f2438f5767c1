import csv

import pytest
from django.apps import apps

from contacts.models import Contact, ContactFieldSettings
from contacts.services.links import contact_create
from tests.contacts.csv_helpers import (
    CONTACTS_HEADER,
    contacts_state,
    customer_with_billing_country,
    run,
    run_failing,
    write_csv,
)
from tests.contacts.factories import role
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db

HEADER = CONTACTS_HEADER


@pytest.fixture
def dutch():
    return customer_with_billing_country("C00001", "NL", name="Dutch BV")


@pytest.fixture
def german():
    return customer_with_billing_country("C00002", "DE", name="German GmbH")


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
    assert "Read 1 contacts: 1 added, 0 updated, 0 unchanged, 0 refused" in out
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
    assert (
        "Dry run: read 2 contacts: 1 to add, 0 to update, 0 unchanged, 1 refused" in out
    )
    assert "Nothing was written." in out
    assert "Line 3, column email: This address has no @ sign" in err


def test_a_clean_dry_run_writes_nothing_and_succeeds(tmp_path, dutch):
    path = write_csv(tmp_path / "contacts.csv", HEADER + "C00001,Jan,,,,,,\n")

    out, _ = run("import_contacts", str(path), dry_run=True)

    assert not Contact.objects.exists()
    assert "1 to add, 0 to update, 0 unchanged, 0 refused" in out


def test_one_invalid_row_refuses_the_whole_file(tmp_path, dutch):
    rows = "".join(f"C00001,Person {n},,,,,,\n" for n in range(5))
    others = "".join(f"C00001,Other {n},,,,,,\n" for n in range(5))
    path = write_csv(
        tmp_path / "contacts.csv", HEADER + rows + "C00001,Bad,,,12,,,\n" + others
    )

    error, out, err = run_failing("import_contacts", str(path), batch_size=2)

    assert error.returncode == 1
    assert not Contact.objects.exists()
    assert not Contact.history.exists()
    assert "11 contacts: 10 to add, 0 to update, 0 unchanged, 1 refused" in out
    assert "Nothing was written" in out
    assert "Line 7, column phone: This number has too few digits for Netherlands" in err


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

    error, out, err = run_failing("import_contacts", str(path), skip_invalid=True)

    assert set(Contact.objects.values_list("first_name", flat=True)) == {"Jan", "Kees"}
    assert "Read 4 contacts: 2 added, 0 updated, 0 unchanged, 2 refused" in out
    # Not 0, so a scheduled job notices the refused rows.
    assert error.returncode == 1
    assert str(error) == "2 of 4 rows refused. The other rows were written."
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
    assert "email: Add the domain after the @ sign" in rows[1][3]


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
    def file_of(count, name):
        # Each file's people of their own: none is a possible duplicate of another.
        rows = "".join(
            f"C0000{1 + n % 2},{name}{n},,{name}{n}@example.com,"
            f"+31 6 1{count:02d}{n:05d},,,invoice|order\n"
            for n in range(count)
        )
        return write_csv(tmp_path / f"{count}.csv", HEADER + rows)

    # Within one INSERT of SQLite's (at most 999 values: 47 history rows).
    small, large = file_of(3, "Q"), file_of(40, "P")
    ContactFieldSettings.load()
    for path in (small, large):
        # The preview: the field settings; the roles; the customers of the batch.
        # The written pass: the same three; the batch's savepoint; its customers
        # locked; the service's savepoint; the persons; their history; the
        # contacts; their history; the role
        # links; the history ids; the role history; two savepoint releases. The
        # possible duplicates refreshed once: a savepoint, the customers locked,
        # their contacts, "Not a duplicate" marks and stored pairs (none found), the
        # release.
        with django_assert_num_queries(24):
            run("import_contacts", str(path))
    assert Contact.objects.count() == 43


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
        "Line 3, column first_name: Remove a NUL byte (character 3): it is "
        "invisible and cannot be stored." in err
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

    _, _, err = run_failing("import_contacts", str(path), skip_invalid=True)

    assert "Line 2, column last_name: Keep this on one line: replace the tab" in err
    assert "Line 3, column first_name: Keep this on one line: remove the line" in err
    assert "Line 5, column job_title: Remove the control character U+001B" in err
    assert "Line 6, column department: Keep this on one line: remove the line" in err
    assert list(Contact.objects.values_list("first_name", flat=True)) == ["Anna"]


def test_a_row_with_too_few_values_is_refused_not_padded(tmp_path, dutch):
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER + "C00001,Jan,Jansen\nC00001,Piet,,,,,,,,\n",
    )

    _, _, err = run_failing("import_contacts", str(path), skip_invalid=True)

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


# --update: a row changes the contact it stands for instead of adding one, so
# importing a file twice changes nothing the second time.

JAN = {
    "first_name": "Jan",
    "last_name": "Jansen",
    "email": "jan@example.com",
    "phone": "+31612345678",
    "job_title": "Buyer",
}


@pytest.fixture
def jan(dutch):
    return contact_create(customer=dutch, roles=[role("primary")], **JAN)


def history_count():
    role_history = apps.get_model("contacts", "HistoricalContact_roles")
    return Contact.history.count(), role_history.objects.count()


def test_with_update_importing_a_file_twice_changes_nothing_the_second_time(
    tmp_path, dutch
):
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER
        + "C00001,Jan,Jansen,Jan@Example.com,06 12345678,Buyer,,primary|order\n"
        + "C00001,Piet,,,020 1234567,,,\n"
        + "C00001,Kees,Klaassen,,,,Sales,Invoice\n",
    )
    first, _ = run("import_contacts", str(path), update=True)
    after_first, history_after_first = contacts_state(), history_count()

    second, _ = run("import_contacts", str(path), update=True, batch_size=2)

    assert "Read 3 contacts: 3 added, 0 updated, 0 unchanged, 0 refused" in first
    assert "Read 3 contacts: 0 added, 0 updated, 3 unchanged, 0 refused" in second
    assert contacts_state() == after_first
    assert history_count() == history_after_first


def test_it_updates_the_contact_with_the_same_email_in_any_case(tmp_path, jan):
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER + "C00001,Johan,Jansen,JAN@example.com,020 1234567,Owner,,order\n",
    )

    out, _ = run("import_contacts", str(path), update=True)

    contact = Contact.objects.get()
    assert contact.pk == jan.pk
    assert (contact.first_name, contact.phone, contact.job_title) == (
        "Johan",
        "+31201234567",
        "Owner",
    )
    assert contact.email == "JAN@example.com"
    assert list(contact.roles.values_list("code", flat=True)) == ["order"]
    assert "0 added, 1 updated, 0 unchanged, 0 refused" in out


@pytest.mark.parametrize(
    ("row", "rule"),
    [
        ("C00001,Jan,Jansen,new@example.com,06 12345678,Owner,,primary", "phone"),
        ("C00001,Jan,Jansen,new@example.com,020 1234567,Owner,,primary", "name"),
    ],
)
def test_without_an_email_match_the_phone_then_the_name_decide(
    tmp_path, jan, row, rule
):
    path = write_csv(tmp_path / "contacts.csv", HEADER + row + "\n")

    out, _ = run("import_contacts", str(path), update=True)

    contact = Contact.objects.get()
    assert (contact.pk, contact.email, contact.job_title) == (
        jan.pk,
        "new@example.com",
        "Owner",
    )
    assert "0 added, 1 updated" in out, rule


def test_a_row_matching_nothing_is_added(tmp_path, jan):
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER + "C00001,Jan,Janssen,other@example.com,020 1234567,,,\n",
    )

    out, _ = run("import_contacts", str(path), update=True)

    assert Contact.objects.count() == 2
    assert "1 added, 0 updated, 0 unchanged" in out


def test_a_contact_of_another_customer_is_never_matched(tmp_path, jan):
    other = customer_with_billing_country("C00002", "NL")
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER + "C00002,Jan,Jansen,jan@example.com,06 12345678,Buyer,,primary\n",
    )

    run("import_contacts", str(path), update=True)

    assert Contact.objects.filter(customer=other).count() == 1
    assert Contact.objects.get(pk=jan.pk).customer.number == "C00001"


def test_only_the_columns_the_file_has_are_changed(tmp_path, jan):
    path = write_csv(
        tmp_path / "contacts.csv",
        "customer_number,first_name,email,department\nC00001,Jan,,Sales\n",
    )

    out, _ = run("import_contacts", str(path), update=True)

    # No last_name column: matched by the first name alone; the email emptied, as
    # the file says; last name, phone, job title and roles as they were.
    contact = Contact.objects.get()
    assert (contact.last_name, contact.email, contact.phone) == (
        "Jansen",
        "",
        "+31612345678",
    )
    assert (contact.job_title, contact.department) == ("Buyer", "Sales")
    assert list(contact.roles.values_list("code", flat=True)) == ["primary"]
    assert "1 updated" in out


def test_an_update_is_in_the_history_by_the_system_with_its_roles(tmp_path, jan):
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER + "C00001,Jan,Jansen,jan@example.com,06 12345678,Buyer,,order|invoice\n",
    )

    run("import_contacts", str(path), update=True)

    record = jan.history.order_by("-history_id").first()
    assert record.history_type == "~"
    assert record.history_user_id is None
    assert sorted(record.roles.values_list("contactrole__code", flat=True)) == [
        "invoice",
        "order",
    ]
    before = record.prev_record
    assert list(before.roles.values_list("contactrole__code", flat=True)) == ["primary"]
    assert sorted(jan.roles.values_list("code", flat=True)) == ["invoice", "order"]


def test_an_update_without_a_roles_column_keeps_the_roles_in_its_history(tmp_path, jan):
    path = write_csv(
        tmp_path / "contacts.csv",
        "customer_number,first_name,last_name,job_title\nC00001,Jan,Jansen,Owner\n",
    )

    run("import_contacts", str(path), update=True)

    record = jan.history.order_by("-history_id").first()
    assert (record.history_type, record.job_title) == ("~", "Owner")
    assert list(record.roles.values_list("contactrole__code", flat=True)) == ["primary"]
    assert list(jan.roles.values_list("code", flat=True)) == ["primary"]


@pytest.mark.parametrize("batch_size", [1000, 1])
def test_two_rows_for_the_same_contact_refuse_the_second(tmp_path, jan, batch_size):
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER
        + "C00001,Jan,Jansen,jan@example.com,,Owner,,\n"
        + "C00001,Johan,,JAN@example.com,,,,\n"
        + "C00001,Anna,,anna@example.com,,,,\n"
        + "C00001,Anna,,Anna@example.com,,,,\n",
    )

    error, out, err = run_failing(
        "import_contacts", str(path), update=True, batch_size=batch_size
    )

    assert error.returncode == 1
    assert (
        "Line 3, column -: This row is the same contact as line 2 (Jan Jansen): give "
        "each contact one row." in err
    )
    assert "Line 5, column -: This row is the same contact as line 4 (Anna)" in err
    assert "Read 4 contacts: 1 to add, 1 to update, 0 unchanged, 2 refused" in out
    assert Contact.objects.get().job_title == "Buyer"


def test_a_dry_run_finds_a_second_row_for_a_contact_added_by_an_earlier_batch(
    tmp_path, dutch
):
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER + "C00001,Anna,,anna@example.com,,,,\nC00001,Anna,,,,,,\n",
    )

    _, out, err = run_failing(
        "import_contacts", str(path), update=True, dry_run=True, batch_size=1
    )

    assert "Line 3, column -: This row is the same contact as line 2 (Anna)" in err
    assert "1 to add, 0 to update, 0 unchanged, 1 refused" in out
    assert not Contact.objects.exists()


def test_a_row_that_does_not_say_which_of_two_contacts_is_refused(tmp_path, dutch):
    for name in ("Jan", "Piet"):
        contact_create(customer=dutch, first_name=name, email="sales@example.com")
    path = write_csv(
        tmp_path / "contacts.csv", HEADER + "C00001,Kees,,sales@example.com,,,,\n"
    )

    _, _, err = run_failing("import_contacts", str(path), update=True)

    assert (
        "Line 2, column -: This row matches 2 contacts of the customer (Jan, Piet) "
        "and does not say which" in err
    )


def test_the_name_tells_apart_contacts_sharing_an_email(tmp_path, dutch):
    for name in ("Jan", "Piet"):
        contact_create(customer=dutch, first_name=name, email="sales@example.com")
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER
        + "C00001,Piet,,sales@example.com,,Owner,,\n"
        + "C00001,Jan,,sales@example.com,,Buyer,,\n",
    )

    run("import_contacts", str(path), update=True)

    assert dict(Contact.objects.values_list("first_name", "job_title")) == {
        "Jan": "Buyer",
        "Piet": "Owner",
    }


def test_a_contact_stored_twice_re_imports_from_its_export_unchanged(tmp_path, dutch):
    # Twice with the same roles: a customer has one Primary, so not that one.
    for _ in range(2):
        contact_create(customer=dutch, roles=[role("order")], **JAN)
    exported = tmp_path / "contacts.csv"
    run("export_contacts", output=str(exported))

    out, err = run("import_contacts", str(exported), update=True)

    # Each row names its own person: each finds its own link.
    assert "0 added 0 updated 2 unchanged 0 refused in" in out.replace(",", "")
    assert not err
    assert Contact.objects.count() == 2


def test_a_required_field_the_file_lacks_counts_the_stored_value(tmp_path, jan):
    settings = ContactFieldSettings.load()
    settings.require_phone = True
    settings.save()
    path = write_csv(
        tmp_path / "contacts.csv",
        "customer_number,first_name,last_name,job_title\n"
        "C00001,Jan,Jansen,Owner\n"
        "C00001,Piet,,Owner\n",
    )

    _, _, err = run_failing(
        "import_contacts", str(path), update=True, skip_invalid=True
    )

    assert Contact.objects.get().job_title == "Owner"
    assert "Line 2" not in err
    assert "Line 3, column phone: This field is required." in err


def test_an_update_that_breaks_a_rule_is_refused(tmp_path, jan):
    settings = ContactFieldSettings.load()
    settings.require_phone = True
    settings.save()
    Contact.objects.filter(pk=jan.pk).update(phone="")
    path = write_csv(
        tmp_path / "contacts.csv",
        "customer_number,first_name,last_name,job_title\nC00001,Jan,Jansen,Owner\n",
    )

    _, _, err = run_failing("import_contacts", str(path), update=True)

    assert "Line 2, column phone: This field is required." in err
    assert Contact.objects.get().job_title == "Buyer"


def test_the_summary_counts_added_updated_unchanged_and_refused(tmp_path, jan):
    contact_create(customer=jan.customer, first_name="Piet", email="piet@example.com")
    path = write_csv(
        tmp_path / "contacts.csv",
        "customer_number,first_name,email\n"
        "C00001,Jan,jan@example.com\n"
        "C00001,Pieter,piet@example.com\n"
        "C00001,Kees,kees@example.com\n"
        "C00001,Bad,bad@\n",
    )

    error, out, _ = run_failing(
        "import_contacts", str(path), update=True, skip_invalid=True
    )

    assert "Read 4 contacts: 1 added, 1 updated, 1 unchanged, 1 refused" in out
    assert error.returncode == 1
    assert set(Contact.objects.values_list("first_name", flat=True)) == {
        "Jan",
        "Pieter",
        "Kees",
    }


def test_with_update_its_query_count_does_not_grow_with_the_number_of_rows(
    tmp_path, dutch, django_assert_num_queries
):
    def file_of(count, job_title, roles):
        rows = "".join(
            f"C00001,P{count}-{n},,p{count}.{n}@example.com,+31 6 1234567{n % 10},"
            f"{job_title},,{roles}\n"
            for n in range(count)
        )
        return write_csv(tmp_path / f"{count}-{job_title}.csv", HEADER + rows)

    ContactFieldSettings.load()
    # Within one INSERT of SQLite's (at most 999 values: 47 history rows).
    for count in (3, 40):
        run("import_contacts", str(file_of(count, "Buyer", "shipment|order")))
        changed = file_of(count, "Owner", "invoice")
        # The preview: the field settings; the roles; the customers of the batch;
        # the stored contacts that could match; their roles. The written pass: the
        # same five with the batch's savepoint, the customers of the other links of
        # the persons it could rename and its customers' lock (the stored contacts
        # locked); the service's savepoint; those other customers again, the
        # customers' and the contacts' locks again; the contacts; their history;
        # their role links; the links removed; the links added; the history ids;
        # the role history; two savepoint releases (no name changed: no person
        # written). The possible duplicates refreshed once: a savepoint, the
        # customers locked, their contacts, "Not a duplicate" marks and stored
        # pairs (none found), the release.
        with django_assert_num_queries(32):
            run("import_contacts", str(changed), update=True)
        # The same without the writes and without the refresh: the preview's five,
        # and the written pass's five with its savepoint, the other customers, the
        # lock and the release (nothing written, nothing refreshed).
        with django_assert_num_queries(14):
            run("import_contacts", str(changed), update=True)
    assert Contact.objects.filter(job_title="Owner").count() == 43
    assert set(
        Contact.roles.through.objects.values_list("contactrole__code", flat=True)
    ) == {"invoice"}
