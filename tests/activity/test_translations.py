"""The Activity Log in Dutch: the words of its entries (created, changed, deleted),
the field names (the models' verbose names), values, the kinds, the filters, the
users (issue 15)."""

import pytest
from django.urls import reverse
from django.utils import translation

from customers import services as customer_services
from tests.activity.helpers import acting_as, entries, lines, page_text
from tests.factories import UserFactory
from tests.translations import NL

pytestmark = pytest.mark.django_db


@pytest.fixture
def jan():
    return UserFactory(username="jan", first_name="Jan", last_name="Smit")


@pytest.fixture
def customer(jan):
    with acting_as(jan):
        customer = customer_services.customer_create(name="Fjord Foods")
        address = customer_services.address_create(
            customer=customer,
            kind="billing",
            street_line_1="Oudegracht 12",
            city="Utrecht",
            country="NL",
        )
        customer_services.address_update(
            address=address, data={"kind": "shipping", "country": "BE"}
        )
        customer_services.customer_update(customer=customer, data={"is_active": False})
    customer_services.address_delete(address=address)  # by the system
    return customer


def test_entries_in_dutch(customer):
    with translation.override("nl"):
        deleted, deactivated, changed, created_address, created = entries(customer)
    assert (created.action, created.object) == ("Aangemaakt", "Klant Fjord Foods")
    assert lines(created)[1:] == ["Naam: Fjord Foods", "Actief: ja"]
    assert lines(created)[0].startswith("Nummer: ")
    assert created_address.object == "Factuuradres Utrecht"
    assert lines(created_address) == [
        "Soort: Factuuradres",
        "Straat: Oudegracht 12",
        "Plaats: Utrecht",
        "Land: Nederland",
    ]
    assert (changed.action, changed.object) == ("Gewijzigd", "Afleveradres Utrecht")
    assert lines(changed) == [
        "Soort: Factuuradres → Afleveradres",
        "Land: Nederland → België",
    ]
    assert lines(deactivated) == ["Actief: ja → nee"]
    assert (deleted.action, deleted.who) == ("Verwijderd", "systeem")
    assert deleted.kind == "Adres"


def test_the_same_entries_stay_english_in_english(customer):
    created = entries(customer)[-1]
    assert (created.action, created.object) == ("Created", "Customer Fjord Foods")
    assert entries(customer)[0].who == "system"


def test_a_deactivated_and_a_deleted_user_in_dutch(customer, jan):
    jan.is_active = False
    jan.save()
    with translation.override("nl"):
        assert entries(customer)[-1].who == "Jan Smit (gedeactiveerd)"
    jan.delete()
    with translation.override("nl"):
        assert entries(customer)[-1].who == "verwijderde gebruiker"


def test_the_activity_tab_in_dutch(client_for, manager, customer):
    url = reverse("activity:list", kwargs={"customer_pk": customer.pk})
    text = page_text(client_for(manager).get(url, **NL))
    for dutch in [
        "Activiteitenlog",
        "Soort object",
        "Alle Klant",
        "Contactpersoon",
        "Verkooporder",
        "Gewijzigd door",
        "Iedereen",
        "systeem",
        "Filteren",
        "Aangemaakt: Klant Fjord Foods",
        "Gewijzigd: Afleveradres Utrecht",
        "Verwijderd: Afleveradres Utrecht",
        "Soort Factuuradres → Afleveradres",
        "Land Nederland → België",
    ]:
        assert dutch in text, dutch
    for english in [
        "Activity Log",
        "Kind of object",
        "Changed by",
        "Anyone",
        "Created",
        "Changed",
        "Deleted",
        "Customer Fjord",
        "Billing",
        "Netherlands",
    ]:
        assert english not in text, english


def test_an_empty_filter_and_a_change_without_a_visible_change_in_dutch(
    client_for, manager, customer, jan
):
    url = reverse("activity:list", kwargs={"customer_pk": customer.pk})
    text = page_text(client_for(manager).get(url, {"kind": "invoice"}, **NL))
    assert "Geen activiteit past bij dit filter." in text
    assert "Alles tonen" in text
    with acting_as(jan):
        customer_services.customer_update(customer=customer, data={})
    text = page_text(client_for(manager).get(url, **NL))
    assert "Opgeslagen zonder zichtbare wijziging." in text
