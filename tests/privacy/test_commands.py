"""privacy_export and privacy_erase, by email and by id."""

import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from contacts.models import Contact, Person
from privacy.models import ErasureLog, ExportLog
from tests.contacts.factories import ContactFactory
from tests.privacy.helpers import EARLIER_LAST_NAME, EMAIL, arrange_person
from tests.sales.factories import make_invoice

pytestmark = pytest.mark.django_db


def test_the_export_holds_every_link_history_documents_and_deliveries(
    manager, tmp_path
):
    arranged = arrange_person(manager)
    output = tmp_path / "zeb.zip"

    call_command("privacy_export", "--email", EMAIL, "--output", str(output))

    archive = zipfile.ZipFile(output)
    data = json.loads(archive.read("person.json"))["data"]
    assert {row["id"] for row in data["contacts"]["rows"]} == {
        c.pk for c in arranged.contacts
    }
    # Earlier values are in the history.
    assert EARLIER_LAST_NAME in {
        row["last_name"] for row in data["contacts"]["history"]
    }
    assert [row["number"] for row in data["invoices"]["rows"]] == [
        arranged.invoice.number
    ]
    assert [row["number"] for row in data["shipments"]["rows"]] == [
        arranged.shipment.number
    ]
    assert sorted(row["status"] for row in data["emails"]["rows"]) == ["sent", "sent"]
    assert any("Zebulon" in row["text"] for row in data["emails"]["rows"])
    assert data["delivery events"]["rows"][0]["event_type"] == "bounced"
    # The merge record of someone else's contact, which quotes them.
    [quoted] = data["change reasons quoting the person"]["rows"]
    assert quoted["model"] == "contacts.Contact"
    assert EMAIL in quoted["history_change_reason"]
    assert "change-reasons-quoting-the-person.csv" in archive.namelist()
    assert "contacts.csv" in archive.namelist()
    assert "contacts-history.csv" in archive.namelist()
    assert EARLIER_LAST_NAME in archive.read("contacts-history.csv").decode()
    # Recorded, with no copy of the data.
    log = ExportLog.objects.get()
    assert (log.identifier, log.requested_by) == ("z***@example.nl", None)


def test_the_export_by_person_id_holds_every_link_of_theirs(tmp_path):
    zeb = ContactFactory(email=EMAIL)
    elsewhere = ContactFactory(person=zeb.person, email="zeb@work.nl")
    ContactFactory(email=EMAIL.replace("zebulon", "someone"))
    output = tmp_path / "zeb.zip"

    call_command(
        "privacy_export", "--person", str(zeb.person_id), "--output", str(output)
    )

    data = json.loads(zipfile.ZipFile(output).read("person.json"))["data"]
    assert sorted(row["id"] for row in data["contacts"]["rows"]) == [
        zeb.pk,
        elsewhere.pk,
    ]
    assert [row["id"] for row in data["persons"]["rows"]] == [zeb.person_id]


def test_contact_names_its_person(tmp_path):
    zeb = ContactFactory(email=EMAIL)
    elsewhere = ContactFactory(person=zeb.person, email="zeb@work.nl")
    output = tmp_path / "zeb.zip"

    call_command("privacy_export", "--contact", str(zeb.pk), "--output", str(output))

    data = json.loads(zipfile.ZipFile(output).read("person.json"))["data"]
    assert sorted(row["id"] for row in data["contacts"]["rows"]) == [
        zeb.pk,
        elsewhere.pk,
    ]


def test_an_email_finds_the_person_by_their_own_address_too(tmp_path):
    zeb = ContactFactory(email="zeb@work.nl")
    Person.objects.filter(pk=zeb.person_id).update(personal_email=EMAIL)
    output = tmp_path / "zeb.zip"

    call_command("privacy_export", "--email", EMAIL.upper(), "--output", str(output))

    data = json.loads(zipfile.ZipFile(output).read("person.json"))["data"]
    assert [row["id"] for row in data["contacts"]["rows"]] == [zeb.pk]


def test_an_address_of_several_persons_is_refused_with_their_list(db):
    ana = ContactFactory(first_name="Ana", last_name="Berg", email=EMAIL)
    bob = ContactFactory(first_name="Bob", last_name="Berg", email="bob@x.nl")
    Person.objects.filter(pk=bob.person_id).update(personal_email=EMAIL)

    with pytest.raises(CommandError) as refused:
        call_command("privacy_erase", "--email", EMAIL, "--yes")

    assert str(refused.value) == (
        f"{EMAIL} is the address of several persons: {ana.person_id} (Ana Berg), "
        f"{bob.person_id} (Bob Berg). Export or erase each by their id."
    )
    assert Contact.objects.get(pk=ana.pk).email == EMAIL
    assert not ErasureLog.objects.exists()


def test_erase_needs_yes(db):
    zeb = ContactFactory(email=EMAIL)

    with pytest.raises(CommandError, match="add --yes"):
        call_command("privacy_erase", "--email", EMAIL)

    assert Contact.objects.get(pk=zeb.pk).email == EMAIL


def test_erase_by_id_erases_and_prints_the_counts(capsys):
    zeb = ContactFactory(email=EMAIL)

    call_command("privacy_erase", "--person", str(zeb.person_id), "--yes")

    assert Contact.objects.get(pk=zeb.pk).email == ""
    out = capsys.readouterr().out
    assert "contacts: 1" in out and "persons: 1" in out
    assert ErasureLog.objects.get().identifier == f"person {zeb.person_id}"
    assert Person.objects.get(pk=zeb.person_id).full_name == "[erased]"


def test_erase_refused_names_the_draft(db):
    zeb = ContactFactory(email=EMAIL)
    draft = make_invoice(zeb.customer, zeb)

    with pytest.raises(CommandError, match=f"Invoice {draft.number} is a draft"):
        call_command("privacy_erase", "--email", EMAIL, "--yes")


def test_an_unknown_person_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="Nothing is held about nobody@x.nl"):
        call_command(
            "privacy_export", "--email", "nobody@x.nl", "--output", str(tmp_path / "z")
        )
    with pytest.raises(CommandError, match="There is no person 999"):
        call_command("privacy_erase", "--person", "999", "--yes")
    with pytest.raises(CommandError, match="There is no contact 999"):
        call_command("privacy_erase", "--contact", "999", "--yes")
