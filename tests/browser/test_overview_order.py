"""The Overview's cards in one order at every width: the Contact card first, then
the customer's own cards, then contact persons and documents. In Chromium."""

import pytest
from playwright.sync_api import expect

from contacts.services.links import contact_create
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("width", [1280, 360])
def test_the_contact_card_comes_first(page, sign_in, viewer, width):
    customer = CustomerFactory(name="Fjord Voeding B.V.", notes="Long notes.\n" * 12)
    billing_address(customer, country="NL")
    contact_create(customer=customer, first_name="Anna", last_name="Berg")
    page.set_viewport_size({"width": width, "height": 900})
    sign_in("viewer")
    page.goto(customer.get_absolute_url())

    cards = page.locator(".overview-cards > .card")
    expect(cards.first).to_have_attribute("aria-labelledby", "contact-card-title")
    boxes = [card.bounding_box() for card in cards.all()]
    # Reading order is the order on the screen: row by row, left to right.
    reading = sorted(range(len(boxes)), key=lambda i: (boxes[i]["y"], boxes[i]["x"]))
    assert reading == list(range(len(boxes)))
    contact = page.get_by_role("region", name="Contact", exact=True)
    assert contact.bounding_box()["y"] < 400
