"""Sales documents through the API: read-only, and Send as the document's page
sends it."""

import pytest
from django.core import mail
from django.urls import reverse

from communications.models import Delivery
from sales.models import Invoice, SalesDocument, SalesOrder, Shipment
from tests.api.conftest import codes
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory
from tests.sales.factories import make_document

pytestmark = pytest.mark.django_db

SEGMENTS = {SalesOrder: "orders", Invoice: "invoices", Shipment: "shipments"}


def url(document) -> str:
    return f"/api/v1/{SEGMENTS[type(document)]}/{document.pk}/"


@pytest.fixture
def customer():
    return CustomerFactory(name="Fjord Foods")


@pytest.fixture
def contact(customer):
    return ContactFactory(
        customer=customer,
        first_name="Anna",
        last_name="Berg",
        email="anna@fjord.example.com",
        roles=["invoice"],
    )


@pytest.mark.parametrize("kind", [SalesOrder, Invoice, Shipment])
def test_a_document_reads_with_its_contact_snapshot(
    api_for, viewer, customer, contact, kind
):
    document = make_document(kind, customer, contact, reference="PO-1")

    data = api_for(viewer).get(url(document)).json()

    assert data["number"] == document.number
    assert (data["customer"], data["contact"]) == (customer.pk, contact.pk)
    assert (data["contact_name"], data["contact_email"]) == (
        "Anna Berg",
        "anna@fjord.example.com",
    )
    assert (data["status"], data["reference"], data["date"]) == (
        "draft",
        "PO-1",
        "2026-03-01",
    )
    if kind is Shipment:
        assert (data["carrier"], data["tracking_code"]) == ("DHL", "JD0001")
    else:
        assert data["amount"] == str(document.amount)


def test_the_list_is_filtered_by_customer_and_status(api_for, viewer, customer):
    mine = make_document(Invoice, customer)
    sent = make_document(Invoice, customer)
    Invoice.objects.filter(pk=sent.pk).update(status=SalesDocument.Status.SENT)
    make_document(Invoice, CustomerFactory())
    api = api_for(viewer)

    def ids(params):
        return [
            row["id"] for row in api.get("/api/v1/invoices/", params).json()["results"]
        ]

    assert ids({"customer": customer.pk}) == [mine.pk, sent.pk]
    assert ids({"customer": customer.pk, "status": "sent"}) == [sent.pk]


def test_documents_are_read_only(api_for, manager, customer):
    invoice = make_document(Invoice, customer)
    api = api_for(manager)

    response = api.patch(
        url(invoice), {"reference": "X"}, if_match=api.get(url(invoice))["ETag"]
    )

    assert response.status_code == 405
    assert codes(response) == [(None, "method_not_allowed")]


def test_send_sends_to_the_recipients_the_page_would_and_marks_it_sent(
    api_for, editor, client, customer, contact
):
    by_api = make_document(Invoice, customer)
    by_page = make_document(Invoice, customer)
    api = api_for(editor)

    response = api.post(f"{url(by_api)}send/", if_match=api.get(url(by_api))["ETag"])
    client.force_login(editor)
    client.post(reverse("sales:invoice_send", args=[customer.pk, by_page.pk]))

    assert response.status_code == 202, response.json()
    data = response.json()
    assert data["document"]["status"] == "sent"
    assert response["ETag"] == api.get(url(by_api))["ETag"]

    def queued(document):
        return [
            {"email": d.email, "name": d.name, "reason": d.reason, "status": d.status}
            for d in Delivery.objects.filter(about_id=document.pk).order_by("pk")
        ]

    assert data["recipients"] == queued(by_api)
    assert queued(by_api) == queued(by_page)
    assert data["recipients"][0]["status"] == "queued"
    assert Delivery.objects.get(about_id=by_api.pk).requested_by == editor
    # Nothing spoke to a mail server in the request: the outbox's worker sends.
    assert mail.outbox == []


def test_send_needs_if_match_and_refuses_a_stale_one(
    api_for, editor, customer, contact
):
    invoice = make_document(Invoice, customer)
    api = api_for(editor)
    etag = api.get(url(invoice))["ETag"]

    missing = api.post(f"{url(invoice)}send/")
    sent = api.post(f"{url(invoice)}send/", if_match=etag)
    again = api.post(f"{url(invoice)}send/", if_match=etag)

    assert (missing.status_code, sent.status_code, again.status_code) == (428, 202, 412)
    assert Delivery.objects.count() == 1


def test_send_without_anyone_to_send_to_says_what_to_add(api_for, editor, customer):
    invoice = make_document(Invoice, customer)
    api = api_for(editor)

    response = api.post(f"{url(invoice)}send/", if_match=api.get(url(invoice))["ETag"])

    assert response.status_code == 400
    assert codes(response) == [(None, "no_recipient")]
    assert "Add a contact" in response.json()["errors"][0]["message"]
    invoice.refresh_from_db()
    assert invoice.status == "draft"
    assert not Delivery.objects.exists()


def test_a_viewer_may_not_send(api_for, viewer, customer, contact):
    invoice = make_document(Invoice, customer)
    api = api_for(viewer)

    response = api.post(f"{url(invoice)}send/", if_match=api.get(url(invoice))["ETag"])

    assert response.status_code == 403
    assert not Delivery.objects.exists()
