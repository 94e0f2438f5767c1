"""Find anyone ranks within each kind: exact matches first, then numbers read in the
organisation's country (ORGANISATION_COUNTRY), then the rest; the query shows once."""

import pytest
from django.urls import reverse

from contacts.services.card import contact_detail_create
from contacts.services.links import contact_create
from search.selectors import site_search
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_and_dutch():
    """`06 12345678` is a mobile number in France and in the Netherlands; the French
    customer sorts first by name."""
    alder = CustomerFactory(name="Alder Foods SARL")
    billing_address(alder, country="FR")
    zeeland = CustomerFactory(name="Zeeland Handel B.V.")
    billing_address(zeeland, country="NL")
    contact_create(customer=alder, first_name="Amélie", phone="+33612345678")
    contact_create(customer=zeeland, first_name="Zoë", phone="+31612345678")
    contact_detail_create(customer=alder, kind="mobile", value="+33612345678")
    contact_detail_create(customer=zeeland, kind="mobile", value="+31612345678")


def titles(results, section: int) -> list[str]:
    return [hit.title for hit in results.sections[section].hits]


def test_a_national_number_lists_the_organisations_country_first(
    french_and_dutch, manager, settings
):
    settings.ORGANISATION_COUNTRY = "NL"
    results = site_search(query="06 12345678", user=manager)
    assert titles(results, 0) == ["Zoë", "Amélie"]
    assert titles(results, 1) == [
        "Mobile Phone of Zeeland Handel B.V.",
        "Mobile Phone of Alder Foods SARL",
    ]

    settings.ORGANISATION_COUNTRY = "FR"
    results = site_search(query="06 12345678", user=manager)
    assert titles(results, 0) == ["Amélie", "Zoë"]


def test_a_number_typed_with_its_country_code_is_an_exact_match(
    french_and_dutch, manager, settings
):
    settings.ORGANISATION_COUNTRY = "NL"
    results = site_search(query="+33 6 12 34 56 78", user=manager)
    assert titles(results, 0) == ["Amélie"]


def test_an_exact_name_or_email_comes_before_a_partial_one(manager):
    customer = CustomerFactory(name="Berg Logistics")
    CustomerFactory(name="Aberg Bergen AB")
    contact_create(customer=customer, first_name="Anna", last_name="Bergman")
    contact_create(customer=customer, first_name="Zoë", last_name="Berg")
    contact_create(
        customer=customer, first_name="Ada", last_name="Xu", email="berg@berg.example"
    )

    results = site_search(query="berg", user=manager)
    assert titles(results, 1) == ["Zoë Berg", "Ada Xu", "Anna Bergman"]
    results = site_search(query="berg logistics", user=manager)
    assert titles(results, 0) == ["Berg Logistics"]
    results = site_search(query="bergen", user=manager)
    assert titles(results, 0) == ["Aberg Bergen AB"]


def test_the_results_page_shows_the_query_once(client_for, viewer):
    content = client_for(viewer).get(reverse("search:results") + "?q=Fjordlander")
    assert content.content.decode().count('value="Fjordlander"') == 1
