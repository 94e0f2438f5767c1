"""A contact deleted while a document is made for it, changed to it or sent to it,
on two real database connections (PostgreSQL only: see tests.concurrency).

Whichever comes first, the deletion goes through and the document either keeps
an existing contact (unassigned afterwards by the deletion, its snapshot kept) or
is refused with a message at its contact field; never PostgreSQL's foreign key error
(a server error) on either side.
"""

from django.core.exceptions import ValidationError

from communications.models import Delivery
from contacts.models import Contact
from contacts.services.links import contact_delete
from sales.models import Invoice
from sales.services import (
    CONTACT_DELETED_MESSAGE,
    document_create,
    document_send,
    document_update,
)
from tests.concurrency import RACE_TEST, at_the_same_time, one_after_the_other
from tests.contacts.factories import ContactFactory
from tests.sales.factories import make_invoice

pytestmark = RACE_TEST


def create(customer, contact):
    return lambda: document_create(
        kind=Invoice, customer=customer, contact=contact, amount="10"
    )


def delete(contact):
    return lambda: contact_delete(contact=Contact.objects.get(pk=contact.pk))


def assert_refused_at_the_contact_field(outcome):
    assert isinstance(outcome, ValidationError), outcome
    assert outcome.message_dict == {"contact": [CONTACT_DELETED_MESSAGE]}


def test_a_document_made_first_keeps_its_snapshot_and_the_deletion_goes_through(
    customer, ivy
):
    made, deleted = one_after_the_other(create(customer, ivy), delete(ivy))

    assert isinstance(made, Invoice), made
    assert deleted is None
    assert not Contact.objects.filter(pk=ivy.pk).exists()
    invoice = Invoice.objects.get()
    assert (invoice.contact_id, invoice.contact_name) == (None, "Ivy Lund")


def test_a_contact_deleted_first_is_refused_at_the_documents_contact_field(
    customer, ivy
):
    deleted, made = one_after_the_other(delete(ivy), create(customer, ivy))

    assert deleted is None
    assert_refused_at_the_contact_field(made)
    assert not Contact.objects.filter(pk=ivy.pk).exists()
    assert not Invoice.objects.exists()


def test_a_document_changed_to_the_contact_first_keeps_its_snapshot(customer, ivy):
    invoice = make_invoice(customer)

    def assign():
        return document_update(document=invoice, data={}, contact=ivy)

    changed, deleted = one_after_the_other(assign, delete(ivy))

    assert isinstance(changed, Invoice), changed
    assert deleted is None
    invoice.refresh_from_db()
    assert (invoice.contact_id, invoice.contact_name) == (None, "Ivy Lund")


def test_a_document_changed_to_a_contact_deleted_first_is_refused(customer, ivy):
    bo = ContactFactory(customer=customer, first_name="Bo", last_name="Berg")
    invoice = make_invoice(customer, contact=bo)

    def assign():
        return document_update(document=invoice, data={}, contact=ivy)

    deleted, changed = one_after_the_other(delete(ivy), assign)

    assert deleted is None
    assert_refused_at_the_contact_field(changed)
    invoice.refresh_from_db()
    assert (invoice.contact_id, invoice.contact_name) == (bo.pk, "Bo Berg")


def test_a_document_saved_with_its_contact_while_it_is_deleted_is_refused(
    customer, ivy
):
    """The form kept the contact the document had; the deletion unassigned it."""
    invoice = make_invoice(customer, contact=ivy)
    loaded = Invoice.objects.get(pk=invoice.pk)

    def save():
        return document_update(document=loaded, data={"reference": "PO-2"})

    deleted, saved = one_after_the_other(delete(ivy), save)

    assert deleted is None
    assert_refused_at_the_contact_field(saved)
    invoice.refresh_from_db()
    assert (invoice.contact_id, invoice.reference) == (None, "")


def test_a_sending_first_reaches_the_contact_and_the_deletion_goes_through(
    customer, ivy, editor
):
    invoice = make_invoice(customer, contact=ivy)

    def send():
        return document_send(document=invoice, sent_by=editor)

    sent, deleted = one_after_the_other(send, delete(ivy))

    assert isinstance(sent, list) and isinstance(sent[0], Delivery), sent
    assert deleted is None
    assert [delivery.email for delivery in Delivery.objects.all()] == [
        "ivy@example.com"
    ]
    invoice.refresh_from_db()
    assert (invoice.contact_id, invoice.status) == (None, "sent")


def test_a_sending_to_a_contact_deleted_first_is_refused_with_a_message(
    customer, ivy, editor
):
    invoice = make_invoice(customer, contact=ivy)
    loaded = Invoice.objects.select_related("contact").get(pk=invoice.pk)

    def send():
        return document_send(document=loaded, sent_by=editor)

    deleted, sent = one_after_the_other(delete(ivy), send)

    assert deleted is None
    assert isinstance(sent, ValidationError), sent
    assert sent.code == "contact_deleted"
    assert not Delivery.objects.exists()


def test_made_and_deleted_at_the_same_moment_never_fails_either_way(customer):
    """Released together by a barrier, in whichever order the database takes
    them, several times over."""
    for round_ in range(5):
        contact = ContactFactory(
            customer=customer, first_name=f"P{round_}", last_name=""
        )

        made, deleted = at_the_same_time(create(customer, contact), delete(contact))

        assert deleted is None
        assert not Contact.objects.filter(pk=contact.pk).exists()
        if isinstance(made, Invoice):
            made.refresh_from_db()
            assert (made.contact_id, made.contact_name) == (None, f"P{round_}")
        else:
            assert_refused_at_the_contact_field(made)
