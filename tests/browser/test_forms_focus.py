"""Forms in Chromium: the required mark on First name, the focus on the error summary
after a refused save on a page (its links at least 24 × 24 px), and the focus back on
✎ Change after the card window saved. In English and Dutch where words are shown."""

import pytest
from playwright.sync_api import expect

from contacts.models import Contact
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

WORDS = {
    "en": {
        "locale": "en-GB",
        "first_name": "First name",
        "note": "Fields marked * are required.",
        "save": "Save",
        "nothing_saved": "Nothing was saved",
    },
    "nl": {
        "locale": "nl-NL",
        "first_name": "Voornaam",
        "note": "Velden met * zijn verplicht.",
        "save": "Opslaan",
        "nothing_saved": "Er is niets opgeslagen",
    },
}


@pytest.fixture
def customer():
    customer = CustomerFactory(name="Fjord Voeding B.V.")
    billing_address(customer, country="NL")
    return customer


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_refused_contact_shows_the_required_mark_and_focuses_the_summary(
    chromium, live_server, editor, customer, language
):
    words = WORDS[language]
    context = chromium.new_context(base_url=live_server.url, locale=words["locale"])
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("editor")
    page.locator("#id_password").fill("secret-password")
    page.locator("form[action] button[type=submit]").last.click()
    page.wait_for_url("**/customers/")
    page.goto(f"/customers/{customer.pk}/contacts/new/")

    expect(page.get_by_text(words["note"])).to_be_visible()
    label = page.locator("label", has_text=words["first_name"])
    mark = label.evaluate("l => getComputedStyle(l, '::after').content")
    assert mark == '" *"'

    page.get_by_role("button", name=words["save"], exact=True).click()
    summary = page.get_by_role("alert").filter(has_text=words["nothing_saved"])
    expect(summary).to_be_focused()
    link = summary.get_by_role("link").first
    box = link.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    link.click()
    expect(page.get_by_label(words["first_name"])).to_be_focused()
    assert not Contact.objects.exists()
    context.close()


def test_after_the_card_window_saves_the_focus_is_back_on_change(
    page, sign_in, editor, customer
):
    sign_in("editor")
    page.goto(customer.get_absolute_url())
    change = page.get_by_role("region", name="Contact", exact=True).get_by_role(
        "link", name="Change"
    )
    change.click()
    window = page.get_by_role("region", name="Change contact details")
    window.get_by_label("Email Address", exact=True).fill("info@fjord.example")
    window.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The contact details were saved.")).to_be_visible()
    expect(change).to_be_focused()
