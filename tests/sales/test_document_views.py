import html

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse

from communications.models import Delivery
from contacts.services.links import contact_delete
from sales.models import Invoice, SalesOrder, Shipment
from tests.activity.helpers import page_text
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory, billing_address
from tests.sales.factories import make_document, make_invoice

pytestmark = pytest.mark.django_db

KINDS = [SalesOrder, Invoice, Shipment]


@pytest.fixture
def customer():
    return CustomerFactory(name="Fjord Foods")


def urls(document):
    kind, customer_pk, pk = document.KIND, document.customer_id, document.pk
    return {
        "list": reverse(f"sales:{kind}_list"),
        "create": reverse(f"sales:{kind}_create", args=[customer_pk]),
        "detail": reverse(f"sales:{kind}_detail", args=[customer_pk, pk]),
        "update": reverse(f"sales:{kind}_update", args=[customer_pk, pk]),
        "send": reverse(f"sales:{kind}_send", args=[customer_pk, pk]),
    }


WORKER = {"list": 200, "create": 200, "detail": 200, "update": 200, "send": 302}
READER = {"list": 200, "create": 403, "detail": 200, "update": 403, "send": 403}
NOBODY = {"list": 403, "create": 403, "detail": 403, "update": 403, "send": 403}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("persona", "expected"),
    [("manager", WORKER), ("editor", WORKER), ("viewer", READER), ("outsider", NOBODY)],
)
def test_access_by_persona(request, client_for, customer, kind, persona, expected):
    ContactFactory(customer=customer, email="ana@example.com", roles=["primary"])
    document = make_document(kind, customer)
    client = client_for(request.getfixturevalue(persona))
    answers = {
        name: (client.post(url) if name == "send" else client.get(url)).status_code
        for name, url in urls(document).items()
    }
    assert answers == expected
    assert Delivery.objects.count() == (1 if expected["send"] == 302 else 0)


@pytest.mark.parametrize("kind", KINDS)
def test_anonymous_is_sent_to_sign_in(client, customer, kind):
    document = make_document(kind, customer)
    for name, url in urls(document).items():
        response = client.post(url) if name == "send" else client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not Delivery.objects.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_another_customers_document_is_404_through_this_customers_url(
    client_for, manager, customer, kind
):
    ContactFactory(customer=customer, email="ana@example.com", roles=["primary"])
    elsewhere = make_document(kind, CustomerFactory())
    client = client_for(manager)
    for name in ("detail", "update"):
        url = reverse(f"sales:{kind.KIND}_{name}", args=[customer.pk, elsewhere.pk])
        assert client.get(url).status_code == 404
    send = reverse(f"sales:{kind.KIND}_send", args=[customer.pk, elsewhere.pk])
    assert client.post(send).status_code == 404
    assert not Delivery.objects.exists()
    assert (
        client.get(reverse(f"sales:{kind.KIND}_create", args=[4242])).status_code == 404
    )


def test_send_by_get_shows_what_would_go_out_and_sends_nothing(
    client_for, manager, customer, ivy
):
    invoice = make_invoice(customer, reference="PO-77")
    response = client_for(manager).get(urls(invoice)["send"])
    assert response.status_code == 200
    page = html.unescape(page_text(response))
    assert "To Ivy Lund <ivy@example.com> (Invoice role)" in page
    assert f"Subject Invoice {invoice.number} for Fjord Foods" in page
    assert "Dear Ivy Lund," in page
    assert "Amount: €250.00" in page
    assert "Reference: PO-77" in page
    assert not Delivery.objects.exists()


def test_the_preview_says_what_to_add_when_nobody_would_receive_it(
    client_for, manager, customer
):
    invoice = make_invoice(customer)
    response = client_for(manager).get(urls(invoice)["send"])
    page = page_text(response)
    assert "nobody at Fjord Foods has an email address to send it to" in page
    assert 'type="submit"' not in response.content.decode().split("<main")[1]


def test_send_and_create_need_the_csrf_token(manager, customer):
    ContactFactory(customer=customer, email="ana@example.com", roles=["invoice"])
    invoice = make_invoice(customer)
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    assert client.post(urls(invoice)["send"]).status_code == 403
    response = client.post(
        urls(invoice)["create"], {"date": "2026-05-01", "amount": "1"}
    )
    assert response.status_code == 403
    assert mail.outbox == []
    assert Invoice.objects.count() == 1


def test_the_new_invoice_form_offers_only_this_customers_contacts_invoice_role_first(
    client_for, editor, customer
):
    ContactFactory(customer=customer, first_name="Pia", roles=["primary"])
    ivy = ContactFactory(customer=customer, first_name="Ivy", roles=["invoice"])
    ContactFactory(customer=CustomerFactory(), first_name="Stranger", roles=["invoice"])
    response = client_for(editor).get(
        reverse("sales:invoice_create", args=[customer.pk])
    )
    field = response.context["form"]["contact"]
    assert field.value() == ivy.pk
    choices = [label for value, label in field.field.choices if value]
    assert [label.split(" ")[0] for label in choices] == ["Ivy", "Pia"]
    assert "Stranger" not in response.content.decode()
    assert "status" not in response.context["form"].fields


def test_an_editor_creates_an_invoice_with_the_contacts_snapshot(
    client_for, editor, customer
):
    ivy = ContactFactory(
        customer=customer,
        first_name="Ivy",
        last_name="Lund",
        email="ivy@example.com",
        roles=["invoice"],
    )
    client = client_for(editor)
    response = client.post(
        reverse("sales:invoice_create", args=[customer.pk]),
        {
            "date": "2026-05-01",
            "reference": "PO-9",
            "amount": "99.50",
            "currency": "USD",
            "contact": ivy.pk,
        },
    )
    invoice = Invoice.objects.get()
    assert response["Location"] == invoice.get_absolute_url()
    assert (invoice.number, invoice.contact_name, invoice.contact_email) == (
        "INV-00001",
        "Ivy Lund",
        "ivy@example.com",
    )
    assert invoice.history.get().history_user == editor
    page = client.get(response["Location"]).content.decode()
    assert "Invoice INV-00001 was created." in page


def test_a_contact_of_another_customer_is_refused_at_the_field(
    client_for, editor, customer
):
    stranger = ContactFactory(customer=CustomerFactory())
    response = client_for(editor).post(
        reverse("sales:invoice_create", args=[customer.pk]),
        {
            "date": "2026-05-01",
            "amount": "1",
            "currency": "EUR",
            "contact": stranger.pk,
        },
    )
    assert response.status_code == 200
    assert "contact" in response.context["form"].errors
    assert not Invoice.objects.exists()


def test_bad_input_comes_back_at_its_fields(client_for, editor, customer):
    response = client_for(editor).post(
        reverse("sales:order_create", args=[customer.pk]),
        {
            "date": "not a date",
            "amount": "-5",
            "reference": "x" * 101,
            "currency": "NLG",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {
        "date",
        "amount",
        "reference",
        "currency",
    }
    assert not SalesOrder.objects.exists()


def test_an_editor_changes_a_shipment(client_for, editor, customer):
    shipment = make_document(Shipment, customer)
    response = client_for(editor).post(
        urls(shipment)["update"],
        {
            "date": "2026-06-01",
            "carrier": "PostNL",
            "tracking_code": "3S123",
            "status": "cancelled",
            "contact": "",
            "version": shipment.version,
        },
    )
    assert response.status_code == 302
    shipment.refresh_from_db()
    assert (shipment.carrier, shipment.tracking_code, shipment.status) == (
        "PostNL",
        "3S123",
        "cancelled",
    )


def test_send_says_to_whom_it_goes_and_the_page_lists_each_emails_status(
    client_for, editor, customer
):
    ContactFactory(
        customer=customer,
        first_name="Ivy",
        last_name="Lund",
        email="ivy@example.com",
        roles=["invoice"],
    )
    invoice = make_invoice(customer)
    client = client_for(editor)
    response = client.post(urls(invoice)["send"], follow=True)
    page = response.content.decode()
    assert (
        f"Invoice {invoice.number} is on its way to Ivy Lund &lt;ivy@example.com&gt;."
        in page
    )
    assert mail.outbox == []
    deliveries = response.context["deliveries"]
    assert [(d.email, d.status) for d in deliveries] == [("ivy@example.com", "queued")]
    text = page_text(response)
    assert "ivy@example.com Invoice role Queued" in text


def test_send_without_any_recipient_says_what_to_add(client_for, editor, customer):
    invoice = make_invoice(customer)
    response = client_for(editor).post(urls(invoice)["send"])
    [message] = list(get_messages(response.wsgi_request))
    assert message.level_tag == "error"
    assert "was not sent" in message.message
    assert "Add a contact with an email address" in message.message
    assert not Delivery.objects.exists()


def test_the_document_shows_its_snapshot_after_the_contact_is_deleted(
    client_for, viewer, customer
):
    ivy = ContactFactory(
        customer=customer, first_name="Ivy", last_name="Lund", email="ivy@example.com"
    )
    invoice = make_invoice(customer, contact=ivy)
    contact_delete(contact=ivy)
    page = page_text(client_for(viewer).get(urls(invoice)["detail"]))
    assert "Ivy Lund" in page
    assert "ivy@example.com" in page
    assert "the contact has since been deleted" in page


def test_buttons_are_hidden_from_those_who_may_not_use_them(
    client_for, viewer, editor, customer
):
    ContactFactory(customer=customer, email="ana@example.com", roles=["invoice"])
    invoice = make_invoice(customer)
    viewer_page = client_for(viewer).get(urls(invoice)["detail"]).content.decode()
    assert urls(invoice)["update"] not in viewer_page
    assert urls(invoice)["send"] not in viewer_page
    overview = client_for(viewer).get(customer.get_absolute_url()).content.decode()
    assert invoice.number in overview
    assert urls(invoice)["create"] not in overview
    editor_page = client_for(editor).get(urls(invoice)["detail"]).content.decode()
    assert urls(invoice)["update"] in editor_page
    assert urls(invoice)["send"] in editor_page
    overview = client_for(editor).get(customer.get_absolute_url()).content.decode()
    assert urls(invoice)["create"] in overview


def test_the_navigation_shows_each_list_to_those_who_may_view_it(
    client_for, viewer, outsider
):
    from django.contrib.auth.models import Permission

    page = client_for(viewer).get(reverse("customers:list")).content.decode()
    for kind in KINDS:
        assert reverse(f"sales:{kind.KIND}_list") in page
    outsider.user_permissions.add(Permission.objects.get(codename="view_customer"))
    page = client_for(outsider).get(reverse("customers:list")).content.decode()
    for kind in KINDS:
        assert reverse(f"sales:{kind.KIND}_list") not in page


def test_the_overview_hides_document_kinds_the_user_may_not_view(
    client_for, outsider, customer
):
    from django.contrib.auth.models import Permission

    make_invoice(customer)
    outsider.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_customer", "view_shipment"])
    )
    page = client_for(outsider).get(customer.get_absolute_url()).content.decode()
    assert ">Shipments</h2>" in page
    assert ">Invoices</h2>" not in page
    assert "INV-00001" not in page


def test_the_document_shows_the_snapshot_phone_in_international_format(
    client_for, viewer, customer
):
    billing_address(customer, "NL")
    ana = ContactFactory(customer=customer, first_name="Ana", phone="+31612345678")
    invoice = make_invoice(customer, contact=ana)
    content = client_for(viewer).get(invoice.get_absolute_url()).content.decode()
    assert (
        '<dd><a class="phone" href="tel:+31612345678">+31 6 12345678</a></dd>'
        in content
    )


def test_a_new_invoice_is_in_the_currency_chosen_and_shows_it(
    client_for, editor, customer
):
    response = client_for(editor).post(
        reverse("sales:invoice_create", args=[customer.pk]),
        {"date": "2026-05-01", "amount": "1250", "currency": "GBP"},
        follow=True,
    )
    invoice = Invoice.objects.get()
    assert (invoice.amount, invoice.currency) == (1250, "GBP")
    assert "£1,250.00" in response.content.decode()


def test_the_currency_starts_at_the_default_currency(
    client_for, editor, customer, settings
):
    settings.DEFAULT_CURRENCY = "SEK"
    response = client_for(editor).get(
        reverse("sales:invoice_create", args=[customer.pk])
    )
    assert response.context["form"]["currency"].value() == "SEK"
