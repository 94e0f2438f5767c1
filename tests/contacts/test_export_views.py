"""The export downloads: the export commands' files, of one customer or of all, for
whoever may view what they hold."""

import pytest
from django.urls import reverse

from tests.contacts.csv_helpers import run

pytestmark = pytest.mark.django_db


def download(client, url) -> tuple[str, str]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return response["Content-Disposition"], b"".join(
        response.streaming_content
    ).decode()


def test_a_customers_contacts_download_is_the_commands_file_of_that_customer(
    client_for, viewer, customers
):
    dutch, _ = customers
    url = reverse("contacts:export_contacts", args=[dutch.pk])

    disposition, text = download(client_for(viewer), url)

    command, _ = run("export_contacts", customers=["C00001"])
    assert text.replace("\r\n", "\n") == command
    assert "Jürgen" not in text
    assert disposition.startswith('attachment; filename="contacts-C00001-')


def test_the_customer_list_download_holds_every_customer(client_for, viewer, customers):
    disposition, text = download(client_for(viewer), reverse("exports:contacts"))

    command, _ = run("export_contacts")
    assert text.replace("\r\n", "\n") == command
    assert "C00001" in text and "C00002" in text
    assert disposition.startswith('attachment; filename="contacts-')


def test_contact_details_download_as_the_details_command_writes_them(
    client_for, viewer, customers
):
    dutch, _ = customers
    client = client_for(viewer)

    _, one = download(
        client, reverse("contacts:export_contact-details", args=[dutch.pk])
    )
    _, every = download(client, reverse("exports:contact-details"))

    assert (
        one.replace("\r\n", "\n")
        == run("export_contact_details", customers=["C00001"])[0]
    )
    assert every.replace("\r\n", "\n") == run("export_contact_details")[0]
    assert "example.de" in every and "example.de" not in one


@pytest.mark.parametrize(
    "name", ["contacts:export_contacts", "contacts:export_contact-details"]
)
def test_an_outsider_is_refused_before_the_customer_is_looked_up(
    client_for, outsider, customers, name
):
    client = client_for(outsider)

    assert client.get(reverse(name, args=[customers[0].pk])).status_code == 403
    assert client.get(reverse(name, args=[999999])).status_code == 403


@pytest.mark.parametrize("name", ["exports:contacts", "exports:contact-details"])
def test_an_outsider_may_not_download_every_customer(client_for, outsider, name):
    assert client_for(outsider).get(reverse(name)).status_code == 403


def test_an_unknown_customer_is_not_found(client_for, viewer):
    url = reverse("contacts:export_contacts", args=[999999])

    assert client_for(viewer).get(url).status_code == 404


def test_a_download_is_only_read(client_for, manager, customers):
    url = reverse("contacts:export_contacts", args=[customers[0].pk])

    assert client_for(manager).post(url).status_code == 405


def test_the_pages_offer_the_downloads_to_those_who_may_view(
    client_for, viewer, customers
):
    dutch, _ = customers
    client = client_for(viewer)

    contacts_tab = client.get(
        reverse("contacts:list", args=[dutch.pk])
    ).content.decode()
    customer_list = client.get(reverse("customers:list")).content.decode()

    assert reverse("contacts:export_contacts", args=[dutch.pk]) in contacts_tab
    assert reverse("contacts:export_contact-details", args=[dutch.pk]) in contacts_tab
    assert reverse("exports:contacts") in customer_list
    assert reverse("exports:contact-details") in customer_list
