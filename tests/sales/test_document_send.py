import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from contacts.services import contact_detail_create
from sales.models import Sending, Shipment
from sales.services import document_send
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory
from tests.sales.factories import make_document, make_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    return CustomerFactory(name="Fjord Foods")


def test_sending_emails_the_recipients_and_records_the_sending(customer, editor):
    ContactFactory(
        customer=customer,
        first_name="Ana",
        last_name="Berg",
        email="ana@example.com",
        roles=["invoice"],
    )
    invoice = make_invoice(customer, reference="PO-77")

    (sending,) = document_send(document=invoice, sent_by=editor)

    [message] = mail.outbox
    assert message.subject == f"Invoice {invoice.number} for Fjord Foods"
    assert message.to == ["ana@example.com"]
    assert message.from_email == "contacts@localhost"
    assert "Dear Ana Berg," in message.body
    assert (
        f"Invoice {invoice.number} for Fjord Foods (customer {customer.number})"
        in message.body
    )
    assert "Reference: PO-77" in message.body
    assert "Amount: €250.00" in message.body
    assert message.content_subtype == "plain"
    # It is well-formed for an SMTP server: headers and addresses encode cleanly.
    rendered = message.message()
    assert rendered["To"] == "ana@example.com"
    assert rendered["Subject"] == message.subject

    assert Sending.objects.get() == sending
    assert (sending.invoice, sending.customer, sending.sent_by) == (
        invoice,
        customer,
        editor,
    )
    assert sending.subject == message.subject
    assert sending.recipients == [
        {"email": "ana@example.com", "name": "Ana Berg", "reason": "Invoice role"}
    ]
    assert sending.history.count() == 1
    invoice.refresh_from_db()
    assert invoice.status == "sent"


def test_a_shipment_notice_names_carrier_and_tracking_code(customer, editor):
    contact_detail_create(customer=customer, kind="email", value="info@fjord.example")
    shipment = make_document(
        Shipment, customer, carrier="PostNL", tracking_code="3SABC123"
    )
    (sending,) = document_send(document=shipment, sent_by=editor)
    [message] = mail.outbox
    assert message.subject == f"Shipment notice {shipment.number} for Fjord Foods"
    assert "Carrier: PostNL" in message.body
    assert "Tracking code: 3SABC123" in message.body
    assert message.to == ["info@fjord.example"]
    assert sending.recipients[0]["reason"] == "contact card"


def test_every_role_holder_is_addressed(customer, editor):
    for name in ("Al", "Bo"):
        ContactFactory(
            customer=customer,
            first_name=name,
            email=f"{name.lower()}@example.com",
            roles=["invoice"],
        )
    document_send(document=make_invoice(customer), sent_by=editor)
    assert mail.outbox[0].to == ["al@example.com", "bo@example.com"]
    assert mail.outbox[0].body.startswith("Dear all,")


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
    assert mail.outbox == []
    assert not Sending.objects.exists()
    invoice.refresh_from_db()
    assert invoice.status == "draft"


def test_a_mail_server_failure_records_nothing_and_says_to_try_again(
    customer, editor, monkeypatch
):
    ContactFactory(customer=customer, email="ana@example.com", roles=["invoice"])
    invoice = make_invoice(customer)

    def refuse(self, fail_silently=False):
        raise smtplib.SMTPRecipientsRefused({"ana@example.com": (550, b"no")})

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with pytest.raises(ValidationError, match="Try again later"):
        document_send(document=invoice, sent_by=editor)
    assert not Sending.objects.exists()
    invoice.refresh_from_db()
    assert invoice.status == "draft"
