"""The help page's steps for contact persons, word for word, in Chromium."""

import pytest
from playwright.sync_api import expect

from contacts.models import Contact
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_staff_add_change_and_delete_a_contact_with_roles(page, sign_in, editor):
    customer = CustomerFactory(name="Fjord Foods B.V.")
    billing_address(customer, country="NL")
    sign_in("editor")

    # 1. Navigate to Sales → Customers and select the customer.
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_text("Sales", exact=True)).to_be_visible()
    nav.get_by_role("link", name="Customers").click()
    page.get_by_role("link", name="Fjord Foods B.V.").click()
    expect(page.get_by_role("heading", name="Fjord Foods B.V.")).to_be_visible()

    # 2. Go to the Contacts tab and click Add contact.
    page.get_by_role("navigation", name="Customer").get_by_role(
        "link", name="Contacts"
    ).click()
    expect(page.get_by_text("This customer has no contacts yet.")).to_be_visible()
    expect(page.get_by_text("We recommend assigning one")).to_be_visible()
    page.get_by_role("link", name="Add contact").click()

    # 3. Enter the contact details.
    page.get_by_label("First name").fill("Anna")
    page.get_by_label("Last name").fill("de Vries")
    page.get_by_label("Email address").fill("anna@fjord.example.com")
    page.get_by_label("Phone number").fill("06 12345678")
    page.get_by_label("Job title").fill("Buyer")
    page.get_by_label("Department").fill("Purchasing")

    # 4. Assign one or more contact roles: the first contact has Primary proposed.
    expect(page.get_by_label("Primary")).to_be_checked()
    page.get_by_label("Invoice").check()

    # 5. Click Save: saved at once, said so, and on the Contacts tab with its roles.
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Contact Anna de Vries was added.")).to_be_visible()
    row = (
        page.get_by_role("table", name="Contacts")
        .get_by_role("row")
        .filter(has_text="Anna de Vries")
    )
    expect(row.get_by_text("Primary")).to_be_visible()
    expect(row.get_by_text("Invoice")).to_be_visible()
    expect(row.get_by_text("+31 6 12345678")).to_be_visible()
    expect(page.get_by_text("We recommend assigning one")).to_have_count(0)
    contact = Contact.objects.get(customer=customer)
    assert contact.phone == "+31612345678"

    # Select the contact, change it and Save: applies at once.
    page.get_by_role("link", name="Change Anna de Vries").click()
    expect(page.get_by_label("Phone number")).to_have_value("+31 6 12345678")
    page.get_by_label("Job title").fill("Head of Purchasing")
    page.get_by_label("Primary").uncheck()
    page.get_by_label("Shipment").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Contact Anna de Vries was saved.")).to_be_visible()
    row = (
        page.get_by_role("table", name="Contacts")
        .get_by_role("row")
        .filter(has_text="Anna de Vries")
    )
    expect(row.get_by_text("Head of Purchasing")).to_be_visible()
    expect(row.get_by_text("Shipment")).to_be_visible()
    expect(row.get_by_text("Primary")).to_have_count(0)
    expect(page.get_by_text("We recommend assigning one")).to_be_visible()

    # Select the contact and Delete it after a confirmation.
    page.get_by_role("link", name="Change Anna de Vries").click()
    page.get_by_role("link", name="Delete").click()
    expect(page.get_by_text("Delete the contact Anna de Vries?")).to_be_visible()
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Contact Anna de Vries was deleted.")).to_be_visible()
    expect(page.get_by_text("This customer has no contacts yet.")).to_be_visible()
    assert not Contact.objects.exists()


def test_refused_input_stays_as_typed(page, sign_in, editor):
    customer = CustomerFactory(name="Granite Ltd")
    billing_address(customer, country="GB", city="London")
    sign_in("editor")
    page.goto(f"/customers/{customer.pk}/contacts/new/")
    page.get_by_label("First name").fill("Oliver")
    page.get_by_label("Email address").fill("oliver@granite")
    page.get_by_label("Phone number").fill("020 7946")
    page.get_by_label("Order").check()
    page.get_by_role("button", name="Save").click()
    # At each field, and in the summary above the form, each leading to its field.
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Nothing was saved: correct the 2 errors below.")
    phone_error = (
        "This is a landline number in United Kingdom (+44) with 4 digits too few."
    )
    expect(
        page.locator(".field").get_by_text("The domain after the @ sign needs a period")
    ).to_be_visible()
    expect(page.locator(".field").get_by_text(phone_error)).to_be_visible()
    summary.get_by_role("link", name=f"Phone number: {phone_error}").click()
    expect(page.get_by_label("Phone number")).to_be_focused()
    expect(page.get_by_label("First name")).to_have_value("Oliver")
    expect(page.get_by_label("Phone number")).to_have_value("020 7946")
    expect(page.get_by_label("Order")).to_be_checked()
    assert not Contact.objects.exists()
