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
        + "".join(
            f"C0000{1 + n % 2},P{n},p{n}@example.com,primary\n" for n in range(20)
        ),
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
