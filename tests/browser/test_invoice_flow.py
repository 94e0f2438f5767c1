import pytest
from playwright.sync_api import expect

from contacts.services.links import contact_delete
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_new_invoice_from_the_invoices_list_goes_to_the_invoice_contact(
    page, sign_in, editor
):
    fjord = CustomerFactory(name="Fjord Foods B.V.")
    CustomerFactory(name="Granite Ltd")
    ContactFactory(
        customer=fjord,
        first_name="Pia",
        last_name="Berg",
        email="pia@fjord.example",
        roles=["primary"],
    )
    ivy = ContactFactory(
        customer=fjord,
        first_name="Ivy",
        last_name="Lund",
        email="ivy@fjord.example",
        roles=["invoice"],
    )

    sign_in("editor")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Invoices"
    ).click()
    expect(page.get_by_text("There are no invoices yet.")).to_be_visible()

    # New on the list: first the customer, found by a search.
    page.get_by_role("link", name="New invoice").click()
    expect(page.get_by_role("heading", name="New invoice")).to_be_visible()
    search = page.get_by_label("Search by name, number or city")
    expect(search).to_be_focused()
    search.fill("fjord")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Granite Ltd")).to_have_count(0)
    page.get_by_role("link", name="Fjord Foods B.V.").click()

    # The customer's New invoice form, its Invoice contact proposed.
    expect(page.get_by_role("heading", name="New invoice")).to_be_visible()
    expect(page.get_by_role("heading", name="Fjord Foods B.V.")).to_be_visible()
    expect(page.get_by_label("Contact")).to_have_value(str(ivy.pk))
    expect(page.get_by_label("Currency")).to_have_value("EUR")
    page.get_by_label("Reference").fill("PO-4711")
    page.get_by_label("Amount").fill("1250.00")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Invoice INV-00001 was created.")).to_be_visible()
    document = page.get_by_role("region", name="Invoice INV-00001")
    expect(document).to_contain_text("€1,250.00")
    expect(document.get_by_role("link", name="Fjord Foods B.V.")).to_be_visible()
    assigned = page.get_by_role("region", name="Assigned contact")
    expect(assigned).to_contain_text("Ivy Lund")
    expect(assigned).to_contain_text("ivy@fjord.example")

    # Before Send, the email as it will go out, with its recipients and why.
    page.get_by_role("link", name="Send…").click()
    expect(page.get_by_role("heading", name="Send Invoice INV-00001")).to_be_visible()
    expect(
        page.get_by_text("Ivy Lund <ivy@fjord.example> (assigned contact)")
    ).to_be_visible()
    expect(
        page.get_by_text("Invoice INV-00001 for Fjord Foods B.V.").first
    ).to_be_visible()
    expect(page.locator(".email-preview")).to_contain_text("Amount: €1,250.00")
    page.get_by_role("button", name="Send").click()
    expect(
        page.get_by_text(
            "Invoice INV-00001 is on its way to Ivy Lund <ivy@fjord.example>."
        )
    ).to_be_visible()
    # Each email with its status: queued until the worker sends it.
    sendings = page.get_by_role("table")
    expect(sendings).to_contain_text("ivy@fjord.example")
    expect(sendings).to_contain_text("assigned contact")
    expect(sendings).to_contain_text("Queued")
    expect(document.get_by_role("definition").filter(has_text="Sent")).to_be_visible()

    contact_delete(contact=ivy)
    page.reload()
    expect(page.get_by_role("heading", name="Invoice INV-00001")).to_be_visible()
    expect(assigned).to_contain_text("Ivy Lund")
    expect(assigned).to_contain_text("ivy@fjord.example")
    expect(assigned).to_contain_text("the contact has since been deleted")
    expect(sendings).to_contain_text("ivy@fjord.example")
    expect(document).to_contain_text("PO-4711")

    # The list: the customer as a link, the amount with its currency, a status filter.
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Invoices"
    ).click()
    row = page.get_by_role("row", name="INV-00001")
    expect(row.get_by_role("link", name="Fjord Foods B.V.")).to_be_visible()
    expect(row).to_contain_text("€1,250.00")
    expect(row).to_contain_text("Ivy Lund")
    page.get_by_label("Status").select_option("Draft")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("No invoice matches this search.")).to_be_visible()
