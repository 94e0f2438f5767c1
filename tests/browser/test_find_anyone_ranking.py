"""Find anyone in Chromium: a number typed nationally lists the organisation's
country first, and the query shows once on the results page."""

import pytest
from playwright.sync_api import expect

from contacts.services.links import contact_create
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_national_number_finds_the_dutch_contact_first(
    page, sign_in, viewer, settings
):
    settings.ORGANISATION_COUNTRY = "NL"
    alder = CustomerFactory(name="Alder Foods SARL")
    billing_address(alder, country="FR")
    zeeland = CustomerFactory(name="Zeeland Handel B.V.")
    billing_address(zeeland, country="NL")
    contact_create(customer=alder, first_name="Amélie", phone="+33612345678")
    contact_create(customer=zeeland, first_name="Zoë", phone="+31612345678")
    sign_in("viewer")

    search = page.get_by_role("search", name="Find anyone")
    search.get_by_label("Find anyone").fill("06 12345678")
    search.get_by_role("button", name="Find").click()

    people = page.get_by_role("region", name="Contact persons")
    expect(people.get_by_role("listitem")).to_have_count(2)
    expect(people.get_by_role("listitem").first).to_contain_text("Zoë")
    expect(people.get_by_role("listitem").last).to_contain_text("Amélie")
    # Typed once: in the page's own search field, the header's stays empty.
    expect(page.locator("#search-page-q")).to_have_value("06 12345678")
    expect(search.get_by_label("Find anyone")).to_have_value("")
