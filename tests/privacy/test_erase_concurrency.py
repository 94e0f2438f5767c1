"""An erasure while a draft is given the person as its contact, on two real
database connections (PostgreSQL only: see tests.concurrency). The erasure locks
the person's contacts first, as assigning does: whichever comes second sees the
other's outcome, so no draft is left with the person's name."""

from contacts.models import Contact, Person
from contacts.services.links import contact_create, person_update
from privacy.services import ErasureRefused, find_subject, person_erase
from sales.models import Invoice
from sales.services import document_create
from tests.concurrency import RACE_TEST, one_after_the_other
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory
from tests.privacy.helpers import EMAIL

pytestmark = RACE_TEST


def create_draft(contact):
    return lambda: document_create(
        kind=Invoice, customer=contact.customer, contact=contact, amount="10"
    )


def erase():
    return person_erase(subject=find_subject(email=EMAIL), user=None)


def test_a_draft_made_first_refuses_the_erasure_that_waited_for_it():
    zeb = ContactFactory(first_name="Zebulon", last_name="Quixote", email=EMAIL)

    made, erased = one_after_the_other(create_draft(zeb), erase)

    assert isinstance(made, Invoice), made
    assert isinstance(erased, ErasureRefused), erased
    assert f"Invoice {made.number} is a draft" in erased.messages[0]
    assert Contact.objects.get(pk=zeb.pk).email == EMAIL


def test_a_draft_made_after_the_erasure_copies_no_name():
    zeb = ContactFactory(first_name="Zebulon", last_name="Quixote", email=EMAIL)

    erased, made = one_after_the_other(erase, create_draft(zeb))

    assert not isinstance(erased, Exception), erased
    assert isinstance(made, Invoice), made
    draft = Invoice.objects.get()
    assert (draft.contact_name, draft.contact_email) == ("[erased]", "")


def test_a_link_made_while_the_person_is_erased_waits_and_copies_no_name():
    zeb = ContactFactory(first_name="Zebulon", last_name="Quixote", email=EMAIL)
    elsewhere = CustomerFactory()

    def link():
        return contact_create(customer=elsewhere, person=zeb.person_id)

    erased, made = one_after_the_other(erase, link)

    assert not isinstance(erased, Exception), erased
    assert isinstance(made, Contact), made
    made.refresh_from_db()
    assert made.person_id == zeb.person_id
    assert made.full_name == "[erased]"


def test_a_rename_while_the_person_is_erased_leaves_no_name():
    zeb = ContactFactory(first_name="Zebulon", last_name="Quixote", email=EMAIL)

    def rename():
        return person_update(person=zeb.person, data={"last_name": "Quixotter"})

    renamed, erased = one_after_the_other(rename, erase)

    assert not isinstance(renamed, Exception), renamed
    assert not isinstance(erased, Exception), erased
    zeb.refresh_from_db()
    assert zeb.full_name == "[erased]"
    assert not Person.history.filter(last_name="Quixotter").exists()
    assert not Contact.history.filter(last_name="Quixotter").exists()
