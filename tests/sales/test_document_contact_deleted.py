"""A contact deleted while a document is being made for it, or sent to it: the
document answers with a message at its contact field (or on its page), never a
server error, and the deletion always goes through. These tests delete the contact
at the moment in between, on one connection; the two-connection races on PostgreSQL
are in test_document_contact_concurrency.py."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from communications.models import Delivery
from contacts.models import Contact
from contacts.services.links import contact_delete
from sales import services
from sales.models import Invoice
from sales.services import (
    CONTACT_DELETED_MESSAGE,
    document_create,
    document_send,
    document_update,
)
from tests.contacts.factories import ContactFactory
from tests.sales.factories import make_invoice

pytestmark = pytest.mark.django_db

NEW_INVOICE = {"date": "2026-05-01", "amount": "99.50", "currency": "EUR"}


def deleted(contact: Contact) -> Contact:
    """The contact as a form loaded it, after someone else deleted it."""
    Contact.objects.get(pk=contact.pk).delete()
    return contact


def test_creating_a_document_for_a_just_deleted_contact_is_refused_at_the_field(
    customer, ivy
):
    with pytest.raises(ValidationError) as info:
        document_create(
            kind=Invoice, customer=customer, contact=deleted(ivy), amount="1"
        )

    assert info.value.message_dict == {"contact": [CONTACT_DELETED_MESSAGE]}
    assert not Invoice.objects.exists()


@pytest.mark.parametrize("assign", ["again", "kept"])
def test_saving_a_document_whose_contact_was_just_deleted_is_refused(
    customer, ivy, assign
):
    invoice = make_invoice(customer, contact=ivy)
    loaded = Invoice.objects.get(pk=invoice.pk)  # by a form, before the deletion
    contact_delete(contact=Contact.objects.get(pk=ivy.pk))
    contact = {"contact": ivy} if assign == "again" else {}

    with pytest.raises(ValidationError) as info:
        document_update(document=loaded, data={"reference": "PO-1"}, **contact)

    assert info.value.message_dict == {"contact": [CONTACT_DELETED_MESSAGE]}
    invoice.refresh_from_db()
    assert (invoice.reference, invoice.contact_id, invoice.contact_name) == (
        "",
        None,
        "Ivy Lund",
    )


def test_the_snapshot_is_copied_from_the_contact_as_stored_when_saved(customer, ivy):
    """Not from what the form loaded: the lock reads the row again."""
    Contact.objects.filter(pk=ivy.pk).update(email="ivy.lund@example.com")

    invoice = document_create(kind=Invoice, customer=customer, contact=ivy, amount=1)

    assert invoice.contact_email == "ivy.lund@example.com"


def test_a_contact_deleted_before_the_form_is_saved_is_named_at_its_field(
    client_for, editor, customer, ivy
):
    response = client_for(editor).post(
        reverse("sales:invoice_create", args=[customer.pk]),
        {**NEW_INVOICE, "contact": deleted(ivy).pk},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"contact": [CONTACT_DELETED_MESSAGE]}
    assert not Invoice.objects.exists()


def test_a_contact_deleted_while_the_form_is_saved_is_named_at_its_field(
    client_for, editor, customer, ivy, monkeypatch
):
    """The form found the contact; it is deleted before the service saves."""
    create = services.document_create

    def deleted_in_between(**kwargs):
        deleted(kwargs["contact"])
        return create(**kwargs)

    monkeypatch.setattr(services, "document_create", deleted_in_between)

    response = client_for(editor).post(
        reverse("sales:invoice_create", args=[customer.pk]),
        {**NEW_INVOICE, "contact": ivy.pk},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"contact": [CONTACT_DELETED_MESSAGE]}
    assert not Invoice.objects.exists()


def admin_invoice(customer, contact):
    return {
        "customer": customer.pk,
        "date": "2026-02-01",
        "status": "draft",
        "amount": "10",
        "currency": "EUR",
        "contact": contact.pk,
        "communications-delivery-about_type-about_id-TOTAL_FORMS": "0",
        "communications-delivery-about_type-about_id-INITIAL_FORMS": "0",
    }


def test_the_admin_names_a_contact_deleted_before_the_form_is_saved(
    admin_client, customer, ivy
):
    response = admin_client.post(
        reverse("admin:sales_invoice_add"), admin_invoice(customer, deleted(ivy))
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "contact": [CONTACT_DELETED_MESSAGE]
    }
    assert not Invoice.objects.exists()


def test_the_admin_names_a_contact_deleted_while_the_form_is_checked(
    admin_client, customer, ivy, monkeypatch
):
    """Deleted after the contact field found it: the admin's form locks it and
    reads it again, and says so at the field rather than failing in the save."""
    lock = services.document_contact_lock

    def deleted_in_between(*, contact):
        return lock(contact=deleted(contact))

    monkeypatch.setattr(services, "document_contact_lock", deleted_in_between)

    response = admin_client.post(
        reverse("admin:sales_invoice_add"), admin_invoice(customer, ivy)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "contact": [CONTACT_DELETED_MESSAGE]
    }
    assert not Invoice.objects.exists()


def test_sending_to_a_just_deleted_contact_is_refused_with_a_message(
    customer, ivy, editor
):
    invoice = make_invoice(customer, contact=ivy)
    loaded = Invoice.objects.select_related("contact").get(pk=invoice.pk)
    contact_delete(contact=Contact.objects.get(pk=ivy.pk))

    with pytest.raises(ValidationError) as info:
        document_send(document=loaded, sent_by=editor)

    assert info.value.messages == [
        f"Invoice {invoice.number} was not sent: its assigned contact was just "
        "deleted. Check who receives it now and send it again."
    ]
    assert not Delivery.objects.exists()


def test_sending_again_reaches_who_receives_it_now(client_for, editor, customer, ivy):
    ContactFactory(customer=customer, email="bo@example.com", roles=["primary"])
    invoice = make_invoice(customer, contact=ivy)
    contact_delete(contact=ivy)

    response = client_for(editor).post(invoice.get_send_url(), follow=True)

    assert [str(m) for m in response.context["messages"]][0].startswith(
        f"Invoice {invoice.number} is on its way to "
    )
    assert [d.email for d in Delivery.objects.all()] == ["bo@example.com"]


def test_deleting_a_contact_twice_does_nothing_the_second_time(customer, ivy):
    pk = ivy.pk
    stale = Contact.objects.get(pk=pk)
    contact_delete(contact=ivy)

    contact_delete(contact=stale)

    assert Contact.history.filter(id=pk, history_type="-").count() == 1


@pytest.mark.parametrize("how", ["one", "action"])
def test_the_admin_deletes_contacts_through_the_service(
    admin_client, customer, ivy, monkeypatch, how
):
    """So its deletions take the lock documents being made take too."""
    calls = []
    monkeypatch.setattr(
        "contacts.admin.contact_delete",
        lambda *, contact: calls.append(contact.pk) or contact.delete(),
    )
    if how == "one":
        admin_client.post(
            reverse("admin:contacts_contact_delete", args=[ivy.pk]), {"post": "yes"}
        )
    else:
        admin_client.post(
            reverse("admin:contacts_contact_changelist"),
            {"action": "delete_selected", "_selected_action": [ivy.pk], "post": "yes"},
        )

    assert calls == [ivy.pk]
    assert not Contact.objects.exists()
