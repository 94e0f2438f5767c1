"""The admin in Dutch: page titles with a capital, django-axes' entries in Dutch,
and the contact details' table with no empty column heading."""

import re

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils.html import strip_tags

from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def get_in_dutch(client, url) -> str:
    return client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()


def test_the_customer_change_page_says_klant_wijzigen(admin_client):
    customer = CustomerFactory(name="Fjord")
    html = get_in_dutch(
        admin_client, reverse("admin:customers_customer_change", args=[customer.pk])
    )
    assert re.search(r"<h1>Klant wijzigen</h1>", html)
    [title] = re.findall(r"<title>(.*?)</title>", html, re.S)
    assert title.split(" | ")[1] == "Klant wijzigen"
    add = get_in_dutch(admin_client, reverse("admin:customers_customer_add"))
    assert "<h1>Klant toevoegen</h1>" in add


def test_the_sign_in_lockouts_are_named_in_dutch(admin_client):
    index = " ".join(strip_tags(get_in_dutch(admin_client, "/admin/")).split())
    assert "Aanmeldpogingen" in index
    assert "Aanmeldlogboeken" in index
    for english in ("Axes", "Access attempts", "Access logs", "Access failures"):
        assert english not in index
    AccessAttempt.objects.create(
        user_agent="Firefox",
        ip_address="192.0.2.1",
        username="sam",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=1,
    )
    attempts = get_in_dutch(
        admin_client, reverse("admin:axes_accessattempt_changelist")
    )
    assert "IP-adres" in attempts
    assert "Tijdstip van poging" in attempts


@pytest.mark.parametrize(
    ("language", "words"), [("en", "Saved row"), ("nl", "Opgeslagen regel")]
)
def test_the_tabular_inlines_first_column_has_a_heading(admin_client, language, words):
    customer = CustomerFactory(name="Fjord")
    html = admin_client.get(
        reverse("admin:customers_customer_change", args=[customer.pk]),
        HTTP_ACCEPT_LANGUAGE=language,
    ).content.decode()
    assert '<th class="original"></th>' not in html
    assert (
        f'<th class="original"><span class="visually-hidden">{words}</span></th>'
        in html
    )
