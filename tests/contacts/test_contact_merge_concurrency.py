"""A merge while another user edits one of the two contacts, on two database
connections: whichever comes first wins, and the other is refused with a message;
nothing is lost, nothing comes back.

PostgreSQL only: SQLite serialises every writer for the whole transaction.
"""

import pytest
from django.db import connection

from contacts.models import Contact
from contacts.services.links import ContactChanged, contact_update
from contacts.services.merge import contacts_merge
from tests.contacts.factories import ContactFactory
from tests.contacts.test_contact_details_concurrency import at_the_same_time
from tests.customers.factories import CustomerFactory, billing_address
from tests.sales.factories import make_invoice

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: two connections writing at the same time",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def pair():
    customer = CustomerFactory()
    billing_address(customer, country="NL")
    anna = ContactFactory(
        customer=customer, first_name="Anna", last_name="Berg", job_title="Buyer"
    )
    ana = ContactFactory(
        customer=customer, first_name="Ana", last_name="Berg", job_title=""
    )
    make_invoice(customer, contact=ana)
    return customer, anna, ana


def merge(anna, ana):
    return lambda: contacts_merge(
        keep=Contact.objects.get(pk=anna.pk),
        merge_away=Contact.objects.get(pk=ana.pk),
        values={},
        keep_version=anna.version,
        merge_away_version=ana.version,
    )


def edit(contact, job_title):
    return lambda: contact_update(
        contact=Contact.objects.get(pk=contact.pk),
        data={"job_title": job_title},
        version=contact.version,
    )


@pytest.mark.parametrize("edited", ["keep", "merge_away"])
@pytest.mark.parametrize("run", range(3))
def test_a_merge_and_an_edit_at_once_one_wins_the_other_is_refused(pair, edited, run):
    customer, anna, ana = pair
    target = anna if edited == "keep" else ana
    merged, edited_outcome = at_the_same_time(merge(anna, ana), edit(target, "CFO"))

    refused = [o for o in (merged, edited_outcome) if isinstance(o, ContactChanged)]
    assert len(refused) == 1, (merged, edited_outcome)
    assert not [
        o
        for o in (merged, edited_outcome)
        if isinstance(o, Exception) and not isinstance(o, ContactChanged)
    ]
    contacts = list(Contact.objects.filter(customer=customer).order_by("pk"))
    invoice = customer.invoices.get()
    if isinstance(merged, ContactChanged):
        # The edit came first: both contacts as they were, the edit kept.
        assert len(contacts) == 2
        assert Contact.objects.get(pk=target.pk).job_title == "CFO"
        assert invoice.contact_id == ana.pk
    else:
        # The merge came first: one contact, the edit refused, not brought back.
        assert [c.pk for c in contacts] == [anna.pk]
        assert contacts[0].job_title == "Buyer"
        assert invoice.contact_id == anna.pk
    assert invoice.contact_name == "Ana Berg"
