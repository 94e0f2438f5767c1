"""A viewer opens a person's page from a customer's Contacts tab, in English and in
Dutch."""

import pytest
from playwright.sync_api import expect

# The browser asks for the language (its locale): the walkthrough's fixtures.
from tests.browser.test_languages_flow import (  # noqa: F401
    english_left_on,
    language,
    page,
)
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

WORDS = {
    "en": {
        "username": "Username",
        "password": "Password",
        "sign_in": "Sign in",
        "customer_tabs": "Customer",
        "contacts_tab": "Contacts",
        "contacts_table": "Contacts",
        "links_table": "Customers this person is a contact of",
        "invoice_role": "Invoice",
        "order_role": "Order",
    },
    "nl": {
        "username": "Gebruikersnaam",
        "password": "Wachtwoord",
        "sign_in": "Inloggen",
        "customer_tabs": "Klant",
        "contacts_tab": "Contactpersonen",
        "contacts_table": "Contactpersonen",
        "links_table": "Klanten waarvan deze persoon contactpersoon is",
        "invoice_role": "Factuur",
        "order_role": "Order",
    },
}


def test_a_viewer_opens_the_person_page_from_the_contacts_tab(
    page,  # noqa: F811
    language,  # noqa: F811
    viewer,
):
    words = WORDS[language]
    alpha = CustomerFactory(name="Alpha BV")
    petra = ContactFactory(
        customer=alpha, first_name="Petra", last_name="Visser", roles=["invoice"]
    )
    ContactFactory(
        customer=CustomerFactory(name="Beta BV"),
        person=petra.person,
        first_name="Petra",
        last_name="Visser",
        email="p.visser@beta.example",
        roles=["order"],
    )

    page.goto("/accounts/login/")
    page.get_by_label(words["username"]).fill("viewer")
    page.get_by_label(words["password"]).fill("secret-password")
    page.get_by_role("button", name=words["sign_in"]).click()
    page.wait_for_url("**/customers/")
    page.goto(f"/customers/{alpha.pk}/")
    page.get_by_role("navigation", name=words["customer_tabs"]).get_by_role(
        "link", name=words["contacts_tab"]
    ).click()
    page.get_by_role("table", name=words["contacts_table"]).get_by_role(
        "link", name="Petra Visser"
    ).click()

    expect(page.get_by_role("heading", name="Petra Visser", level=1)).to_be_visible()
    links = page.get_by_role("table", name=words["links_table"])
    alpha_row = links.get_by_role("row").filter(has_text="Alpha BV")
    beta_row = links.get_by_role("row").filter(has_text="Beta BV")
    expect(alpha_row.get_by_text(words["invoice_role"])).to_be_visible()
    expect(beta_row.get_by_text(words["order_role"])).to_be_visible()
    expect(beta_row.get_by_text("p.visser@beta.example")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == language
    if language == "nl":
        assert english_left_on(page) == []
