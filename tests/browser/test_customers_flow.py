import pytest
from playwright.sync_api import expect

from tests.customers.factories import AddressFactory, CustomerFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_manager_finds_a_customer_and_adds_an_address(page, sign_in, manager):
    fjord = CustomerFactory(name="Fjord Foods B.V.")
    AddressFactory(customer=fjord, kind="shipping", city="Utrecht")
    CustomerFactory(name="Granite Ltd")

    sign_in("manager")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Customers"
    ).click()
    expect(page.get_by_role("heading", name="Customers")).to_be_visible()

    page.get_by_label("Search by name, number or city").fill("fjord")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Granite Ltd")).to_have_count(0)
    page.get_by_role("link", name="Fjord Foods B.V.").click()

    expect(page.get_by_role("heading", name="Fjord Foods B.V.")).to_be_visible()
    tabs = page.get_by_role("navigation", name="Customer")
    expect(tabs.get_by_role("link")).to_have_text(
        ["Overview", "Contacts", "Addresses", "Activity"]
    )

    tabs.get_by_role("link", name="Addresses").click()
    page.get_by_role("link", name="Add address").click()
    page.get_by_label("Type").select_option("Billing")
    page.get_by_label("Street", exact=True).fill("Oudegracht 12")
    page.get_by_label("Postal code").fill("3511 LN")
    page.get_by_label("City").fill("Utrecht")
    page.get_by_label("Country").select_option("Netherlands")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("The address was added.")).to_be_visible()
    expect(page.get_by_text("Oudegracht 12")).to_be_visible()

    tabs.get_by_role("link", name="Overview").click()
    expect(page.get_by_text("Oudegracht 12")).to_be_visible()


def test_a_second_billing_address_is_refused_in_the_form(page, sign_in, manager):
    customer = CustomerFactory(name="Harbor Systems")
    AddressFactory(customer=customer, kind="billing")
    sign_in("manager")
    page.goto(f"/customers/{customer.pk}/addresses/new/")
    page.get_by_label("Type").select_option("Billing")
    page.get_by_label("Street", exact=True).fill("Coolsingel 3")
    page.get_by_label("City").fill("Rotterdam")
    page.get_by_label("Country").select_option("Netherlands")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text("This customer already has a billing address.", exact=True)
    ).to_be_visible()
    expect(page.get_by_label("Street", exact=True)).to_have_value("Coolsingel 3")
