"""Sales staff add someone who is a contact of another customer already: Add
contact, find her by her phone number, pick her, type her work details here, Save;
in English and in Dutch."""

import pytest
from playwright.sync_api import expect

# The browser asks for the language (its locale): the walkthrough's fixtures.
from tests.browser.test_languages_flow import (  # noqa: F401
    english_left_on,
    language,
    page,
)
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

WORDS = {
    "en": {
        "username": "Username",
        "password": "Password",
        "sign_in": "Sign in",
        "add_contact": "Add contact",
        "existing": "An existing person",
        "search": "Name, email or phone",
        "search_form": "Find a person",
        "find": "Search",
        "found": "Persons found",
        "pick": "Add Petra Visser",
        "heading": "Add Petra Visser as a contact",
        "job_title": "Job title",
        "save": "Save",
        "added": "Contact Petra Visser was added.",
        "contacts_table": "Contacts",
    },
    "nl": {
        "username": "Gebruikersnaam",
        "password": "Wachtwoord",
        "sign_in": "Inloggen",
        "add_contact": "Contactpersoon toevoegen",
        "existing": "Een bestaande persoon",
        "search": "Naam, e-mail of telefoon",
        "search_form": "Een persoon zoeken",
        "find": "Zoeken",
        "found": "Gevonden personen",
        "pick": "Petra Visser toevoegen",
        "heading": "Voeg Petra Visser toe als contactpersoon",
        "job_title": "Functie",
        "save": "Opslaan",
        "added": "Contactpersoon Petra Visser is toegevoegd.",
        "contacts_table": "Contactpersonen",
    },
}


def test_staff_add_an_existing_person_found_by_phone(
    page,  # noqa: F811
    language,  # noqa: F811
    editor,
):
    words = WORDS[language]
    alpha = CustomerFactory(name="Alpha BV")
    billing_address(alpha, country="NL")
    petra = ContactFactory(
        customer=alpha,
        first_name="Petra",
        last_name="Visser",
        phone="+31612345678",
    ).person
    ContactFactory(customer=alpha, first_name="Piet", last_name="Visser")
    fjord = CustomerFactory(name="Fjord Foods B.V.")
    billing_address(fjord, country="NL")

    page.goto("/accounts/login/")
    page.get_by_label(words["username"]).fill("editor")
    page.get_by_label(words["password"]).fill("secret-password")
    page.get_by_role("button", name=words["sign_in"]).click()
    page.wait_for_url("**/customers/")
    page.goto(f"/customers/{fjord.pk}/contacts/")
    page.get_by_role("link", name=words["add_contact"]).click()

    expect(page.get_by_role("heading", name=words["existing"])).to_be_visible()
    search = page.get_by_role("search", name=words["search_form"])
    search.get_by_label(words["search"]).fill("06-1234 5678")
    search.get_by_role("button", name=words["find"]).click()
    found = page.get_by_role("list", name=words["found"])
    expect(found.get_by_role("listitem")).to_have_count(1)
    expect(found).to_contain_text("Alpha BV")
    if language == "nl":
        assert english_left_on(page) == [], "English on the search"
    found.get_by_role("link", name=words["pick"]).click()

    expect(page.get_by_role("heading", name=words["heading"])).to_be_visible()
    # The name is the person's: shown, not a field.
    expect(page.get_by_role("textbox", name="First name")).to_have_count(0)
    page.get_by_label(words["job_title"]).fill("Controller")
    if language == "nl":
        assert english_left_on(page) == [], "English on the form"
    page.get_by_role("button", name=words["save"], exact=True).click()

    expect(page.get_by_text(words["added"])).to_be_visible()
    table = page.get_by_role("table", name=words["contacts_table"])
    expect(
        table.get_by_role("link", name="Petra Visser", exact=True)
    ).to_have_attribute("href", f"/contacts/persons/{petra.pk}/")
    link = fjord.contacts.get()
    assert (link.person_id, link.job_title) == (petra.pk, "Controller")
    assert page.locator("html").get_attribute("lang") == language
