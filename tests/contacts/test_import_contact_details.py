import pytest

from contacts.models import ContactDetail
from contacts.selectors import contact_card_version
from contacts.services.card import contact_detail_create
from tests.contacts.csv_helpers import (
    DETAILS_HEADER,
    customer_with_billing_country,
    details_state,
    run,
    run_failing,
    write_csv,
)

pytestmark = pytest.mark.django_db

HEADER = DETAILS_HEADER


@pytest.fixture
def dutch():
    return customer_with_billing_country("C00001", "NL")


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
    assert "Read 4 contact details: 4 added, 0 updated, 0 unchanged, 0 refused" in out
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

    error, _, _ = run_failing("import_contact_details", str(path), skip_invalid=True)

    detail = ContactDetail.objects.get()
    assert (detail.value, detail.description) == ("b@example.com", "Billing Contact")
    assert detail.is_primary
    assert error.returncode == 1


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
    assert "2 added, 0 updated, 0 unchanged, 0 refused" in out


# --update: a detail the customer already has (same kind, same normalised value) is
# left alone, or its description changed, not added again.


def test_with_update_importing_a_file_twice_changes_nothing_the_second_time(
    tmp_path, dutch
):
    path = write_csv(
        tmp_path / "details.csv",
        HEADER
        + "C00001,email,info@example.com,General\n"
        + "C00001,email,sales@example.com,\n"
        + "C00001,telephone,020 1234567,\n",
    )
    first, _ = run("import_contact_details", str(path), update=True)
    after_first, history = details_state(), ContactDetail.history.count()

    second, _ = run("import_contact_details", str(path), update=True)

    assert "Read 3 contact details: 3 added, 0 updated, 0 unchanged" in first
    assert "Read 3 contact details: 0 added, 0 updated, 3 unchanged" in second
    assert details_state() == after_first
    assert ContactDetail.history.count() == history


def test_the_same_value_in_another_form_is_the_same_detail(tmp_path, dutch):
    contact_detail_create(customer=dutch, kind="email", value="jan.smit@example.com")
    contact_detail_create(customer=dutch, kind="mobile", value="+31612345678")
    path = write_csv(
        tmp_path / "details.csv",
        HEADER
        + "C00001,email,Jan.Smit@example.com,\n"
        + "C00001,Mobile Phone,06 12345678,\n",
    )

    out, _ = run("import_contact_details", str(path), update=True)

    assert ContactDetail.objects.count() == 2
    # The email's case is the file's now; the mobile number was the same.
    assert "0 added, 1 updated, 1 unchanged" in out
    assert ContactDetail.objects.get(kind="email").value == "Jan.Smit@example.com"


def test_a_new_description_updates_the_detail_with_history(tmp_path, dutch):
    first = contact_detail_create(customer=dutch, kind="email", value="a@example.com")
    contact_detail_create(customer=dutch, kind="email", value="b@example.com")
    path = write_csv(
        tmp_path / "details.csv", HEADER + "C00001,email,b@example.com,Billing\n"
    )

    out, _ = run("import_contact_details", str(path), update=True)

    detail = ContactDetail.objects.get(value="b@example.com")
    assert (detail.description, detail.is_primary) == ("Billing", False)
    first.refresh_from_db()
    assert first.is_primary
    record = detail.history.order_by("-history_id").first()
    assert (record.history_type, record.history_user_id) == ("~", None)
    assert record.description == "Billing"
    assert "0 added, 1 updated, 0 unchanged" in out


def test_an_update_changes_the_cards_version(tmp_path, dutch):
    contact_detail_create(customer=dutch, kind="email", value="a@example.com")
    opened = contact_card_version(customer=dutch)
    path = write_csv(
        tmp_path / "details.csv", HEADER + "C00001,email,a@example.com,Billing\n"
    )

    run("import_contact_details", str(path), update=True)

    # An editing window opened before the import would overwrite the description.
    assert int(contact_card_version(customer=dutch)) == int(opened) + 1


def test_without_a_description_column_descriptions_stay(tmp_path, dutch):
    contact_detail_create(
        customer=dutch, kind="email", value="a@example.com", description="Billing"
    )
    path = write_csv(
        tmp_path / "details.csv",
        "customer_number,kind,value\nC00001,email,a@example.com\n",
    )

    out, _ = run("import_contact_details", str(path), update=True)

    assert ContactDetail.objects.get().description == "Billing"
    assert "1 unchanged" in out


def test_the_same_value_of_another_kind_is_added(tmp_path, dutch):
    contact_detail_create(customer=dutch, kind="telephone", value="+31612345678")
    path = write_csv(tmp_path / "details.csv", HEADER + "C00001,mobile,06 12345678,\n")

    run("import_contact_details", str(path), update=True)

    assert ContactDetail.objects.get(kind="mobile").is_primary


def test_two_rows_for_the_same_detail_refuse_the_second(tmp_path, dutch):
    path = write_csv(
        tmp_path / "details.csv",
        HEADER + "C00001,email,a@example.com,One\nC00001,email,A@example.com,Two\n",
    )

    error, out, err = run_failing(
        "import_contact_details", str(path), update=True, batch_size=1
    )

    assert error.returncode == 1
    assert (
        "Line 3, column -: This row is the same detail as line 2 (Email Address: "
        "a@example.com): give each detail one row." in err
    )
    assert not ContactDetail.objects.exists()


def test_a_card_with_a_detail_stored_twice_re_imports_from_its_export_unchanged(
    tmp_path, dutch
):
    for _ in range(2):
        contact_detail_create(customer=dutch, kind="email", value="a@example.com")
    contact_detail_create(customer=dutch, kind="website", value="example.com")
    exported = tmp_path / "details.csv"
    run("export_contact_details", output=str(exported))
    before = details_state()

    out, _ = run("import_contact_details", str(exported), update=True)

    # The export's two identical rows: the second repeats the first.
    assert "0 added, 0 updated, 2 unchanged, 0 refused, 1 repeated" in out
    assert details_state() == before


def test_with_update_its_query_count_does_not_grow_with_the_number_of_rows(
    tmp_path, django_assert_num_queries
):
    def file_of(number, count, description):
        rows = "".join(
            f"{number},email,p{n}@example.com,{description}\n" for n in range(count)
        )
        return write_csv(tmp_path / f"{count}-{description}.csv", HEADER + rows)

    for number, count in (("C00001", 3), ("C00002", 60)):
        customer_with_billing_country(number, "NL")
        run("import_contact_details", str(file_of(number, count, "")))
        changed = file_of(number, count, "Sales")
        # The preview: the customers of the batch; the stored details that could
        # match. The written pass: the batch's savepoint; the customers of the
        # batch; their lock; the stored details that could match; the service's
        # savepoint; the lock again; the cards; the additional details and their
        # history; the primary ones and their history; the cards' versions; two
        # savepoint releases.
        with django_assert_num_queries(16):
            run("import_contact_details", str(changed), update=True)
    assert ContactDetail.objects.filter(description="Sales").count() == 63
