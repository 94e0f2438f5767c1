"""The language of a page: the user's choice, else the browser's, else English; dates,
numbers and amounts written the language's way; permissions named in it."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation
from freezegun import freeze_time

from core.admin import permission_label
from core.checks import check_organisation_language
from core.languages import SESSION_KEY
from core.models import UserPreferences
from core.money import format_amount
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_page_is_in_english_when_the_browser_asks_for_nothing(client):
    page = client.get(reverse("login")).content.decode()

    assert '<html lang="en">' in page
    assert "<h1>Sign in</h1>" in page


def test_a_page_is_in_the_language_the_browser_asks_for(client):
    page = client.get(
        reverse("login"), HTTP_ACCEPT_LANGUAGE="nl-NL,nl;q=0.9,en;q=0.5"
    ).content.decode()

    assert '<html lang="nl">' in page
    assert "<h1>Inloggen</h1>" in page


def test_a_language_nobody_translated_falls_back_to_english(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()

    assert "<h1>Sign in</h1>" in page


def test_the_users_choice_wins_over_the_browser_and_is_kept_on_the_user(
    client_for, viewer
):
    client = client_for(viewer)

    response = client.post(
        reverse("core:language"),
        {"language": "nl", "next": reverse("customers:list")},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("customers:list")
    assert UserPreferences.objects.get(user=viewer).language == "nl"
    page = client.get(reverse("customers:list"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="nl">' in page.content.decode()
    assert page["Content-Language"] == "nl"
    assert "Uitloggen" in page.content.decode()


def test_the_choice_follows_the_user_to_a_new_sign_in(viewer):
    UserPreferences.objects.create(user=viewer, language="nl")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    client.force_login(viewer)

    assert client.session[SESSION_KEY] == "nl"
    page = client.get(reverse("customers:list")).content.decode()
    assert "Uitloggen" in page


def test_a_user_without_a_choice_gets_the_browsers_language(viewer):
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(viewer)

    assert SESSION_KEY not in client.session
    assert "Uitloggen" in client.get(reverse("customers:list")).content.decode()


def test_choosing_a_language_goes_back_to_the_page_only_on_this_site(
    client_for, viewer
):
    response = client_for(viewer).post(
        reverse("core:language"),
        {"language": "en", "next": "https://elsewhere.example/"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_language_that_is_not_offered_is_refused_without_a_change(client_for, viewer):
    response = client_for(viewer).post(reverse("core:language"), {"language": "xx"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Choose one of the languages offered." in response.content.decode()
    assert "<main" in response.content.decode()  # the product's page, not bare text
    assert not UserPreferences.objects.filter(user=viewer).exists()


def test_choosing_a_language_needs_a_post_and_a_sign_in(client, client_for, viewer):
    assert client.post(reverse("core:language"), {"language": "nl"}).status_code == 302
    assert not UserPreferences.objects.exists()
    assert client_for(viewer).get(reverse("core:language")).status_code == 405


def test_the_header_offers_each_language_in_its_own_name(client_for, viewer):
    page = client_for(viewer).get(reverse("customers:list")).content.decode()

    # A button per language, the current one pressed.
    assert re.search(
        r'<button type="submit" name="language" value="en" lang="en"[^>]*'
        r'aria-pressed="true">English</button>',
        page,
    )
    assert re.search(
        r'<button type="submit" name="language" value="nl" lang="nl"[^>]*'
        r'aria-pressed="false">Nederlands</button>',
        page,
    )


def test_dates_numbers_and_amounts_are_written_the_languages_way():
    day = datetime.date(2026, 3, 9)
    with translation.override("en"):
        assert formats.date_format(day, "DATE_FORMAT") == "9 Mar 2026"
        assert format_amount(Decimal("1250.5"), "EUR") == "€1,250.50"
    with translation.override("nl"):
        assert formats.date_format(day, "DATE_FORMAT") == "9 mrt 2026"
        assert format_amount(Decimal("1250.5"), "EUR") == "€\xa01.250,50"


def test_permissions_are_named_in_the_users_language():
    view_customer = Permission.objects.get(codename="view_customer")
    update_details = Permission.objects.get(codename="update_customer_contact_details")

    with translation.override("en"):
        assert permission_label(view_customer).endswith("| Can view customer")
    with translation.override("nl"):
        assert permission_label(view_customer).endswith("| Mag klant bekijken")
        assert permission_label(update_details).endswith(
            "| Contactgegevens van klanten bijwerken"
        )


def test_the_admin_shows_the_permissions_in_dutch_to_a_dutch_administrator():
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(admin)

    page = client.get(reverse("admin:auth_group_add")).content.decode()

    assert "Mag klant bekijken" in page
    assert "Can view customer" not in page


def test_an_organisation_language_the_product_does_not_speak_is_refused(settings):
    assert check_organisation_language(None) == []

    settings.ORGANISATION_LANGUAGE = "fr"

    (error,) = check_organisation_language(None)
    assert error.id == "core.E002"


def test_the_admin_names_the_products_models_and_fields_in_dutch():
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    customer = CustomerFactory()
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(admin)

    page = client.get(
        reverse("admin:customers_customer_change", args=[customer.pk])
    ).content.decode()

    for dutch in [
        "Klantcontacten beheer",
        "Aangemaakt op",
        "Nummerreeksen",
        "Adressen",
    ]:
        assert dutch in page
    for english in [
        "Created at",
        "Number sequences",
        "Customer Contacts administration",
    ]:
        assert english not in page


def test_choosing_a_language_does_not_lengthen_the_sign_in(viewer):
    """A sign-in lasts SESSION_COOKIE_AGE from the sign-in, whatever changes the
    session later (docs/security.md)."""
    client = Client()
    with freeze_time("2026-03-09 08:00:00+00:00") as clock:
        assert (
            client.post(
                reverse("login"),
                {"username": viewer.username, "password": "secret-password"},
            ).status_code
            == 302
        )
        signed_in_until = Session.objects.get().expire_date
        clock.tick(datetime.timedelta(hours=4))
        client.post(reverse("core:language"), {"language": "nl"})

    assert Session.objects.get().expire_date == signed_in_until
    assert signed_in_until == datetime.datetime(2026, 3, 9, 17, 0, tzinfo=datetime.UTC)
