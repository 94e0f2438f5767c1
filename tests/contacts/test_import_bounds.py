"""What an import may cost, whatever the file: repeated rows imported once, the
possible duplicates refreshed once per import and capped per contact, each batch its
own transaction, an undecodable byte reported at its own line."""

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from rapidfuzz import utils

from contacts import duplicates as duplicates_rule
from contacts.csv_rows import ContactRows
from contacts.duplicates import PAIRS_PER_CONTACT, ComparedContact, find_pairs
from contacts.models import Contact, PossibleDuplicate
from contacts.services import duplicates
from contacts.services.duplicates import possible_duplicates_refresh_after_import
from tests.contacts.csv_helpers import (
    CONTACTS_HEADER,
    customer_with_billing_country,
    run,
    run_failing,
    write_csv,
)
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db

HEADER = CONTACTS_HEADER


@pytest.fixture
def dutch():
    return customer_with_billing_country("C00001", "NL", name="Dutch BV")


def test_identical_rows_are_imported_once_and_reported_as_repeats(tmp_path, dutch):
    row = "C00001,Anna,Berg,anna@example.com,06 12345678,,,primary\n"
    path = write_csv(tmp_path / "contacts.csv", HEADER + row * 50)

    dry, _ = run("import_contacts", str(path), dry_run=True)
    out, err = run("import_contacts", str(path))

    assert "1 to add, 0 to update, 0 unchanged, 0 refused, 49 repeated" in dry
    assert "1 added, 0 updated, 0 unchanged, 0 refused, 49 repeated" in out
    assert "49 row(s) repeat an earlier row exactly" in err
    assert Contact.objects.count() == 1
    assert not PossibleDuplicate.objects.exists()


def test_the_report_names_the_line_each_repeat_repeats(tmp_path, dutch):
    from functools import partial

    from contacts.imports import import_contacts
    from core.csvio import open_csv

    row = "C00001,Anna,,,,,,\n"
    path = write_csv(tmp_path / "c.csv", HEADER + row + "C00001,Piet,,,,,,\n" + row)

    report = import_contacts(partial(open_csv, path), dry_run=True)

    assert list(report.lines()) == [
        (2, "added", ""),
        (3, "added", ""),
        (4, "repeated", "The same as line 2: imported once, from that line."),
    ]


def test_a_byte_that_is_not_utf8_is_reported_at_its_own_line(tmp_path, dutch):
    rows = "".join(f"C00001,Person{n},,,,,,\n" for n in range(3000))
    path = tmp_path / "latin.csv"
    path.write_bytes(
        (HEADER + rows).encode() + "C00001,Jérôme,,,,,,\n".encode("latin-1")
    )

    error, _, _ = run_failing("import_contacts", str(path), skip_invalid=True)

    # Row 3,001 is line 3,002 (the header is line 1).
    assert "Line 3,002 is not UTF-8 text: byte 0xe9 at character 9" in str(error)
    assert not Contact.objects.exists()


def test_pairs_are_capped_per_contact():
    # Thirty contacts sharing one phone number: each proposes its strongest
    # PAIRS_PER_CONTACT, not every other one (435 pairs).
    people = [
        ComparedContact(n, f"Desk{n}", "", "", "+31201234567") for n in range(1, 31)
    ]

    found = {(f.a, f.b) for f in find_pairs(people)}
    per_contact = {n: sum(n in pair for pair in found) for n in range(1, 31)}

    assert len(found) <= 30 * PAIRS_PER_CONTACT
    assert len(found) < 435
    assert all(count >= PAIRS_PER_CONTACT for count in per_contact.values())
    assert {(f.a, f.b) for f in find_pairs(people, changed=[30])} == {
        (n, 30) for n in range(1, PAIRS_PER_CONTACT + 1)
    }


def test_past_a_pools_size_a_name_is_compared_with_its_neighbours_only(monkeypatch):
    # Twenty-one names sorted between "Maritamaria" and "Naritamaria": with two
    # neighbours on either side, the typo at the start is found by the names read
    # backwards ("airamatiram", "airamatiran"), the one at the end by the names as
    # they are; a name far from a name in both orders is never compared with it.
    monkeypatch.setattr(duplicates_rule, "FULL_COMPARISON", 5)
    monkeypatch.setattr(duplicates_rule, "NEIGHBOURS", 2)
    names = ["Anna Jansen", "Anna Janssen", "Maritamaria", "Naritamaria"]
    names += [f"M{letter * 3}" for letter in "cdefghijklmnopqrstuvw"]
    people = [
        ComparedContact(n, name, "", "", "") for n, name in enumerate(names, start=1)
    ]

    found = {(f.a, f.b) for f in find_pairs(people)}
    pool = duplicates_rule._Names([utils.default_process(n) for n in names], range(25))

    assert found >= {(1, 2), (3, 4)}
    assert len(pool.compared_with("maritamaria")) <= 2 * (2 * 2 + 1)
    assert "mwww" not in pool.compared_with("maritamaria")


def test_identical_names_are_compared_once_and_paired_up_to_the_cap():
    people = [ComparedContact(n, "Anna", "Berg", "", "") for n in range(1, 41)]

    found = list(find_pairs(people))

    assert all(f.name_similarity == 100 for f in found)
    assert {n for f in found for n in (f.a, f.b)} == set(range(1, 41))
    assert len(found) <= 40 * PAIRS_PER_CONTACT


def test_a_numbered_name_is_compared_only_with_the_same_numbers_or_none():
    people = [
        ComparedContact(1, "Store", "12", "", ""),
        ComparedContact(2, "Store", "15", "", ""),
        ComparedContact(3, "Store", "12", "", ""),
        ComparedContact(4, "Stor", "", "", ""),
    ]

    found = {(f.a, f.b): f.name_similarity for f in find_pairs(people)}

    assert (1, 3) in found and (1, 2) not in found and (2, 3) not in found


def test_possible_duplicates_are_refreshed_once_per_import_not_per_batch(
    tmp_path, dutch
):
    rows = "".join(f"C00001,Anna,Berg,a{n}@example.com,,,,\n" for n in range(6))
    path = write_csv(tmp_path / "contacts.csv", HEADER + rows)

    with CaptureQueriesContext(connection) as queries:
        run("import_contacts", str(path), batch_size=1)

    pairs_read = [q for q in queries if 'FROM "contacts_possibleduplicate"' in q["sql"]]
    inserts = [
        q for q in queries if q["sql"].startswith('INSERT INTO "contacts_contact"')
    ]
    assert len(inserts) == 6  # six batches
    assert len(pairs_read) == 1  # one refresh
    assert PossibleDuplicate.objects.count() == 15  # every two of six "Anna Berg…"


def test_the_refresh_after_an_import_runs_in_chunks_of_a_fixed_cost(
    monkeypatch, django_assert_num_queries
):
    customers = [customer_with_billing_country(f"C0000{n}", "NL") for n in range(1, 4)]
    written = {}
    for customer in customers:
        written[customer.pk] = [
            ContactFactory(customer=customer, first_name="Anna", last_name="").pk
            for _ in range(2)
        ]
    monkeypatch.setattr(duplicates, "REFRESH_CHUNK", 2)

    # Per chunk (one customer of two contacts here): a savepoint, the customer
    # locked, its contacts, "Not a duplicate" marks, stored pairs, the new pairs,
    # the release.
    with django_assert_num_queries(3 * 7):
        chunks = possible_duplicates_refresh_after_import(written)

    assert chunks == 3
    assert PossibleDuplicate.objects.count() == 3


def _five_annas(customer) -> list[int]:
    # Five "Anna"s: ten pairs.
    keys = [
        ContactFactory(customer=customer, first_name="Anna", last_name="", email="").pk
        for _ in "12345"
    ]
    PossibleDuplicate.objects.all().delete()
    return keys


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="PostgreSQL takes the pairs by COPY"
)
def test_the_refresh_writes_its_pairs_in_slices(monkeypatch, dutch):
    # Written two by two when the slice is two: one INSERT for a crowded customer's
    # every pair would be built whole in memory.
    keys = _five_annas(dutch)
    monkeypatch.setattr(duplicates, "PAIR_WRITE_SLICE", 2)

    with CaptureQueriesContext(connection) as queries:
        possible_duplicates_refresh_after_import({dutch.pk: keys})

    inserts = [
        q for q in queries if 'INSERT INTO "contacts_possibleduplicate"' in q["sql"]
    ]
    assert len(inserts) == 5
    assert PossibleDuplicate.objects.count() == 10


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_postgresql_takes_the_pairs_by_copy_not_insert(monkeypatch, dutch):
    keys = _five_annas(dutch)
    copied = []
    copy = type(connection.cursor().cursor).copy

    def counting_copy(self, statement, *args, **kwargs):
        copied.append(str(statement))
        return copy(self, statement, *args, **kwargs)

    monkeypatch.setattr(type(connection.cursor().cursor), "copy", counting_copy)
    with CaptureQueriesContext(connection) as queries:
        possible_duplicates_refresh_after_import({dutch.pk: keys})

    assert not [q for q in queries if "INSERT INTO" in q["sql"]]
    assert len(copied) == 1 and "contacts_possibleduplicate" in copied[0]
    pairs = PossibleDuplicate.objects.all()
    assert pairs.count() == 10
    assert all(p.found_at and p.created_at == p.found_at for p in pairs)


def test_a_failed_batch_keeps_the_batches_before_it_and_says_so(
    tmp_path, dutch, monkeypatch
):
    rows = "".join(f"C00001,Person{n},,,,,,\n" for n in range(5))
    path = write_csv(tmp_path / "contacts.csv", HEADER + rows)
    add = ContactRows.add
    calls = []

    def failing_second_batch(self, batch):
        calls.append(batch)
        if len(calls) == 2:
            raise DatabaseError("deadlock detected")
        return add(self, batch)

    monkeypatch.setattr(ContactRows, "add", failing_second_batch)

    error, out, _ = run_failing("import_contacts", str(path), batch_size=2)

    assert "The batch of lines 4 to 5 could not be written (deadlock detected)" in str(
        error
    )
    assert "Written through line 3; 2 rows not written." in out
    assert sorted(Contact.objects.values_list("first_name", flat=True)) == [
        "Person0",
        "Person1",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's ANALYZE")
def test_a_large_import_has_postgresql_read_the_contacts_statistics_first(
    monkeypatch, dutch
):
    keys = _five_annas(dutch)

    def analyzed(threshold):
        monkeypatch.setattr(duplicates, "ANALYZE_AFTER", threshold)
        with CaptureQueriesContext(connection) as queries:
            possible_duplicates_refresh_after_import({dutch.pk: keys})
        return [q["sql"] for q in queries if q["sql"].startswith("ANALYZE")]

    assert analyzed(6) == []
    assert analyzed(5) == [
        'ANALYZE "contacts_contact"',
        'ANALYZE "contacts_possibleduplicate"',
    ]
