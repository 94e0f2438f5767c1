"""The same walkthrough in Chromium in English and in Dutch: add a contact with
roles, edit the contact card, read the Activity Log, refuse an invalid phone number.
The browser asks for the language (its locale sets Accept-Language). On the Dutch
pages no English word of the product may be left: each page's text, and the names and
hints only some readers meet (aria-label, placeholder, title, alt), are scanned for
every English string of the catalogue that no Dutch string holds."""

import re
from functools import cache
from pathlib import Path

import polib
import pytest
from django.conf import settings
from playwright.sync_api import expect

from contacts.models import Contact
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# What a person reads and clicks, in each language.
WORDS = {
    "en": {
        "locale": "en-GB",
        "username": "Username",
        "password": "Password",
        "sign_in": "Sign in",
        "main": "Main",
        "customers": "Customers",
        "customer_tabs": "Customer",
        "contacts_tab": "Contacts",
        "add_contact": "Add contact",
        "first_name": "First name",
        "last_name": "Last name",
        "email": "Email address",
        "phone": "Phone number",
        "invoice_role": "Invoice",
        "primary_role": "Primary",
        "save": "Save",
        "added": "Contact Anna de Vries was added.",
        "phone_refused": "This is a mobile number in Netherlands (+31) with one digit "
        "too many.",
        "contacts_table": "Contacts",
        "card": "Contact",
        "change": "Change",
        "window": "Change contact details",
        "card_email": "Email Address",
        "card_saved": "The contact details were saved.",
        "activity_tab": "Activity",
        "created_contact": "Created Contact Anna de Vries",
        "changed_details": "Email Address",
    },
    "nl": {
        "locale": "nl-NL",
        "username": "Gebruikersnaam",
        "password": "Wachtwoord",
        "sign_in": "Inloggen",
        "main": "Hoofdmenu",
        "customers": "Klanten",
        "customer_tabs": "Klant",
        "contacts_tab": "Contactpersonen",
        "add_contact": "Contactpersoon toevoegen",
        "first_name": "Voornaam",
        "last_name": "Achternaam",
        "email": "E-mailadres",
        "phone": "Telefoonnummer",
        "invoice_role": "Factuur",
        "primary_role": "Primair",
        "save": "Opslaan",
        "added": "Contactpersoon Anna de Vries is toegevoegd.",
        "phone_refused": "Dit is een mobiel nummer in Nederland (+31) met één cijfer "
        "te veel.",
        "contacts_table": "Contactpersonen",
        "card": "Contact",
        "change": "Wijzigen",
        "window": "Contactgegevens van",
        "card_email": "E-mailadres",
        "card_saved": "De contactgegevens zijn opgeslagen.",
        "activity_tab": "Activiteit",
        "created_contact": "Aangemaakt: Contactpersoon Anna de Vries",
        "changed_details": "E-mailadres",
    },
}

# Django's own words on the product's pages (its Dutch catalogue translates them).
DJANGO_WORDS = ["This field is required.", "Username", "Password"]


@cache
def english_words() -> tuple[str, ...]:
    """Every English string of the catalogue, as a reader meets it (split at its
    placeholders), that no Dutch string of the catalogue holds."""
    catalogue = polib.pofile(
        Path(settings.LOCALE_PATHS[0]) / "nl" / "LC_MESSAGES" / "django.po"
    )
    entries = catalogue.translated_entries()
    dutch = "\n".join(
        text for e in entries for text in [e.msgstr, *e.msgstr_plural.values()]
    )
    words = set(DJANGO_WORDS)
    for entry in entries:
        for part in re.split(r"%\(\w+\)[sd]|%[sd]", entry.msgid):
            part = part.strip(" .,:;()–-…“”\"'")
            # A part Dutch writes the same ("Contact", "in", "Website") proves nothing.
            if len(re.findall(r"[A-Za-z]", part)) >= 2 and not _whole(part, dutch):
                words.add(part)
    return tuple(sorted(words, key=len, reverse=True))


def _whole(word: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


def english_left_on(page) -> list[str]:
    """The product's English words on the page, where a Dutch reader meets them: its
    text, shown or hidden (a closed dialog, a screen reader's hint), and its names."""
    text = page.evaluate(
        """() => {
            // What is marked as another language (the language choice's "English")
            // may be in it.
            const body = document.body.cloneNode(true);
            body.querySelectorAll('[lang]').forEach(e => e.remove());
            body.querySelectorAll('script, style').forEach(e => e.remove());
            const hints = [...body.querySelectorAll(
                '[aria-label],[placeholder],[title],[alt]')].flatMap(
                e => ['aria-label', 'placeholder', 'title', 'alt'].map(
                    a => e.getAttribute(a) || ''));
            return [document.title, body.textContent, ...hints].join('\\n');
        }"""
    )
    return [word for word in english_words() if _whole(word, text)]


@pytest.fixture(params=["en", "nl"])
def language(request):
    return request.param


@pytest.fixture
def page(chromium, live_server, language):
    context = chromium.new_context(
        base_url=live_server.url, locale=WORDS[language]["locale"]
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_the_walkthrough_in_the_browsers_language(page, language, editor):
    words = WORDS[language]
    customer = CustomerFactory(name="Fjord Voeding B.V.")
    billing_address(customer, country="NL")

    def check(where):
        assert page.locator("html").get_attribute("lang") == language
        if language == "nl":
            assert english_left_on(page) == [], f"English on the {where} page"

    page.goto("/accounts/login/")
    check("sign-in")
    page.get_by_label(words["username"]).fill("editor")
    page.get_by_label(words["password"]).fill("secret-password")
    page.get_by_role("button", name=words["sign_in"]).click()
    page.wait_for_url("**/customers/")
    check("customer list")

    # Add a contact with roles; an invalid phone number is refused at its field.
    page.get_by_role("link", name="Fjord Voeding B.V.").click()
    check("overview")
    page.get_by_role("navigation", name=words["customer_tabs"]).get_by_role(
        "link", name=words["contacts_tab"], exact=True
    ).click()
    check("contacts")
    page.get_by_role("link", name=words["add_contact"]).click()
    check("add contact")
    page.get_by_label(words["first_name"]).fill("Anna")
    page.get_by_label(words["last_name"]).fill("de Vries")
    page.get_by_label(words["email"]).fill("anna@fjord.example")
    page.get_by_label(words["phone"]).fill("06 123456789")
    expect(page.get_by_label(words["primary_role"])).to_be_checked()
    page.get_by_label(words["invoice_role"]).check()
    page.get_by_role("button", name=words["save"]).click()
    expect(page.get_by_text(words["phone_refused"], exact=True)).to_be_visible()
    check("refused contact")
    assert not Contact.objects.exists()
    page.get_by_label(words["phone"]).fill("06 12345678")
    page.get_by_role("button", name=words["save"]).click()
    expect(page.get_by_text(words["added"])).to_be_visible()
    row = (
        page.get_by_role("table", name=words["contacts_table"])
        .get_by_role("row")
        .filter(has_text="Anna de Vries")
    )
    expect(row.get_by_text(words["primary_role"])).to_be_visible()
    expect(row.get_by_text(words["invoice_role"])).to_be_visible()
    check("contacts with Anna")

    # Edit the contact card.
    page.goto(customer.get_absolute_url())
    page.get_by_role("region", name=words["card"]).get_by_role(
        "link", name=words["change"]
    ).click()
    window = page.get_by_role("region", name=words["window"])
    expect(window).to_be_visible()
    check("contact card window")
    window.get_by_label(words["card_email"], exact=True).fill("info@fjord.example")
    window.get_by_role("button", name=words["save"]).click()
    expect(page.get_by_text(words["card_saved"])).to_be_visible()
    check("overview after saving the card")

    # Read the Activity Log.
    page.get_by_role("navigation", name=words["customer_tabs"]).get_by_role(
        "link", name=words["activity_tab"]
    ).click()
    expect(
        page.get_by_role("listitem").filter(has_text=words["created_contact"])
    ).to_have_count(1)
    expect(page.get_by_text(words["changed_details"]).first).to_be_visible()
    check("activity log")
