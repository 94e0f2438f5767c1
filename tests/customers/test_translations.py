"""Customers in Dutch: the list, a customer's Overview and Addresses, the address and
customer forms, their messages and errors (issue 15). The English pages are the rest
of the suite's (the test client sends no Accept-Language)."""

import pytest
from django.urls import reverse
from django.utils import translation

from customers.models import Address
from tests.activity.helpers import page_text
from tests.customers.factories import AddressFactory, CustomerFactory, billing_address
from tests.translations import NL

pytestmark = pytest.mark.django_db

LIST = reverse("customers:list")


def test_the_list_in_dutch(client_for, viewer):
    billing_address(CustomerFactory(name="Aurora B.V."), country="NL")
    CustomerFactory(name="Slapend B.V.", is_active=False)
    text = page_text(client_for(viewer).get(LIST, **NL))
    for dutch in [
        "Klanten",
        "2 klanten",
        "Zoek op naam, nummer of plaats",
        "Alle landen",
        "Actief en inactief",
        "Inactief",
        "Zoeken",
        "Nummer",
        "Naam",
        "Plaats",
        "Land",
        "Nederland",  # the billing country's name, by django-countries
    ]:
        assert dutch in text, dutch
    for english in [
        "2 customers",
        "Search by name",
        "All countries",
        "Active and inactive",
        "Inactive",
        "Netherlands",
        "City",
    ]:
        assert english not in text, english


def test_the_count_is_singular_and_plural_in_dutch(client_for, viewer):
    CustomerFactory()
    assert "1 klant " in page_text(client_for(viewer).get(LIST, **NL)) + " "
    text = page_text(client_for(viewer).get(LIST, {"q": "nobody"}, **NL))
    assert "0 klanten" in text
    assert "Geen klant gevonden voor “nobody”." in text


def test_the_manager_may_add_a_customer_in_dutch(client_for, manager):
    text = page_text(client_for(manager).get(LIST, **NL))
    assert "Klant toevoegen" in text
    assert "Add customer" not in text
    assert "Er zijn nog geen klanten." in text


def test_the_overview_in_dutch(client_for, manager):
    customer = CustomerFactory(notes="Belt on Mondays")
    billing_address(customer, country="DE", city="Berlin")
    text = page_text(
        client_for(manager).get(reverse("customers:detail", args=[customer.pk]), **NL)
    )
    for dutch in [
        "Overzicht",
        "Adressen",
        "Activiteit",
        "Klant",
        "Wijzigen",
        "Nummer",
        "Status",
        "Actief",
        "Notities",
        "Factuuradres",
        "Duitsland",
    ]:
        assert dutch in text, dutch
    for english in ["Overview", "Addresses", "Billing address", "Notes", "Germany"]:
        assert english not in text, english


def test_the_overview_without_a_billing_address_in_dutch(client_for, viewer):
    customer = CustomerFactory(is_active=False)
    text = page_text(
        client_for(viewer).get(reverse("customers:detail", args=[customer.pk]), **NL)
    )
    assert "Inactief" in text
    assert "Nog geen factuuradres." in text


def test_the_addresses_in_dutch(client_for, manager):
    customer = CustomerFactory()
    billing_address(customer, city="Utrecht")
    AddressFactory(customer=customer, kind=Address.Kind.SHIPPING, city="Delft")
    text = page_text(
        client_for(manager).get(
            reverse("customers:addresses", args=[customer.pk]), **NL
        )
    )
    for dutch in [
        "Adres toevoegen",
        "Factuuradres",
        "Afleveradres",
        "Wijzigen factuuradres Utrecht",
        "Verwijderen afleveradres Delft",
    ]:
        assert dutch in text, dutch
    assert "address" not in text.lower().replace("e-mailadres", "")


def test_no_addresses_in_dutch(client_for, viewer):
    customer = CustomerFactory()
    text = page_text(
        client_for(viewer).get(reverse("customers:addresses", args=[customer.pk]), **NL)
    )
    assert "Deze klant heeft nog geen adressen." in text


def test_the_address_form_in_dutch_with_dutch_country_names(client_for, manager):
    customer = CustomerFactory()
    response = client_for(manager).get(
        reverse("customers:address_create", args=[customer.pk]), **NL
    )
    content = response.content.decode()
    text = page_text(response)
    for dutch in ["Soort", "Straat", "Postcode", "Plaats", "Regio", "Land", "Opslaan"]:
        assert dutch in text, dutch
    assert '<option value="billing">Factuuradres</option>' in content
    assert '<option value="shipping">Afleveradres</option>' in content
    assert '<option value="NL">Nederland</option>' in content
    assert '<option value="DE">Duitsland</option>' in content
    assert "Netherlands" not in content
    for english in ["Street", "Postal code", "City", "Country", "Save", "Cancel"]:
        assert english not in text, english


def test_a_second_billing_address_is_refused_in_dutch(client_for, manager):
    customer = CustomerFactory()
    billing_address(customer)
    response = client_for(manager).post(
        reverse("customers:address_create", args=[customer.pk]),
        {
            "kind": "billing",
            "street_line_1": "Marienplatz 1",
            "postal_code": "80331",
            "city": "München",
            "country": "DE",
        },
        **NL,
    )
    assert response.status_code == 200
    assert response.context["form"].errors["kind"] == [
        "Deze klant heeft al een factuuradres."
    ]


def test_a_missing_field_is_refused_in_dutch(client_for, manager):
    customer = CustomerFactory()
    response = client_for(manager).post(
        reverse("customers:address_create", args=[customer.pk]),
        {"kind": "shipping", "country": "NL"},
        **NL,
    )
    assert "Dit veld is verplicht." in response.context["form"].errors["city"]


def test_the_address_is_added_and_deleted_with_dutch_messages(client_for, manager):
    customer = CustomerFactory()
    client = client_for(manager)
    response = client.post(
        reverse("customers:address_create", args=[customer.pk]),
        {
            "kind": "billing",
            "street_line_1": "Oudegracht 1",
            "city": "Utrecht",
            "country": "NL",
        },
        follow=True,
        **NL,
    )
    assert "Het adres is toegevoegd." in page_text(response)
    address = customer.addresses.get()
    delete = reverse("customers:address_delete", args=[customer.pk, address.pk])
    text = page_text(client.get(delete, **NL))
    assert "Het factuuradres Oudegracht 1, Utrecht, Nederland verwijderen?" in text
    response = client.post(delete, follow=True, **NL)
    assert "Het adres is verwijderd." in page_text(response)


def test_the_customer_form_and_its_message_in_dutch(client_for, manager):
    client = client_for(manager)
    text = page_text(client.get(reverse("customers:create"), **NL))
    for dutch in ["Klant toevoegen", "Naam", "Actief", "Notities", "Annuleren"]:
        assert dutch in text, dutch
    response = client.post(
        reverse("customers:create"),
        {"name": "Aurora", "is_active": "on"},
        follow=True,
        **NL,
    )
    assert "Klant Aurora (C" in page_text(response)
    assert "is aangemaakt." in page_text(response)
    customer = response.context["customer"]
    text = page_text(client.get(reverse("customers:update", args=[customer.pk]), **NL))
    assert f"Klant {customer.number} wijzigen" in text


def test_verbose_names_and_choices_in_dutch():
    with translation.override("nl"):
        assert str(Address._meta.verbose_name_plural) == "adressen"
        assert str(Address._meta.get_field("postal_code").verbose_name) == "postcode"
        assert Address(kind="shipping").get_kind_display() == "Afleveradres"
        assert Address(kind="billing").kind_title == "Factuuradres"
    assert Address(kind="billing").kind_title == "Billing address"
