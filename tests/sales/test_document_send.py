"""Send records one delivery per recipient in the document's transaction; the
worker sends them (tests/communications for the outbox itself)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from communications.models import Delivery
from contacts.services.card import contact_detail_create
from sales.models import Invoice, Shipment
from sales.services import document_send
from tests.communications.helpers import deliver_outbox
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory
from tests.sales.factories import make_document, make_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    return CustomerFactory(name="Fjord Foods")


def test_sending_records_a_queued_delivery_and_speaks_to_no_mail_server(
    customer, editor
):
    ana = ContactFactory(
        customer=customer,
        first_name="Ana",
        last_name="Berg",
        email="ana@example.com",
        roles=["invoice"],
    )
    invoice = make_invoice(customer, reference="PO-77")

    (delivery,) = document_send(document=invoice, sent_by=editor)

    assert mail.outbox == []
    assert Delivery.objects.get() == delivery
    assert delivery.status == "queued"
    assert (delivery.about, delivery.customer, delivery.requested_by) == (
        invoice,
        customer,
        editor,
    )
    assert (delivery.email, delivery.name, delivery.reason, delivery.contact) == (
        "ana@example.com",
        "Ana Berg",
        "Invoice role",
        ana,
    )
    assert delivery.subject == f"Invoice {invoice.number} for Fjord Foods"
    assert delivery.message_id.endswith("@fjord-trading.example>")
    assert delivery.history.count() == 1
    invoice.refresh_from_db()
    assert invoice.status == "sent"


def test_the_worker_sends_html_with_a_plain_text_alternative(customer, editor):
    ContactFactory(
        customer=customer,
        first_name="Ana",
        last_name="Berg",
        email="ana@example.com",
        roles=["invoice"],
    )
    invoice = make_invoice(customer, reference="PO-77")
    (delivery,) = document_send(document=invoice, sent_by=editor)

    deliver_outbox()

    [message] = mail.outbox
    assert message.subject == f"Invoice {invoice.number} for Fjord Foods"
    assert message.to == ["Ana Berg <ana@example.com>"]
    assert message.from_email == "sales@fjord-trading.example"
    assert message.extra_headers["Message-ID"] == delivery.message_id
    assert "Dear Ana Berg," in message.body
    assert f"Invoice {invoice.number} for Fjord Foods." in message.body
    assert "Reference: PO-77" in message.body
    assert "Amount: €250.00" in message.body
    # The organisation signs it (settings), never with an internal number.
    assert "Fjord Trading B.V.\nKeizersgracht 1\n1015 CJ Amsterdam\n" in message.body
    assert customer.number not in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert '<th scope="row">Reference</th><td>PO-77</td>' in html
    assert customer.number not in html
    rendered = message.message()
    assert rendered["Subject"] == message.subject
    assert rendered["Message-ID"] == delivery.message_id
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert delivery.sent_at is not None


def test_a_shipment_notice_names_carrier_and_tracking_code(customer, editor):
    contact_detail_create(customer=customer, kind="email", value="info@fjord.example")
    shipment = make_document(
        Shipment, customer, carrier="PostNL", tracking_code="3SABC123"
    )
    (delivery,) = document_send(document=shipment, sent_by=editor)
    deliver_outbox()
    [message] = mail.outbox
    assert message.subject == f"Shipment notice {shipment.number} for Fjord Foods"
    assert "Carrier: PostNL" in message.body
    assert "Tracking code: 3SABC123" in message.body
    assert message.to == ["Fjord Foods <info@fjord.example>"]
    assert delivery.reason == "contact card"


def test_every_role_holder_gets_an_email_of_their_own(customer, editor):
    for name in ("Al", "Bo"):
        ContactFactory(
            customer=customer,
            first_name=name,
            last_name="",
            email=f"{name.lower()}@example.com",
            roles=["invoice"],
        )
    deliveries = document_send(document=make_invoice(customer), sent_by=editor)
    assert [d.email for d in deliveries] == ["al@example.com", "bo@example.com"]
    deliver_outbox()
    assert [m.to for m in mail.outbox] == [
        ["Al <al@example.com>"],
        ["Bo <bo@example.com>"],
    ]
    assert mail.outbox[0].body.startswith("Dear Al,")
    assert len({d.message_id for d in deliveries}) == 2


def test_sending_is_refused_with_what_to_add_when_nobody_would_receive_it(
    customer, editor
):
    ContactFactory(customer=customer, email="", roles=["invoice", "primary"])
    invoice = make_invoice(customer)
    with pytest.raises(ValidationError) as refused:
        document_send(document=invoice, sent_by=editor)
    message = refused.value.messages[0]
    assert f"Invoice {invoice.number} was not sent" in message
    assert (
        "Add a contact with an email address and the Invoice or Primary role" in message
    )
    assert "contact card" in message
    assert not Delivery.objects.exists()
    invoice.refresh_from_db()
    assert invoice.status == "draft"


def test_a_rolled_back_send_leaves_no_delivery_and_asks_no_worker(
    customer, editor, django_capture_on_commit_callbacks
):
    ContactFactory(customer=customer, email="ana@example.com", roles=["invoice"])
    invoice = make_invoice(customer)
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        document_send(document=invoice, sent_by=editor)
        raise RuntimeError("the document's change failed after Send")
    assert not Delivery.objects.exists()
    assert callbacks == []
    invoice.refresh_from_db()
    assert invoice.status == "draft"


def test_a_committed_send_asks_a_worker_for_its_deliveries(
    customer, editor, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    ContactFactory(customer=customer, email="ana@example.com", roles=["invoice"])
    with django_capture_on_commit_callbacks(execute=True):
        (delivery,) = document_send(document=make_invoice(customer), sent_by=editor)
    [task] = DBTaskResult.objects.all()
    assert task.task_path == "communications.tasks.send_deliveries"
    assert task.args_kwargs["args"] == [[delivery.pk]]


def test_an_email_whose_assigned_contact_was_deleted_never_names_that_contact(
    customer, editor
):
    from contacts.services.links import contact_delete

    ivy = ContactFactory(
        customer=customer, first_name="Ivy", last_name="Lund", email="ivy@x.example"
    )
    ContactFactory(customer=customer, email="bo@example.com", roles=["invoice"])
    invoice = make_invoice(customer, contact=ivy)
    contact_delete(contact=ivy)
    invoice = Invoice.objects.get(pk=invoice.pk)
    assert invoice.contact_name == "Ivy Lund"  # the document keeps its snapshot
    (delivery,) = document_send(document=invoice, sent_by=editor)
    assert "Ivy" not in delivery.text
    assert "Ivy" not in delivery.html
    assert delivery.email == "bo@example.com"


def test_an_assigned_contact_is_named_while_it_exists(customer, editor, ivy):
    invoice = make_invoice(customer, contact=ivy)
    (delivery,) = document_send(document=invoice, sent_by=editor)
    assert "Contact: Ivy Lund" in delivery.text


def test_a_recipient_who_appeared_since_the_routing_was_read_is_not_sent_to_unseen(
    customer, editor, ivy, monkeypatch
):
    """The contacts are locked before the document, by the routing read first; one
    the routing names only under the document's lock was not locked in order."""
    monkeypatch.setattr("sales.services._routing_contacts", lambda document: [])
    with pytest.raises(ValidationError) as refused:
        document_send(document=make_invoice(customer), sent_by=editor)
    assert refused.value.code == "recipients_changed"
    assert not Delivery.objects.exists()
