"""A contact deleted or merged away while another save of its customer refreshes the
possible duplicates, on two real database connections (PostgreSQL only: see
tests.concurrency).

The save renames contact C into B's name, so its refresh finds the pair (B, C). Both
writers lock the customer first: whichever comes second reads the contacts as the
first left them. Never a pair pointing at a contact that is gone (PostgreSQL's
foreign key error at commit: a server error).
"""

import pytest

from contacts.models import Contact, PossibleDuplicate
from contacts.services.links import contact_delete, contact_update
from contacts.services.merge import contacts_merge
from tests.concurrency import RACE_TEST, at_the_same_time, one_after_the_other
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory

pytestmark = RACE_TEST


@pytest.fixture
def people():
    customer = CustomerFactory()
    anna = ContactFactory(customer=customer, first_name="Anna", last_name="Berg")
    bo = ContactFactory(customer=customer, first_name="Bo", last_name="Lind")
    carl = ContactFactory(customer=customer, first_name="Carl", last_name="Holm")
    return customer, anna, bo, carl


def delete(contact):
    return lambda: contact_delete(contact=Contact.objects.get(pk=contact.pk))


def rename(contact, first_name, last_name):
    """A save of the contact that makes it look like another: its refresh finds a
    pair."""
    return lambda: contact_update(
        contact=Contact.objects.get(pk=contact.pk),
        data={"first_name": first_name, "last_name": last_name},
    )


def merge(keep, merge_away):
    return lambda: contacts_merge(
        keep=Contact.objects.get(pk=keep.pk),
        merge_away=Contact.objects.get(pk=merge_away.pk),
        values={},
    )


def pairs(customer):
    return set(
        PossibleDuplicate.objects.filter(customer=customer).values_list(
            "contact_a_id", "contact_b_id"
        )
    )


def ordered(*contacts):
    return tuple(sorted(contact.pk for contact in contacts))


def test_a_contact_deleted_first_is_not_paired_by_the_save_that_waited(people):
    customer, _, bo, carl = people

    deleted, saved = one_after_the_other(delete(bo), rename(carl, "Bo", "Lind"))

    assert deleted is None
    assert isinstance(saved, Contact), saved
    assert not Contact.objects.filter(pk=bo.pk).exists()
    assert Contact.objects.get(pk=carl.pk).full_name == "Bo Lind"
    assert pairs(customer) == set()


def test_a_save_first_pairs_the_contact_and_the_deletion_takes_the_pair(people):
    customer, _, bo, carl = people

    saved, deleted = one_after_the_other(rename(carl, "Bo", "Lind"), delete(bo))

    assert isinstance(saved, Contact), saved
    assert deleted is None
    assert not Contact.objects.filter(pk=bo.pk).exists()
    assert pairs(customer) == set()


def test_deleted_and_saved_at_the_same_moment_never_fails_either_way(people):
    customer, _, _, carl = people
    for round_ in range(5):
        other = ContactFactory(
            customer=customer, first_name=f"Dirk{round_}", last_name="Visser"
        )

        deleted, saved = at_the_same_time(
            delete(other), rename(carl, f"Dirk{round_}", "Visser")
        )

        assert deleted is None
        assert isinstance(saved, Contact), saved
        assert pairs(customer) == set()


def test_a_contact_merged_away_first_is_not_paired_by_the_save_that_waited(people):
    customer, anna, _, carl = people
    ana = ContactFactory(customer=customer, first_name="Ana", last_name="Berg")

    merged, saved = one_after_the_other(merge(anna, ana), rename(carl, "Ana", "Berg"))

    assert isinstance(merged, Contact), merged
    assert isinstance(saved, Contact), saved
    assert not Contact.objects.filter(pk=ana.pk).exists()
    # Carl, now "Ana Berg", looks like the kept Anna Berg, never like the merged Ana.
    assert pairs(customer) == {ordered(anna, carl)}


def test_a_save_first_pairs_the_contact_and_the_merge_moves_the_pair(people):
    customer, anna, _, carl = people
    ana = ContactFactory(customer=customer, first_name="Ana", last_name="Berg")

    saved, merged = one_after_the_other(rename(carl, "Ana", "Berg"), merge(anna, ana))

    assert isinstance(saved, Contact), saved
    assert isinstance(merged, Contact), merged
    assert not Contact.objects.filter(pk=ana.pk).exists()
    assert pairs(customer) == {ordered(anna, carl)}


def test_merged_and_saved_at_the_same_moment_never_fails_either_way(people):
    customer, anna, _, carl = people
    for _round in range(5):
        ana = ContactFactory(customer=customer, first_name="Ana", last_name="Berg")

        merged, saved = at_the_same_time(merge(anna, ana), rename(carl, "Ana", "Berg"))

        assert isinstance(merged, Contact), merged
        assert isinstance(saved, Contact), saved
        assert not Contact.objects.filter(pk=ana.pk).exists()
        assert pairs(customer) == {ordered(anna, carl)}
