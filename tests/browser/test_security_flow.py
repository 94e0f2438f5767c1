"""The Content-Security-Policy in Chromium: the pages and the Django admin work under
it and the browser reports no violation; a locked-out sign-in says when to retry."""

import pytest
from playwright.sync_api import expect

from tests.contacts.factories import ContactDetailFactory
from tests.customers.factories import CustomerFactory, billing_address
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def violations(page):
    """What Chromium refused because of the policy, as it reports it on the console."""
    refused = []

    def note(message):
        if "Content Security Policy" in message.text:
            refused.append(f"{page.url}: {message.text}")

    page.on("console", note)
    return refused


def test_the_pages_and_their_dialog_work_under_the_policy(
    page, sign_in, editor, violations
):
    customer = CustomerFactory(name="Fjord Foods B.V.")
    billing_address(customer, "NL")
    ContactDetailFactory(customer=customer, is_primary=True)
    sign_in("editor")
    page.goto(customer.get_absolute_url())

    # app.js opens the editing window as a dialog: the script ran.
    page.get_by_role("region", name="Contact").get_by_role(
        "link", name="Change"
    ).click()
    expect(page.get_by_role("dialog")).to_be_visible()
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("group", name="Additional detail 1")).to_be_visible()
    page.goto(f"/customers/{customer.pk}/contacts/")
    page.goto("/no-such-page/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()

    assert violations == []


def test_the_admin_works_under_the_policy(page, sign_in, violations):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    customer = CustomerFactory(name="Fjord Foods B.V.")
    billing_address(customer, "NL")
    sign_in("root")

    page.goto(f"/admin/customers/customer/{customer.pk}/change/")
    # The inlines' "Add another" button is made by the admin's inlines.js.
    add_another = page.get_by_role("button", name="Add another Address")
    expect(add_another).to_be_visible()
    rows = page.locator(".dynamic-addresses")
    before = rows.count()
    add_another.click()
    expect(rows).to_have_count(before + 1)
    # The navigation sidebar's filter is the admin's nav_sidebar.js.
    page.goto("/admin/customers/customer/")
    expect(page.get_by_role("button", name="Toggle navigation")).to_be_visible()
    page.get_by_role("button", name="Toggle navigation").click()
    page.goto(f"/admin/customers/customer/{customer.pk}/history/")
    expect(page.get_by_role("heading", name="View history")).to_be_visible()

    assert violations == []


def test_a_locked_out_user_is_told_when_to_try_again(page, settings):
    UserFactory(username="vera", password="the-right-password")
    page.goto("/accounts/login/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Username").fill("vera")
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Sign in").click()

    page.get_by_label("Password").fill("the-right-password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Too many failed sign-ins for this user from your address. Try again at"
    )
    expect(page.get_by_role("alert")).to_contain_text("(in 15 minutes)")
    assert page.url.endswith("/accounts/login/")
