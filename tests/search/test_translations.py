"""The search in Dutch: its page, the kinds of what it found and what matched
(issue 15)."""

import pytest
from django.urls import reverse

from contacts.services.card import contact_detail_create
from contacts.services.links import contact_create
from search.selectors import RESULT_LIMIT
from tests.activity.helpers import page_text
from tests.customers.factories import CustomerFactory, billing_address
from tests.translations import NL

pytestmark = pytest.mark.django_db

URL = reverse("search:results")


@pytest.fixture
def aurora():
    customer = CustomerFactory(name="Aurora Trading B.V.")
    billing_address(customer, country="NL")
    contact_create(
        customer=customer,
        first_name="Anna",
        last_name="Berg",
        email="anna@aurora.example",
        phone="+31612345678",
    )
    contact_detail_create(customer=customer, kind="mobile", value="+31612345679")
    return customer


def test_names_and_emails_found_in_dutch(client_for, viewer, aurora):
    response = client_for(viewer).get(URL, {"q": "aurora"}, **NL)
    text = page_text(response)
    for dutch in [
        "Zoeken: aurora",
        "Naam, e-mailadres of telefoonnummer",
        "Klanten",
        f"Klant {aurora.number}",
        "Contactpersonen",
        "contactpersoon van Aurora Trading B.V.",
        "E-mailadres anna@aurora.example",
    ]:
        assert dutch in text, dutch
    for english in ["Customers", "Contact persons", "contact of", "Email address"]:
        assert english not in text, english
    text = page_text(client_for(viewer).get(URL, {"q": "berg"}, **NL))
    assert "Anna Berg contactpersoon van Aurora Trading B.V.Naam" in text


def test_a_phone_number_found_in_dutch(client_for, viewer, aurora):
    response = client_for(viewer).get(URL, {"q": "06 1234 5679"}, **NL)
    text = page_text(response)
    assert "Gelezen als telefoonnummer: +31 6 12345679." in text
    assert "Contactgegevens" in text
    (details,) = [s for s in response.context["results"].sections if s.hits]
    (hit,) = details.hits
    assert hit.title.endswith(" van Aurora Trading B.V.")
    text = page_text(client_for(viewer).get(URL, {"q": "06 1234 5678"}, **NL))
    assert "Telefoonnummer +31 6 12345678" in text
    assert "Phone number" not in text


def test_too_short_nothing_and_too_many_in_dutch(client_for, viewer):
    client = client_for(viewer)
    assert "Typ minstens 2 tekens." in page_text(client.get(URL, {"q": "a"}, **NL))
    assert "Niets past bij “xyz”." in page_text(client.get(URL, {"q": "xyz"}, **NL))
    customer = CustomerFactory(name="Big")
    for n in range(RESULT_LIMIT + 1):
        contact_create(customer=customer, first_name="Zoë", last_name=f"Z{n:02d}")
    text = page_text(client.get(URL, {"q": "zoë"}, **NL))
    assert f"Meer dan {RESULT_LIMIT} resultaten: typ meer van de naam" in text
