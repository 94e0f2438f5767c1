"""The privacy page of a person: what is held, the export, the erasure with its
confirmation; managers only. The person's page offers it."""

import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.models import Contact, Person
from privacy.models import ErasureLog, ExportLog
from tests.contacts.factories import ContactFactory
from tests.privacy.helpers import EMAIL
from tests.sales.factories import make_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def zeb():
    return ContactFactory(first_name="Zebulon", last_name="Quixote", email=EMAIL)


def url(contact):
    return reverse("privacy:person", kwargs={"pk": contact.person_id})


def test_the_page_names_what_is_held_and_what_erasing_does(client_for, manager, zeb):
    response = client_for(manager).get(url(zeb))

    text = response.content.decode()
    assert response.status_code == 200
    assert zeb.customer.name in text
    assert "Erase the person" in text
    assert "keep their copy of the person for 7 years" in text
    assert response.context["found"] == [("contacts", 1, 1), ("persons", 1, 1)]


def test_the_contact_page_links_to_it_for_managers_only(
    client_for, manager, editor, zeb
):
    edit = reverse(
        "contacts:update", kwargs={"customer_pk": zeb.customer_id, "pk": zeb.pk}
    )
    assert url(zeb) in client_for(manager).get(edit).content.decode()
    assert url(zeb) not in client_for(editor).get(edit).content.decode()


def test_staff_may_not_use_it(client_for, editor, zeb):
    assert client_for(editor).get(url(zeb)).status_code == 403
    assert client_for(editor).post(url(zeb), {"export": "1"}).status_code == 403


def test_an_unknown_person_is_not_found(client_for, manager, zeb):
    wrong = reverse("privacy:person", kwargs={"pk": zeb.person_id + 1})
    assert client_for(manager).get(wrong).status_code == 404


def test_export_downloads_a_zip_and_is_recorded(client_for, manager, zeb):
    response = client_for(manager).post(url(zeb), {"export": "1"})

    assert response["Content-Type"] == "application/zip"
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("person.json"))
    assert data["data"]["contacts"]["rows"][0]["last_name"] == "Quixote"
    assert ExportLog.objects.get().requested_by == manager


def test_erase_without_the_confirmation_erases_nothing(client_for, manager, zeb):
    response = client_for(manager).post(url(zeb), {"erase": "1"})

    assert response.status_code == 200
    assert "Tick the box to confirm the erasure." in response.content.decode()
    assert Contact.objects.get(pk=zeb.pk).email == EMAIL


def test_erase_with_the_confirmation_erases_and_goes_back_to_the_person(
    client_for, manager, zeb
):
    client = client_for(manager)
    response = client.post(url(zeb), {"erase": "1", "confirm": "on"}, follow=True)

    assert response.redirect_chain == [
        (reverse("persons:detail", kwargs={"pk": zeb.person_id}), 302)
    ]
    assert "The person&#x27;s data was erased." in response.content.decode()
    assert Contact.objects.get(pk=zeb.pk).email == ""
    assert Person.objects.get(pk=zeb.person_id).full_name == "[erased]"
    assert ErasureLog.objects.get().requested_by == manager


def test_a_draft_is_named_and_the_erasure_refused(client_for, manager, zeb):
    draft = make_invoice(zeb.customer, zeb)

    page = client_for(manager).get(url(zeb)).content.decode()
    response = client_for(manager).post(url(zeb), {"erase": "1", "confirm": "on"})

    assert f"Invoice {draft.number} is a draft" in page
    assert "Erase the person" not in page
    assert response.status_code == 200
    assert f"Invoice {draft.number} is a draft" in response.content.decode()
    assert Contact.objects.get(pk=zeb.pk).email == EMAIL


def test_each_linked_customers_activity_log_tells_the_erasure_without_data(
    client_for, manager, zeb
):
    elsewhere = ContactFactory(
        person=zeb.person, first_name="Zebulon", last_name="Quixote", email=EMAIL
    )
    client_for(manager).post(url(zeb), {"erase": "1", "confirm": "on"})

    for contact in (zeb, elsewhere):
        page = client_for(manager).get(
            reverse("activity:list", kwargs={"customer_pk": contact.customer_id})
        )
        text = page.content.decode()
        assert text.count("A person&#x27;s data was erased.") == 1
        assert "Quixote" not in text and EMAIL not in text


def test_the_pages_queries_do_not_grow_with_what_is_held(client_for, manager, zeb):
    # Two queries per registered model (its rows, their history), whatever
    # their number.
    client = client_for(manager)
    with CaptureQueriesContext(connection) as few:
        client.get(url(zeb))
    for _ in range(5):
        ContactFactory(
            person=zeb.person, first_name="Zebulon", last_name="Quixote", email=EMAIL
        )
        make_invoice(zeb.customer, zeb, status="sent")
    with CaptureQueriesContext(connection) as many:
        client.get(url(zeb))

    assert len(many.captured_queries) == len(few.captured_queries)


def person_page(contact):
    return reverse("persons:detail", kwargs={"pk": contact.person_id})


def test_the_person_page_offers_export_and_erase_to_managers(client_for, manager, zeb):
    page = client_for(manager).get(person_page(zeb)).content.decode()

    assert f'<form method="post" action="{url(zeb)}"' in page
    assert 'name="export" value="1"' in page
    assert "Export data" in page
    assert f'href="{url(zeb)}">Erase person</a>' in page


@pytest.mark.parametrize("persona", ["viewer", "editor"])
def test_the_person_page_shows_no_privacy_action_without_the_permission(
    client_for, persona, zeb, request
):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(person_page(zeb))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Export data" not in text and "Erase person" not in text
    assert url(zeb) not in text
    assert client_for(user).get(url(zeb)).status_code == 403
    assert client_for(user).post(url(zeb), {"export": "1"}).status_code == 403
    assert not ExportLog.objects.exists()


def test_the_person_pages_export_button_downloads_every_link(client_for, manager, zeb):
    elsewhere = ContactFactory(person=zeb.person, email="zeb@work.nl")

    # What the person page's Export data form posts.
    response = client_for(manager).post(url(zeb), {"export": "1"})

    assert response["Content-Disposition"] == (
        f'attachment; filename="personal-data-{zeb.person_id}.zip"'
    )
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("person.json"))
    assert sorted(row["id"] for row in data["data"]["contacts"]["rows"]) == sorted(
        [zeb.pk, elsewhere.pk]
    )
    assert data["data"]["persons"]["rows"][0]["last_name"] == "Quixote"
    assert ExportLog.objects.get().identifier == f"person {zeb.person_id}"


def test_the_confirmation_counts_links_history_and_emails(client_for, manager, zeb):
    ContactFactory(person=zeb.person, email="zeb@work.nl")

    response = client_for(manager).get(url(zeb))

    found = {kind: (rows, history) for kind, rows, history in response.context["found"]}
    assert found["contacts"] == (2, 2)
    assert found["persons"] == (1, 1)
    text = response.content.decode()
    assert "on their links to 2 customers" in text
    assert "I understand that this cannot be undone." in text
