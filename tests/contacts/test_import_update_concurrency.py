"""Two `--update` imports of the same file at once, on two database connections:
the second waits for the first (the customers' lock) and then finds its rows, so
nothing is added twice.

PostgreSQL only: SQLite serialises every writer for the whole transaction, so the
race cannot happen there.
"""

import pytest
from django.db import connection

from contacts.models import Contact, ContactDetail
from tests.contacts.csv_helpers import run, write_csv
from tests.contacts.test_contact_details_concurrency import at_the_same_time
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: two connections writing at the same time",
    ),
    pytest.mark.django_db(transaction=True),
]


def counts(outcome) -> str:
    """'20 added, 0 updated, 0 unchanged' from the summary of a run."""
    assert isinstance(outcome, tuple), outcome  # not an error
    return outcome[0].split(": ", 1)[1].split(", 0 refused")[0]


@pytest.fixture
def customers():
    for number in ("C00001", "C00002"):
        billing_address(CustomerFactory(number=number), country="NL")


def test_two_contact_imports_at_once_add_each_contact_once(tmp_path, customers):
    path = write_csv(
        tmp_path / "contacts.csv",
        "customer_number,first_name,email,roles\n"
        + "".join(f"C0000{1 + n % 2},P{n},p{n}@example.com,order\n" for n in range(20)),
    )

    outcomes = at_the_same_time(
        *[lambda: run("import_contacts", str(path), update=True)] * 2
    )

    assert sorted(counts(outcome) for outcome in outcomes) == [
        "0 added, 0 updated, 20 unchanged",
        "20 added, 0 updated, 0 unchanged",
    ]
    assert Contact.objects.count() == 20


def test_two_detail_imports_at_once_add_each_detail_once(tmp_path, customers):
    path = write_csv(
        tmp_path / "details.csv",
        "customer_number,kind,value\n"
        + "".join(f"C0000{1 + n % 2},email,p{n}@example.com\n" for n in range(20)),
    )

    outcomes = at_the_same_time(
        *[lambda: run("import_contact_details", str(path), update=True)] * 2
    )

    assert sorted(counts(outcome) for outcome in outcomes) == [
        "0 added, 0 updated, 20 unchanged",
        "20 added, 0 updated, 0 unchanged",
    ]
    assert ContactDetail.objects.count() == 20
    assert ContactDetail.objects.filter(is_primary=True).count() == 2


def test_a_web_write_between_two_batches_of_an_import_does_not_wait_for_the_file(
    tmp_path, customers, monkeypatch
):
    """Each batch is its own transaction: once a batch is written, its customer is
    free for another user's save (which, with one transaction for the file, would
    wait for the whole file) and its rows are there for everyone."""
    import threading

    from contacts.csv_rows import ContactRows
    from contacts.services.links import contact_create
    from customers.models import Customer

    path = write_csv(
        tmp_path / "contacts.csv",
        "customer_number,first_name\n" + "".join(f"C00001,P{n}\n" for n in range(3)),
    )
    customer = Customer.objects.get(number="C00001")
    begin_batch = ContactRows.begin_batch
    calls, seen = [], {}

    def web_save():
        try:
            contact_create(customer=customer, first_name="Web")
            seen["contacts"] = Contact.objects.filter(customer=customer).count()
        except Exception as error:  # noqa: BLE001 - the outcome is what we assert
            seen["error"] = error
        finally:
            connection.close()

    def between_batches(self, records):
        # The second batch starts, the first one written (in the written pass; the
        # preview writes nothing).
        if (
            records[0]["first_name"] == "P1"
            and Contact.objects.filter(first_name="P0").exists()
        ):
            calls.append(records)
            thread = threading.Thread(target=web_save)
            thread.start()
            thread.join(timeout=10)
            seen["waited"] = thread.is_alive()
        return begin_batch(self, records)

    monkeypatch.setattr(ContactRows, "begin_batch", between_batches)

    run("import_contacts", str(path), batch_size=1)

    assert len(calls) == 1
    assert seen == {"waited": False, "contacts": 2}  # P0 and Web
    assert Contact.objects.count() == 4


@pytest.mark.parametrize("attempt", range(3))
def test_an_import_renaming_a_person_and_a_form_renaming_them_elsewhere_both_finish(
    tmp_path, customers, attempt
):
    """The import locks the customers of the person's other links with its own,
    before anything else: a form's rename at the other customer (which locks both
    customers, in key order) waits or goes first, never deadlocks, and every link
    ends with the person's name."""
    from contacts.models import Person
    from contacts.services.links import contact_create, contact_update

    first, second = (
        CustomerFactory._meta.model.objects.get(number=number)
        for number in ("C00001", "C00002")
    )
    at_first = contact_create(customer=first, first_name="Jan", email="jan@a.example")
    at_second = contact_create(customer=second, person=at_first.person)
    path = write_csv(
        tmp_path / "contacts.csv",
        "customer_number,first_name,email\nC00001,Johan,jan@a.example\n",
    )

    outcomes = at_the_same_time(
        lambda: run("import_contacts", str(path), update=True),
        lambda: contact_update(contact=at_second, data={"first_name": "Jannes"}),
    )

    assert not any(isinstance(outcome, Exception) for outcome in outcomes), outcomes
    person = Person.objects.get()
    assert person.first_name in ("Johan", "Jannes")
    assert set(Contact.objects.values_list("first_name", flat=True)) == {
        person.first_name
    }
