"""The sales pages in Dutch, and notifications in each recipient's language.

The pages follow the user's language (here the browser's, Accept-Language); an email
to a contact goes out in the contact's language (Contact.email_language), the
customer's contact card in the organisation's (settings.ORGANISATION_LANGUAGE),
whatever language the sender works in."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from communications.models import Delivery
from contacts.services.card import contact_detail_create
from sales.models import Invoice, SalesOrder, Shipment
from sales.selectors import customer_who_receives_what, document_recipients
from sales.services import document_send
from tests.activity.helpers import page_text
from tests.communications.helpers import deliver_outbox
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory
from tests.sales.factories import make_document, make_invoice
from tests.translations import NL as DUTCH

pytestmark = pytest.mark.django_db


def main_text(response) -> str:
    """The page's own content, without the header and menu (base.html)."""
    html = response.content.decode()
    start = html.index("<main")
    return page_text_of(html[start : html.index("</main>", start)])


def page_text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def url(document, page):
    return reverse(
        f"sales:{document.KIND}_{page}", args=[document.customer_id, document.pk]
    )


@pytest.fixture
def dutch_contact(customer):
    return ContactFactory(
        customer=customer,
        first_name="Daan",
        last_name="de Vries",
        email="daan@example.nl",
        roles=["invoice"],
        language="nl",
    )


@pytest.fixture
def english_contact(customer):
    return ContactFactory(
        customer=customer,
        first_name="Ann",
        last_name="Smith",
        email="ann@example.com",
        roles=["invoice"],
        language="en",
    )


# The pages, in Dutch.


@pytest.mark.parametrize(
    ("kind", "dutch", "english"),
    [
        (SalesOrder, "Verkooporders", "Sales orders"),
        (Invoice, "Facturen", "Invoices"),
        (Shipment, "Zendingen", "Shipments"),
    ],
)
def test_the_list_pages_speak_dutch(client_for, editor, customer, kind, dutch, english):
    make_document(kind, customer)
    text = main_text(
        client_for(editor).get(reverse(f"sales:{kind.KIND}_list"), **DUTCH)
    )
    assert dutch in text
    for word in ("Zoeken", "Elke status", "Nummer", "Klant", "Datum", "Concept"):
        assert word in text
    for word in (english, "Any status", "Search by", "Draft"):
        assert word not in text


def test_the_detail_page_speaks_dutch(client_for, editor, customer, dutch_contact):
    invoice = make_invoice(customer, dutch_contact, reference="PO-7")
    text = main_text(client_for(editor).get(url(invoice, "detail"), **DUTCH))
    assert f"Factuur {invoice.number}" in text
    for word in (
        "Toegewezen contactpersoon",
        "Referentie",
        "Bedrag",
        "Nu versturen gaat naar",
        "toegewezen contactpersoon",
        "Versturen…",
        "Nog niet verstuurd.",
        "Wijzigen",
    ):
        assert word in text
    for word in ("Assigned contact", "Reference", "Not sent yet", "Invoice role"):
        assert word not in text


def test_the_form_speaks_dutch_and_refuses_in_dutch(client_for, editor, customer):
    client = client_for(editor)
    new = reverse("sales:invoice_create", args=[customer.pk])
    text = main_text(client.get(new, **DUTCH))
    for word in ("Nieuwe factuur", "Contactpersoon", "Geen contactpersoon", "Opslaan"):
        assert word in text
    assert "New invoice" not in text
    refused = client.post(new, {"date": "", "amount": "-1"}, **DUTCH)
    assert "Dit veld is verplicht." in page_text(refused)


def test_a_wrong_contact_is_refused_in_dutch(customer, dutch_contact):
    other = ContactFactory(customer=CustomerFactory(), email="x@example.com")
    invoice = make_invoice(customer)
    invoice.contact = other
    with translation.override("nl"):
        with pytest.raises(ValidationError) as refused:
            invoice.clean()
        assert refused.value.message_dict["contact"] == [
            "Kies een contactpersoon van deze klant."
        ]


def test_who_receives_what_speaks_dutch(customer, dutch_contact):
    contact_detail_create(customer=customer, kind="email", value="info@fjord.example")
    with translation.override("nl"):
        rows = customer_who_receives_what(customer=customer)
        assert [row.notification for row in rows] == [
            "Orderbevestiging",
            "Factuur",
            "Verzendbericht",
        ]
        assert [row.recipients[0].reason for row in rows] == [
            "contactkaart",
            "rol Factuur",
            "contactkaart",
        ]
        assert [row.role_name for row in rows] == ["Order", "Factuur", "Zending"]


def test_an_empty_send_page_says_what_to_add_in_dutch(client_for, editor, customer):
    invoice = make_invoice(customer)
    text = main_text(client_for(editor).get(url(invoice, "send"), **DUTCH))
    assert "is niet verstuurd: niemand bij Fjord Foods" in text
    assert "de rol Factuur of Primair" in text
    assert f"Terug naar Factuur {invoice.number}" in text


# Emails in the recipient's language.


def test_a_dutch_contact_gets_a_dutch_email_while_the_sender_works_in_english(
    customer, editor, dutch_contact
):
    invoice = make_invoice(customer, reference="PO-7")
    with translation.override("en"):
        (delivery,) = document_send(document=invoice, sent_by=editor)
    deliver_outbox()
    [message] = mail.outbox
    assert message.subject == f"Factuur {invoice.number} voor Fjord Foods"
    assert message.to == ["Daan de Vries <daan@example.nl>"]
    body = message.body
    assert body.startswith("Beste Daan de Vries,")
    assert customer.number not in body
    assert "Datum: 1 mrt 2026" in body
    assert "Referentie: PO-7" in body
    assert "Bedrag: €\xa0250,00" in body
    assert "Met vriendelijke groet,\nFjord Trading B.V." in body
    for english in ("Dear", "Date:", "Amount:", "Kind regards"):
        assert english not in body
    [(html, _mimetype)] = message.alternatives
    assert '<html lang="nl">' in html
    assert "Referentie" in html and "Reference" not in html
    assert (delivery.subject, delivery.language) == (message.subject, "nl")
    # The sender's language is still the active one.
    assert translation.get_language() == "en"


def test_mixed_languages_get_an_email_each_in_their_language(
    customer, editor, dutch_contact, english_contact
):
    invoice = make_invoice(customer)
    with translation.override("en"):
        deliveries = document_send(document=invoice, sent_by=editor)
    deliver_outbox()

    by_address = {tuple(m.to): m for m in mail.outbox}
    assert set(by_address) == {
        ("Ann Smith <ann@example.com>",),
        ("Daan de Vries <daan@example.nl>",),
    }
    english = by_address[("Ann Smith <ann@example.com>",)]
    dutch = by_address[("Daan de Vries <daan@example.nl>",)]
    assert english.subject == f"Invoice {invoice.number} for Fjord Foods"
    assert english.body.startswith("Dear Ann Smith,")
    assert "Amount: €250.00" in english.body
    assert dutch.subject == f"Factuur {invoice.number} voor Fjord Foods"
    assert dutch.body.startswith("Beste Daan de Vries,")
    # One delivery per recipient, with its email's subject.
    assert Delivery.objects.count() == 2
    assert {(d.subject, d.email) for d in deliveries} == {
        (english.subject, "ann@example.com"),
        (dutch.subject, "daan@example.nl"),
    }


def test_a_contact_without_a_language_gets_the_organisations(
    customer, editor, settings
):
    settings.ORGANISATION_LANGUAGE = "nl"
    ContactFactory(customer=customer, email="bo@example.com", roles=["invoice"])
    (delivery,) = document_send(document=make_invoice(customer), sent_by=editor)
    assert delivery.subject.startswith("Factuur ")


def test_the_contact_card_gets_the_organisations_language(customer, editor, settings):
    settings.ORGANISATION_LANGUAGE = "nl"
    contact_detail_create(customer=customer, kind="email", value="info@fjord.example")
    shipment = make_document(Shipment, customer, carrier="PostNL")
    with translation.override("en"):
        (delivery,) = document_send(document=shipment, sent_by=editor)
    assert delivery.subject == f"Verzendbericht {shipment.number} voor Fjord Foods"
    assert "Vervoerder: PostNL" in delivery.text


def test_the_preview_shows_each_email_in_its_language(
    client_for, editor, customer, dutch_contact, english_contact
):
    invoice = make_invoice(customer)
    response = client_for(editor).get(url(invoice, "send"))
    emails = response.context["emails"]
    assert [(e.language, e.subject.split()[0]) for e in emails] == [
        ("en", "Invoice"),
        ("nl", "Factuur"),
    ]
    text = page_text(response)
    # The page in the user's language (English), each email in its own.
    assert "goes out as 2 emails" in text
    assert "Language Dutch" in text and "Language English" in text
    assert "Dear Ann Smith," in text and "Beste Daan de Vries," in text
    assert f"Factuur {invoice.number} voor Fjord Foods" in text


def test_the_preview_page_in_dutch_keeps_the_english_email_english(
    client_for, editor, customer, english_contact
):
    invoice = make_invoice(customer)
    text = page_text(client_for(editor).get(url(invoice, "send"), **DUTCH))
    assert f"Factuur {invoice.number} versturen" in text
    assert "Controleer hem en klik dan op Versturen." in text
    assert "Taal" in text and "Engels" in text
    assert f"Invoice {invoice.number} for Fjord Foods" in text
    assert "Dear Ann Smith," in text


def test_the_user_is_told_in_their_language(
    client_for, editor, customer, english_contact
):
    invoice = make_invoice(customer)
    response = client_for(editor).post(url(invoice, "send"), follow=True, **DUTCH)
    text = page_text(response)
    assert f"Factuur {invoice.number} is onderweg naar Ann Smith" in text
    assert Delivery.objects.get().subject.startswith("Invoice ")


def test_recipient_reasons_follow_the_active_language(customer, dutch_contact):
    invoice = make_invoice(customer, dutch_contact)
    with translation.override("nl"):
        [recipient] = document_recipients(document=invoice)
    assert recipient.reason == "toegewezen contactpersoon"
    assert recipient.language == "nl"


@pytest.mark.parametrize("kind", [SalesOrder, Invoice, Shipment])
def test_the_date_input_carries_an_iso_date_in_dutch(
    client_for, editor, customer, kind
):
    client = client_for(editor)
    new = reverse(f"sales:{kind.KIND}_create", args=[customer.pk])
    form = client.get(new, **DUTCH)
    date_input = re.search(r'<input type="date" name="date" value="([^"]*)"', form.text)
    assert date_input is not None
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", date_input.group(1))

    document = make_document(kind, customer=customer)
    edit = client.get(url(document, "update"), **DUTCH)
    assert f'value="{document.date.isoformat()}"' in edit.text
