"""Two writers of one customer at once, on two real database connections (PostgreSQL
only: see tests.concurrency): a merge, an edit of a contact, the admin's edit of a
contact, the admin's customer delete, and a document made or sent.

Every writer takes its locks in the product's one order (the customer, its
contacts, other rows, number sequences: docs/architecture.md), so they queue up
instead of deadlocking: whichever comes first wins, the other sees its result or is
refused with a message. Never a deadlock, a foreign key error (a server error) or a
write lost.
"""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from communications.models import Delivery
from contacts.models import Contact
from contacts.services.links import ContactChanged, contact_update
from customers.models import Customer
from customers.services import lock_customers
from sales.models import Invoice
from sales.services import document_create, document_send
from tests.concurrency import RACE_TEST, at_the_same_time, one_after_the_other
from tests.contacts.factories import ContactFactory
from tests.contacts.test_contact_merge_concurrency import merge
from tests.customers.factories import CustomerFactory, billing_address
from tests.sales.factories import make_invoice
from tests.sales.test_admin_and_groups import NO_DELIVERIES

pytestmark = RACE_TEST

ROUNDS = 5


@pytest.fixture
def customer():
    customer = CustomerFactory(name="Fjord Foods")
    billing_address(customer, country="NL")
    return customer


def people(customer):
    """Anna, the contact a merge keeps, and Ana, the one it merges away: the one
    the invoices are for."""
    anna = ContactFactory(
        customer=customer,
        first_name="Anna",
        last_name="Berg",
        email="anna@example.com",
        roles=["invoice"],
    )
    ana = ContactFactory(
        customer=customer, first_name="Ana", last_name="Berg", email="ana@example.com"
    )
    return anna, ana


def create(customer, contact):
    return lambda: document_create(
        kind=Invoice, customer=customer, contact=contact, amount="10"
    )


def send(invoice, user):
    loaded = Invoice.objects.select_related("contact").get(pk=invoice.pk)
    return lambda: document_send(document=loaded, sent_by=user)


def edit(contact, **data):
    return lambda: contact_update(
        contact=Contact.objects.get(pk=contact.pk), data=data, version=contact.version
    )


def is_refusal(outcome) -> bool:
    """A refusal with a message for its user (a form error), not a server error."""
    return isinstance(outcome, ValidationError) and bool(outcome.messages)


@pytest.fixture
def sender(db):
    return User.objects.create_user("sender")


# Merge ‖ Send of the merged-away contact's invoice.


def test_a_send_first_reaches_the_contact_and_the_merge_moves_the_invoice(
    customer, sender
):
    anna, ana = people(customer)
    invoice = make_invoice(customer, contact=ana)

    sent, merged = one_after_the_other(send(invoice, sender), merge(anna, ana))

    assert isinstance(sent, list), sent
    assert isinstance(merged, Contact), merged
    invoice.refresh_from_db()
    assert (invoice.contact_id, invoice.status) == (anna.pk, "sent")
    assert invoice.contact_name == "Ana Berg"
    # What was sent stays as sent, now pointing at the contact that was kept.
    assert list(Delivery.objects.values_list("email", "contact_id")) == [
        ("ana@example.com", anna.pk)
    ]


def test_a_merge_first_and_the_send_that_waited_goes_to_the_kept_contact(
    customer, sender
):
    anna, ana = people(customer)
    invoice = make_invoice(customer, contact=ana)

    merged, sent = one_after_the_other(merge(anna, ana), send(invoice, sender))

    assert isinstance(merged, Contact), merged
    assert isinstance(sent, list), sent
    invoice.refresh_from_db()
    assert (invoice.contact_id, invoice.status) == (anna.pk, "sent")
    # To the kept contact as the merge left it (with the established email).
    kept = Contact.objects.get(pk=anna.pk)
    assert list(Delivery.objects.values_list("email", "contact_id")) == [
        (kept.email, anna.pk)
    ]


def test_merged_and_sent_at_the_same_moment_never_fails(customer, sender):
    for round_ in range(ROUNDS):
        anna, ana = people(customer)
        invoice = make_invoice(customer, contact=ana)

        merged, sent = at_the_same_time(merge(anna, ana), send(invoice, sender))

        assert isinstance(merged, Contact), (round_, merged)
        assert isinstance(sent, list), (round_, sent)
        invoice.refresh_from_db()
        assert (invoice.contact_id, invoice.status) == (anna.pk, "sent")
        assert Delivery.objects.filter(about_id=invoice.pk).count() == 1
        Contact.objects.filter(pk=anna.pk).delete()


# Merge ‖ a new invoice for the merged-away contact.


def test_an_invoice_made_first_is_moved_by_the_merge(customer):
    anna, ana = people(customer)

    made, merged = one_after_the_other(create(customer, ana), merge(anna, ana))

    assert isinstance(made, Invoice), made
    assert isinstance(merged, Contact), merged
    made.refresh_from_db()
    assert (made.contact_id, made.contact_name) == (anna.pk, "Ana Berg")


def test_an_invoice_for_a_contact_merged_away_first_is_refused_with_a_message(
    customer,
):
    anna, ana = people(customer)

    merged, made = one_after_the_other(merge(anna, ana), create(customer, ana))

    assert isinstance(merged, Contact), merged
    assert is_refusal(made), made
    assert not Invoice.objects.exists()


def test_merged_and_invoiced_at_the_same_moment_never_fails(customer):
    for round_ in range(ROUNDS):
        anna, ana = people(customer)

        merged, made = at_the_same_time(merge(anna, ana), create(customer, ana))

        assert isinstance(merged, Contact), (round_, merged)
        if isinstance(made, Invoice):
            made.refresh_from_db()
            assert made.contact_id == anna.pk
        else:
            assert is_refusal(made), (round_, made)
        Contact.objects.filter(pk=anna.pk).delete()


# An edit of a contact ‖ a new invoice for it: both go through, the invoice's copy
# is the contact as it was when the invoice was made.


def test_an_edit_first_is_copied_onto_the_invoice_made_next(customer):
    anna, _ = people(customer)

    edited, made = one_after_the_other(
        edit(anna, email="anna.berg@example.com"), create(customer, anna)
    )

    assert isinstance(edited, Contact), edited
    assert isinstance(made, Invoice), made
    assert made.contact_email == "anna.berg@example.com"
    assert Contact.objects.get(pk=anna.pk).email == "anna.berg@example.com"


def test_an_invoice_made_first_keeps_its_copy_and_the_edit_goes_through(customer):
    anna, _ = people(customer)

    made, edited = one_after_the_other(
        create(customer, anna), edit(anna, email="anna.berg@example.com")
    )

    assert isinstance(made, Invoice), made
    assert isinstance(edited, Contact), edited
    made.refresh_from_db()
    assert (made.contact_id, made.contact_email) == (anna.pk, "anna@example.com")
    assert Contact.objects.get(pk=anna.pk).email == "anna.berg@example.com"


def test_edited_and_invoiced_at_the_same_moment_never_fails(customer):
    anna, _ = people(customer)
    for round_ in range(ROUNDS):
        anna.refresh_from_db()
        email = f"anna.{round_}@example.com"

        edited, made = at_the_same_time(edit(anna, email=email), create(customer, anna))

        assert isinstance(edited, Contact), (round_, edited)
        assert isinstance(made, Invoice), (round_, made)
        assert Contact.objects.get(pk=anna.pk).email == email
        assert made.contact_email in {email, anna.email}


# The admin's edit of a contact ‖ a merge of it.


def admin_edit(contact, admin, **fields):
    def call():
        client = Client()
        client.force_login(admin)
        return client.post(
            reverse("admin:contacts_contact_change", args=[contact.pk]),
            {
                "customer": str(contact.customer_id),
                "first_name": contact.first_name,
                "last_name": contact.last_name,
                "email": contact.email,
                "phone": contact.phone,
                "job_title": contact.job_title,
                "department": contact.department,
                "language": contact.language,
                "roles": [str(pk) for pk in contact.roles.values_list("pk", flat=True)],
                "version": contact.version,
                **fields,
            },
        )

    return call


@pytest.fixture
def admin(db):
    return User.objects.create_superuser("root", "root@example.com", "pw")


def test_an_admin_edit_first_makes_the_merge_refuse(customer, admin):
    anna, ana = people(customer)

    response, merged = one_after_the_other(
        admin_edit(ana, admin, job_title="Buyer"), merge(anna, ana)
    )

    assert response.status_code == 302, response
    assert isinstance(merged, ContactChanged), merged
    assert Contact.objects.get(pk=ana.pk).job_title == "Buyer"


def test_a_merge_first_makes_the_admin_edit_refuse(customer, admin):
    anna, ana = people(customer)

    merged, response = one_after_the_other(
        merge(anna, ana), admin_edit(ana, admin, job_title="Buyer")
    )

    assert isinstance(merged, Contact), merged
    assert response.status_code == 200, response
    assert "no longer exists" in response.content.decode()
    assert not Contact.objects.filter(pk=ana.pk).exists()


@pytest.mark.parametrize("edited", ["keep", "merge_away"])
def test_an_admin_edit_and_a_merge_at_the_same_moment_one_wins(customer, admin, edited):
    for round_ in range(ROUNDS):
        anna, ana = people(customer)
        target = anna if edited == "keep" else ana

        merged, response = at_the_same_time(
            merge(anna, ana), admin_edit(target, admin, job_title="Buyer")
        )

        assert not isinstance(response, Exception), (round_, response)
        if isinstance(merged, Contact):
            # The merge came first: the admin's form was refused, or, the contact
            # merged away before the admin read it, the admin says it is gone.
            assert response.status_code == 200 or (
                edited == "merge_away" and response.url == reverse("admin:index")
            ), (round_, response)
            assert Contact.objects.get(pk=anna.pk).job_title == ""
        else:
            assert isinstance(merged, ContactChanged), (round_, merged)
            assert response.status_code == 302, (round_, response)
            assert Contact.objects.get(pk=target.pk).job_title == "Buyer"
        Contact.objects.filter(customer=customer).delete()


# The admin's customer delete ‖ a new invoice (one after the other:
# tests/customers/test_customer_delete_concurrency.py).


def test_deleted_in_the_admin_and_invoiced_at_the_same_moment_never_fails(admin):
    for round_ in range(ROUNDS):
        customer = CustomerFactory()
        contact = ContactFactory(customer=customer, roles=[])

        def delete_in_the_admin(customer=customer):
            client = Client()
            client.force_login(admin)
            url = reverse("admin:customers_customer_delete", args=[customer.pk])
            return client.post(url, {"post": "yes"})

        response, made = at_the_same_time(
            delete_in_the_admin, create(customer, contact)
        )

        assert not isinstance(response, Exception), (round_, response)
        if isinstance(made, Invoice):
            # The invoice came first and protects the customer.
            assert response.status_code == 200, (round_, response)
            assert Customer.objects.filter(pk=customer.pk).exists()
        else:
            assert is_refusal(made), (round_, made)
            assert response.status_code == 302, (round_, response)
            assert not Customer.objects.filter(pk=customer.pk).exists()


# The admin's forms take the product's lock order: while a writer holds the
# customer, the admin's save waits for it before it locks the contact or the
# document, so that writer can go on to lock them (a merge, a Send). Locked the
# other way round, the two would deadlock.


def the_customers_writer_goes_on_to_lock(*rows):
    """What a merge or a Send locks after the customer: these rows, at once."""

    def lock():
        for row in rows:
            type(row).objects.select_for_update(nowait=True).filter(pk=row.pk).get()
        return "locked"

    return lock


def test_the_admins_contact_edit_waits_for_the_customer_before_the_contact(
    customer, admin
):
    _, ana = people(customer)

    locked, response = one_after_the_other(
        lambda: lock_customers([customer.pk]),
        admin_edit(ana, admin, job_title="Buyer"),
        then=the_customers_writer_goes_on_to_lock(ana),
    )

    assert locked == "locked", locked
    assert response.status_code == 302, response
    assert Contact.objects.get(pk=ana.pk).job_title == "Buyer"


def test_the_admins_document_edit_waits_for_the_customer_before_the_contact(
    customer, admin
):
    anna, ana = people(customer)
    invoice = make_invoice(customer, contact=anna)

    def assign_in_the_admin():
        client = Client()
        client.force_login(admin)
        return client.post(
            reverse("admin:sales_invoice_change", args=[invoice.pk]),
            {
                "customer": customer.pk,
                "date": "2026-02-01",
                "status": "draft",
                "amount": "10",
                "currency": "EUR",
                "contact": ana.pk,
                "version": invoice.version,
                **NO_DELIVERIES,
            },
        )

    locked, response = one_after_the_other(
        lambda: lock_customers([customer.pk]),
        assign_in_the_admin,
        then=the_customers_writer_goes_on_to_lock(anna, ana, invoice),
    )

    assert locked == "locked", locked
    assert response.status_code == 302, response
    invoice.refresh_from_db()
    assert (invoice.contact_id, invoice.contact_name) == (ana.pk, "Ana Berg")
