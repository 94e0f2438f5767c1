"""At a phone's width the customer list and Possible duplicates stack one card per
row, with every cell in view and named; phone numbers never break inside, email
addresses break at their dots and @; every phone is a tel: link with its E.164
number and every email a mailto: link. In Chromium."""

import pytest
from playwright.sync_api import expect

from contacts.services.links import contact_create
from tests.contacts.factories import ContactDetailFactory
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

LONG_EMAIL = "accounts.payable@cedartextilesbv.example"


@pytest.fixture
def cedar():
    customer = CustomerFactory(name="Cedar Textiles B.V.")
    billing_address(customer, country="FR", city="Marseille")
    ContactDetailFactory(customer=customer, value=LONG_EMAIL, is_primary=True)
    ContactDetailFactory(
        customer=customer, kind="telephone", value="+33123456789", is_primary=True
    )
    return customer


def assert_nothing_sideways(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # No table scrolls inside its frame either: everything is in view.
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('.table-wrap')]
             .filter(w => w.scrollWidth > w.clientWidth + 1).length"""
    )
    assert overflowing == 0


def assert_on_one_line(link):
    """The link's text takes one line: its height is that of one line of text."""
    lines = link.evaluate("""a => { const r = a.getClientRects(); return r.length; }""")
    assert lines == 1, f"{link.inner_text()} breaks over {lines} lines"


@pytest.mark.parametrize("width", [320, 360, 1280])
def test_the_customer_list_stacks_on_a_phone_and_links_phone_and_email(
    page, sign_in, viewer, cedar, width
):
    page.set_viewport_size({"width": width, "height": 800})
    sign_in("viewer")
    assert_nothing_sideways(page, width)
    row = page.get_by_role("row").filter(has_text="Cedar Textiles B.V.")
    phone = row.get_by_role("link", name="+33 1 23 45 67 89")
    expect(phone).to_have_attribute("href", "tel:+33123456789")
    expect(phone).to_be_in_viewport()
    assert_on_one_line(phone)
    email = row.get_by_role("link", name=LONG_EMAIL)
    expect(email).to_have_attribute("href", f"mailto:{LONG_EMAIL}")
    expect(email).to_be_in_viewport()
    expect(row.get_by_text("France")).to_be_in_viewport()
    if width < 640:
        # Each cell says its column; the sort links stay in view.
        expect(row.locator('td[data-label="Country"]')).to_have_text("France")
        expect(page.get_by_role("link", name="Country")).to_be_in_viewport()


@pytest.mark.parametrize("width", [320, 360])
def test_possible_duplicates_stack_on_a_phone_with_merge_in_view(
    page, sign_in, manager, cedar, width
):
    contact_create(
        customer=cedar,
        first_name="David",
        last_name="Smith",
        email="david.smith@cedartextilesbv.example",
        phone="+33612345678",
    )
    contact_create(customer=cedar, first_name="Davi", last_name="Smith")
    page.set_viewport_size({"width": width, "height": 800})
    sign_in("manager")
    page.goto("/contacts/duplicates/")
    assert_nothing_sideways(page, width)
    table = page.get_by_role("table", name="Possible duplicates")
    expect(table.get_by_role("link", name="Merge")).to_be_in_viewport()
    expect(table.get_by_role("button", name="Not a duplicate")).to_be_in_viewport()
    phone = table.get_by_role("link", name="+33 6 12 34 56 78")
    expect(phone).to_have_attribute("href", "tel:+33612345678")
    assert_on_one_line(phone)
    expect(
        table.get_by_role("link", name="david.smith@cedartextilesbv.example")
    ).to_have_attribute("href", "mailto:david.smith@cedartextilesbv.example")
