"""Who is calling? Find a contact by its mobile number typed nationally in the header
search; then merge two contacts from the Possible duplicates page. In Chromium."""

import pytest
from playwright.sync_api import expect

from contacts.models import Contact
from contacts.services.links import contact_create
from tests.customers.factories import CustomerFactory, billing_address
from tests.sales.factories import make_invoice

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def aurora():
    customer = CustomerFactory(name="Aurora Trading B.V.")
    billing_address(customer, country="NL")
    return customer


def test_find_a_contact_by_its_mobile_number_typed_nationally(
    page, sign_in, viewer, aurora
):
    contact_create(
        customer=aurora, first_name="Anna", last_name="Berg", phone="+31612345678"
    )
    sign_in("viewer")

    search = page.get_by_role("search", name="Find anyone")
    search.get_by_label("Find anyone").fill("06 1234 5678")
    search.get_by_role("button", name="Find").click()

    people = page.get_by_role("region", name="Contact persons")
    expect(people.get_by_role("link", name="Anna Berg")).to_be_visible()
    expect(people.get_by_text("contact of Aurora Trading B.V.")).to_be_visible()
    expect(people.get_by_text("Phone number +31 6 12345678")).to_be_visible()
    people.get_by_role("link", name="Anna Berg").click()
    # The person's page, with the customers they are a contact of.
    expect(page.get_by_role("heading", name="Anna Berg", level=1)).to_be_visible()
    expect(
        page.get_by_role("table", name="Customers this person is a contact of")
    ).to_contain_text("Aurora Trading B.V.")


def test_a_manager_merges_two_contacts_from_the_possible_duplicates_page(
    page, sign_in, manager, aurora
):
    anna = contact_create(
        customer=aurora,
        first_name="Anna",
        last_name="Berg",
        email="anna@aurora.example.com",
        job_title="Buyer",
    )
    ana = contact_create(
        customer=aurora, first_name="Ana", last_name="Berg", phone="+31612345678"
    )
    invoice = make_invoice(aurora, contact=ana)
    sign_in("manager")

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Possible duplicates"
    ).click()
    row = page.get_by_role("table", name="Possible duplicates").get_by_role(
        "row", name="Aurora Trading B.V."
    )
    expect(row).to_contain_text("Similar names (94%)")
    row.get_by_role("link", name="Merge").click()

    preview = page.get_by_role("table", name="Merge preview")
    expect(
        page.get_by_role("heading", name="Merge Ana Berg into Anna Berg")
    ).to_be_visible()
    # The defaults: the most recent of two values, the only non-empty one.
    expect(preview.get_by_label("Ana", exact=True)).to_be_checked()
    expect(preview.get_by_label("+31 6 12345678")).to_be_checked()
    preview.get_by_label("Anna", exact=True).check()
    page.get_by_role("button", name="Merge").click()

    expect(page.get_by_text("Merged Ana Berg into Anna Berg.")).to_be_visible()
    table = page.get_by_role("table", name="Contacts")
    expect(table.get_by_role("row")).to_have_count(2)  # the header and Anna
    expect(table).to_contain_text("+31 6 12345678")
    kept = Contact.objects.get(customer=aurora)
    assert (kept.pk, kept.first_name, kept.phone) == (anna.pk, "Anna", "+31612345678")
    invoice.refresh_from_db()
    assert (invoice.contact_id, invoice.contact_name) == (anna.pk, "Ana Berg")

    page.get_by_role("navigation", name="Customer").get_by_role(
        "link", name="Activity"
    ).click()
    entry = page.locator(".activity-entry").first
    expect(entry).to_contain_text("Merged Ana Berg into Anna Berg.")
    expect(entry).to_contain_text("Dropped: First name: Ana.")
    assert ana.pk != anna.pk
