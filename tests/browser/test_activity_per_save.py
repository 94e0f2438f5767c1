"""One entry of the Activity Log per save, in English and in Dutch: a Contact card
saved with three changes, a contact added with its roles."""

import pytest
from playwright.sync_api import expect

from contacts.models import ContactRole
from contacts.services.card import contact_detail_create
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

WORDS = {
    "en-GB": {
        "username": "Username",
        "password": "Password",
        "sign_in": "Sign in",
        "save": "Save",
        "card": [
            "Changed Email Address sales@fjord.example",
            "Created Telephone +31 20 123 4567",
            "Created Website https://fjord.example",
        ],
        "more": "and 2 more changes",
        "contact": "Created Contact Anna de Vries",
        "roles": ["Order", "Invoice"],
    },
    "nl-NL": {
        "username": "Gebruikersnaam",
        "password": "Wachtwoord",
        "sign_in": "Inloggen",
        "save": "Opslaan",
        "card": [
            "Gewijzigd: E-mailadres sales@fjord.example",
            "Aangemaakt: Telefoon +31 20 123 4567",
            "Aangemaakt: Website https://fjord.example",
        ],
        "more": "en nog 2 wijzigingen",
        "contact": "Aangemaakt: Contactpersoon Anna de Vries",
        "roles": ["Order", "Factuur"],
    },
}


@pytest.fixture(params=list(WORDS))
def language(request):
    return request.param


@pytest.fixture
def page(chromium, live_server, language):
    context = chromium.new_context(base_url=live_server.url, locale=language)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_one_save_is_one_entry_listing_every_change(page, editor, language):
    words = WORDS[language]
    customer = CustomerFactory(name="Fjord Foods B.V.")
    billing_address(customer, country="NL")
    contact_detail_create(customer=customer, kind="email", value="info@fjord.example")
    page.goto("/accounts/login/")
    page.get_by_label(words["username"]).fill("editor")
    page.get_by_label(words["password"]).fill("secret-password")
    page.get_by_role("button", name=words["sign_in"]).click()
    page.wait_for_url("**/customers/")

    # The Contact card's window as a page: three changes, one Save.
    page.goto(f"/customers/{customer.pk}/contact-details/edit/")
    page.locator("[name=email]").fill("sales@fjord.example")
    page.locator("[name=telephone]").fill("020 123 4567")
    page.locator("[name=website]").fill("fjord.example")
    page.get_by_role("button", name=words["save"], exact=True).click()
    page.wait_for_url(f"**/customers/{customer.pk}/")

    # A contact added with two roles.
    page.goto(f"/customers/{customer.pk}/contacts/new/")
    page.locator("[name=first_name]").fill("Anna")
    page.locator("[name=last_name]").fill("de Vries")
    page.locator("[name=email]").fill("anna@fjord.example")
    page.locator("[name=phone]").fill("06 12345678")
    page.locator("[name=job_title]").fill("Buyer")
    page.locator("[name=department]").fill("Purchasing")
    for role in ContactRole.objects.filter(code__in=["order", "invoice"]):
        page.locator(f"[name=roles][value='{role.pk}']").check()
    page.get_by_role("button", name=words["save"], exact=True).click()
    page.wait_for_url(f"**/customers/{customer.pk}/contacts/")

    page.goto(f"/customers/{customer.pk}/activity/")
    entries = page.locator(".activity-entry")
    # The contact, the card's save, then what the test made before (the customer,
    # its address, the email address, one entry each).
    expect(entries).to_have_count(5)
    added, card = entries.nth(0), entries.nth(1)
    expect(added.get_by_role("heading", level=3)).to_contain_text(words["contact"])
    expect(added.get_by_role("heading", level=4)).to_have_count(0)
    for role in words["roles"]:
        expect(added.get_by_role("definition").last).to_contain_text(role)
    expect(card.get_by_role("heading", level=3)).to_contain_text(
        f"{words['card'][0]} {words['more']}"
    )
    expect(card.get_by_role("heading", level=4)).to_have_text(words["card"])
    expect(card).to_contain_text("info@fjord.example → sales@fjord.example")
