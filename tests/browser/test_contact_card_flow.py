"""The Contact card in Chromium, as the help page describes it: with JavaScript the
editing window is a dialog on the Overview, without it a page of its own."""

import pytest
from playwright.sync_api import expect

from tests.customers.factories import CustomerFactory, billing_address

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(params=[True, False], ids=["dialog", "no-javascript"])
def page(request, chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, java_script_enabled=request.param
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.javascript = request.param
    yield page
    context.close()


def open_window(page):
    page.get_by_role("region", name="Contact").get_by_role(
        "link", name="Change"
    ).click()
    window = page.get_by_role("region", name="Change contact details")
    expect(window).to_be_visible()
    if page.javascript:
        expect(page.get_by_role("dialog")).to_be_visible()
    return window


def add_row(window, number, kind, value, description):
    window.get_by_role("button", name="Add", exact=True).click()
    row = window.get_by_role("group", name=f"Additional detail {number}", exact=True)
    row.get_by_label("Type").select_option(kind)
    row.get_by_label("Value").fill(value)
    row.get_by_label("Description").fill(description)


def test_an_editor_fills_the_contact_card(page, sign_in, editor):
    customer = CustomerFactory(name="Fjord Foods B.V.")
    billing_address(customer, "NL")
    sign_in("editor")
    page.goto(customer.get_absolute_url())
    card = page.get_by_role("region", name="Contact")
    expect(card.get_by_text("No contact details yet.")).to_be_visible()

    # Step 1 and 2: open the window, fill primary fields and add two rows.
    window = open_window(page)
    window.get_by_label("Email Address", exact=True).fill("info@fjord.example")
    window.get_by_label("Description of Email Address").fill("General enquiries")
    window.get_by_label("Telephone", exact=True).fill("020 111 2222")
    add_row(window, 1, "Email Address", "billing@fjord.example", "Billing Contact")
    add_row(window, 2, "Telephone", "020 123 4567", "Billing Contact")

    # Step 3: Save stores everything at once.
    window.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The contact details were saved.")).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(card.get_by_role("link", name="info@fjord.example")).to_have_attribute(
        "href", "mailto:info@fjord.example"
    )
    billing = card.get_by_role("region", name="Billing Contact")
    expect(billing.get_by_role("link", name="billing@fjord.example")).to_be_visible()
    expect(billing.get_by_role("link", name="+31 20 123 4567")).to_have_attribute(
        "href", "tel:+31201234567"
    )

    # The description of the primary email sits behind its info icon.
    info = card.get_by_role("button", name="Description of Email Address")
    tooltip = card.get_by_role("tooltip")
    expect(tooltip).to_be_hidden()
    info.hover()
    expect(tooltip).to_have_text("General enquiries")
    expect(tooltip).to_be_visible()
    page.mouse.move(0, 0)
    expect(tooltip).to_be_hidden()
    info.focus()
    expect(tooltip).to_be_visible()
    expect(info).to_have_accessible_description("General enquiries")
    # It opens below its value and pushes the next row down: it covers nothing.
    below = card.get_by_role("term").filter(has_text="Telephone").first
    assert (
        tooltip.bounding_box()["y"] + tooltip.bounding_box()["height"]
        <= (below.bounding_box()["y"])
    )
    if page.javascript:
        # Escape closes it without moving the focus (WCAG 1.4.13); it shows again
        # once the focus has left and come back.
        page.keyboard.press("Escape")
        expect(tooltip).to_be_hidden()
        expect(info).to_be_focused()
        page.keyboard.press("Shift+Tab")
        info.focus()
        expect(tooltip).to_be_visible()

    # Cancel discards every change.
    window = open_window(page)
    window.get_by_label("Email Address", exact=True).fill("changed@fjord.example")
    window.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("region", name="Change contact details")).to_have_count(0)
    expect(card.get_by_role("link", name="info@fjord.example")).to_be_visible()
    window = open_window(page)
    expect(window.get_by_label("Email Address", exact=True)).to_have_value(
        "info@fjord.example"
    )

    # An invalid email is refused at its field, the typed value kept; a summary at
    # the top lists the errors and the first field in error has the focus.
    window.get_by_label("Email Address", exact=True).fill("info@@fjord.example")
    window.get_by_label("Mobile Phone", exact=True).fill("06 123456789")
    window.get_by_role("button", name="Save").click()
    window = page.get_by_role("region", name="Change contact details")
    summary = window.get_by_role("alert")
    expect(summary).to_contain_text("Nothing was saved: correct the 2 errors below.")
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Email Address: This address has 2 @ signs: an email address has exactly "
            "one.",
            "Mobile Phone: This is a mobile number in Netherlands (+31) with one digit "
            "too many.",
        ]
    )
    email = window.get_by_label("Email Address", exact=True)
    expect(email).to_be_focused()
    expect(email).to_have_value("info@@fjord.example")
    expect(window.get_by_label("Mobile Phone", exact=True)).to_have_value(
        "06 123456789"
    )
    # Each line of the summary leads to its field.
    summary.get_by_role("link", name="Mobile Phone:").click()
    expect(window.get_by_label("Mobile Phone", exact=True)).to_be_focused()
    expect(window.get_by_role("button", name="Save")).to_be_in_viewport()
    expect(
        window.get_by_role("group", name="Additional detail 1").get_by_label("Value")
    ).to_have_value("billing@fjord.example")
    page.goto(customer.get_absolute_url())
    expect(card.get_by_role("link", name="info@fjord.example")).to_be_visible()


def test_a_viewer_sees_the_card_without_change(page, sign_in, viewer):
    customer = CustomerFactory(name="Granite Ltd")
    sign_in("viewer")
    page.goto(customer.get_absolute_url())
    card = page.get_by_role("region", name="Contact")
    expect(card.get_by_text("No contact details yet.")).to_be_visible()
    expect(card.get_by_role("link", name="Change")).to_have_count(0)
