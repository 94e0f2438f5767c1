"""A sales document made and changed in Dutch: a date input carries an ISO date
whatever the page's language, so the form keeps its date and saves."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sales.models import Invoice, Shipment
from tests.customers.factories import CustomerFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="nl-NL")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def sign_in_in_dutch(page):
    page.goto("/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill("editor")
    page.get_by_label("Wachtwoord").fill("secret-password")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/customers/")


def test_an_invoice_is_made_and_changed_in_dutch(page, editor):
    customer = CustomerFactory(name="Fjord Voeding B.V.")
    sign_in_in_dutch(page)

    page.goto(f"/customers/{customer.pk}/invoices/new/")
    date = page.get_by_label("Datum")
    expect(date).to_have_value(timezone.localdate().isoformat())
    page.get_by_label("Referentie").fill("PO-4711")
    page.get_by_label("Bedrag").fill("1.250,50")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Factuur INV-00001 is aangemaakt.")).to_be_visible()
    invoice = Invoice.objects.get()
    assert invoice.date == timezone.localdate()

    assert invoice.amount == Decimal("1250.50")

    page.get_by_role("link", name="Wijzigen").click()
    expect(page.get_by_label("Datum")).to_have_value(invoice.date.isoformat())
    # The amount in the Dutch way, as the pages write it.
    expect(page.get_by_label("Bedrag")).to_have_value("1.250,50")
    page.get_by_label("Datum").fill("2026-01-06")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Factuur INV-00001 is opgeslagen.")).to_be_visible()
    invoice.refresh_from_db()
    assert invoice.date == datetime.date(2026, 1, 6)
    assert invoice.reference == "PO-4711"


def test_a_shipment_is_made_in_dutch_with_its_default_date(page, editor):
    customer = CustomerFactory(name="Fjord Voeding B.V.")
    sign_in_in_dutch(page)

    page.goto(f"/customers/{customer.pk}/shipments/new/")
    page.get_by_label("Vervoerder").fill("PostNL")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("is aangemaakt.")).to_be_visible()
    assert Shipment.objects.get().date == timezone.localdate()
