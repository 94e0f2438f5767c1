"""One person, several customers, in the contact files: a row per link, the person
by key (`person_id`)."""

import hashlib

import pytest
from django.apps import apps

from contacts.models import Contact, Person
from contacts.services.links import contact_create
from tests.contacts.csv_helpers import (
    contacts_state,
    customer_with_billing_country,
    run,
    run_failing,
    write_csv,
)
from tests.contacts.factories import role

pytestmark = pytest.mark.django_db

HEADER = "customer_number,person_id,first_name,last_name,email,phone,roles\n"


@pytest.fixture
def dutch():
    return customer_with_billing_country("C00001", "NL", name="Dutch BV")


@pytest.fixture
def german():
    return customer_with_billing_country("C00002", "DE", name="German GmbH")


@pytest.fixture
def jan(dutch, german):
    """Jan Jansen, a contact of both customers (one person, two links)."""
    at_dutch = contact_create(
        customer=dutch,
        first_name="Jan",
        last_name="Jansen",
        email="jan@example.com",
        roles=[role("primary")],
    )
    contact_create(
        customer=german, person=at_dutch.person, email="jan@example.de", phone=""
    )
    return at_dutch.person


def links_of(person):
    return sorted(
        Contact.objects.filter(person=person).values_list(
            "customer__number", "first_name", "last_name", "language"
        )
    )


def history_counts():
    role_history = apps.get_model("contacts", "HistoricalContact_roles")
    return (
        Contact.history.count(),
        Person.history.count(),
        role_history.objects.count(),
    )


def test_an_export_re_imports_with_update_changing_nothing_with_the_same_persons(
    jan, dutch, tmp_path
):
    contact_create(customer=dutch, first_name="Piet", phone="020 1234567")
    persons = sorted(Contact.objects.values_list("pk", "person_id"))
    state, history = contacts_state(), history_counts()
    exported = tmp_path / "contacts.csv"
    run("export_contacts", output=str(exported))

    out, err = run("import_contacts", str(exported), update=True)

    assert "Read 3 contacts: 0 added, 0 updated, 3 unchanged, 0 refused" in out
    assert not err
    assert sorted(Contact.objects.values_list("pk", "person_id")) == persons
    assert Person.objects.count() == 2
    assert (contacts_state(), history_counts()) == (state, history)


def test_an_export_re_imports_into_an_empty_list_linking_the_same_persons(
    jan, tmp_path
):
    exported = tmp_path / "contacts.csv"
    run("export_contacts", output=str(exported))
    state = contacts_state()
    Contact.objects.all().delete()

    out, _ = run("import_contacts", str(exported))

    assert "2 added" in out
    assert contacts_state() == state
    # Both rows link Jan again: no second person.
    assert list(Person.objects.all()) == [jan]
    assert len(links_of(jan)) == 2


@pytest.mark.parametrize("by_key", [False, True], ids=["matched-by-email", "by-key"])
def test_a_new_name_on_one_link_reaches_the_person_and_every_other_link(
    jan, tmp_path, by_key
):
    key = str(jan.pk) if by_key else ""
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER + f"C00001,{key},Johan,Jansen,jan@example.com,,primary\n",
    )
    other = Contact.objects.get(person=jan, customer__number="C00002")

    out, _ = run("import_contacts", str(path), update=True)

    assert "0 added, 1 updated" in out
    jan.refresh_from_db()
    assert (jan.first_name, jan.last_name) == ("Johan", "Jansen")
    assert links_of(jan) == [
        ("C00001", "Johan", "Jansen", ""),
        ("C00002", "Johan", "Jansen", ""),
    ]
    # In the other customer's Activity Log too, by the system, its roles kept.
    record = other.history.order_by("-history_id").first()
    assert (record.history_type, record.first_name) == ("~", "Johan")
    assert record.history_user_id is None
    assert jan.history.order_by("-history_id").first().first_name == "Johan"


def test_a_person_key_links_that_person_to_another_customer(jan, tmp_path):
    third = customer_with_billing_country("C00003", "NL")
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER + f"C00003,{jan.pk},Jan,Jansen,jan@third.example,,order\n",
    )

    out, _ = run("import_contacts", str(path))

    assert "1 added" in out
    link = Contact.objects.get(customer=third)
    assert (link.person_id, link.email) == (jan.pk, "jan@third.example")
    assert Person.objects.count() == 1


def test_a_person_key_row_without_the_language_keeps_the_persons(jan, tmp_path):
    Person.objects.filter(pk=jan.pk).update(language="nl")
    Contact.objects.filter(person=jan).update(language="nl")
    customer_with_billing_country("C00003", "NL")
    path = write_csv(
        tmp_path / "contacts.csv", HEADER + f"C00003,{jan.pk},Jan,Jansen,,,\n"
    )

    run("import_contacts", str(path))

    assert {language for *_, language in links_of(jan)} == {"nl"}
    jan.refresh_from_db()
    assert jan.language == "nl"


def test_a_person_key_no_person_has_refuses_the_line(jan, tmp_path):
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER + "C00001,999999,Kees,,,,\nC00001,abc,Kees,,,,\n",
    )

    _, out, err = run_failing("import_contacts", str(path), update=True)

    assert (
        "Line 2, column person_id: No person has the key 999999: leave it empty to "
        "add a new person." in err
    )
    assert "Line 3, column person_id: A person's key is a whole number." in err
    assert "2 refused" in out
    assert Contact.objects.count() == 2


def test_a_second_link_of_a_person_to_one_customer_is_refused(jan, tmp_path):
    path = write_csv(
        tmp_path / "contacts.csv", HEADER + f"C00001,{jan.pk},Jan,Jansen,,,\n"
    )

    _, _, err = run_failing("import_contacts", str(path))

    assert (
        "Line 2, column person_id: This person is a contact of this customer already."
        in err
    )
    assert Contact.objects.count() == 2


def test_two_lines_adding_one_person_to_one_customer_refuse_the_second(jan, tmp_path):
    customer_with_billing_country("C00003", "NL")
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER + f"C00003,{jan.pk},Jan,Jansen,a@example.com,,\n"
        f"C00003,{jan.pk},Jan,Jansen,b@example.com,,\n",
    )

    _, _, err = run_failing("import_contacts", str(path), batch_size=1)

    assert "Line 3, column person_id: This person is a contact of this" in err


@pytest.mark.parametrize("batch_size", [1000, 1])
def test_lines_of_one_person_giving_two_names_refuse_the_later(
    jan, tmp_path, batch_size
):
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER
        + "C00001,,Johan,Jansen,jan@example.com,,primary\n"
        + f"C00002,{jan.pk},Jan,Jansen,jan@example.de,,\n",
    )

    _, _, err = run_failing(
        "import_contacts", str(path), update=True, batch_size=batch_size
    )

    assert (
        "Line 3, column first_name: Line 2 gives this person another name or "
        "language: give a person the same on each of their lines." in err
    )
    jan.refresh_from_db()
    assert jan.first_name == "Jan"


def test_without_a_key_a_row_never_matches_a_person_of_another_customer(jan, tmp_path):
    third = customer_with_billing_country("C00003", "NL")
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER + "C00003,,Jan,Jansen,jan@example.com,,\n",
    )

    run("import_contacts", str(path), update=True)

    # The same email at another customer: a new person, not Jan.
    assert Contact.objects.get(customer=third).person_id != jan.pk
    assert Person.objects.count() == 2


def test_a_person_key_import_costs_the_same_queries_whatever_its_rows(
    dutch, german, tmp_path, django_assert_num_queries
):
    def name(text):
        # Names nothing like each other: no possible duplicates to store.
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def file_of(count, prefix):
        persons = [
            contact_create(customer=dutch, first_name=name(f"{prefix}{n}")).person
            for n in range(count)
        ]
        rows = "".join(
            f"C00002,{person.pk},{name(person.first_name)},,,,order\n"
            for person in persons
        )
        return write_csv(tmp_path / f"{count}.csv", HEADER + rows)

    small, large = file_of(3, "Q"), file_of(40, "P")
    for path in (small, large):
        # The preview: the field settings; the roles; the batch's customers; its
        # persons; the links they have already. The written pass: the same five;
        # the savepoint; the customers of the persons' other links; the
        # customers' lock; the service's savepoint; the contacts; their history;
        # the role links; the history ids; the role history; the persons locked;
        # the persons; their history; their other links; those links; their
        # history; their roles; the history ids; two savepoint releases. The
        # possible duplicates refreshed once, for both customers: a savepoint,
        # the customers locked, their contacts, "Not a duplicate" marks and
        # stored pairs (none found), the release.
        with django_assert_num_queries(35):
            run("import_contacts", str(path))
    assert Contact.objects.filter(customer=german).count() == 43
    # Each person's new name (the name of their old one), on both their links.
    first_names = set(Person.objects.values_list("first_name", flat=True))
    assert first_names == {name(name(f"Q{n}")) for n in range(3)} | {
        name(name(f"P{n}")) for n in range(40)
    }
    for person in Person.objects.all():
        assert {c.first_name for c in person.contacts.all()} == {person.first_name}


def test_lines_of_one_person_giving_two_languages_refuse_the_later_at_language(
    jan, tmp_path
):
    path = write_csv(
        tmp_path / "contacts.csv",
        "customer_number,person_id,first_name,last_name,language\n"
        f"C00001,{jan.pk},Jan,Jansen,nl\nC00002,{jan.pk},Jan,Jansen,en\n",
    )

    _, _, err = run_failing("import_contacts", str(path), update=True)

    assert "Line 3, column language: Line 2 gives this person another name" in err
    assert "Line 2" not in err.split("Line 3")[0]
