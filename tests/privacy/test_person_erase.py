"""Erasing a person: every field the registry marks erase, in the rows and their
history, in one transaction; issued documents keep their copy."""

import pytest
from django.core.exceptions import ValidationError

from communications.models import Delivery, DeliveryEvent, Suppression
from contacts.models import (
    CONTACT_PERSON_FIELDS,
    Contact,
    ContactDetail,
    NotDuplicate,
    Person,
    PossibleDuplicate,
)
from contacts.services.merge import contacts_merge
from contacts.services.persons import persons_join
from privacy.models import ErasureLog, RetainedCopy
from privacy.services import (
    ERASURE_REASON,
    ErasureRefused,
    find_subject,
    person_erase,
)
from sales.models import Invoice
from tests.contacts.factories import ContactFactory
from tests.privacy.helpers import (
    EMAIL,
    NAME,
    NEEDLES,
    PHONE,
    arrange_person,
    where_found,
)
from tests.sales.factories import make_invoice

pytestmark = pytest.mark.django_db

# Where an erased person may still be found: the issued documents' copies of their
# recipient, and those copies in the documents' history.
RETAINED = {
    (table, column)
    for kind in ("invoice", "shipment")
    for table in (f"sales_{kind}", f"sales_historical{kind}")
    for column in ("contact_name", "contact_email", "contact_phone")
}


def test_an_erased_person_is_found_only_in_the_issued_documents_copies(manager):
    arrange_person(manager)
    before = where_found(NEEDLES)
    # The arrangement reaches every kind of place: the scan can see them.
    assert {
        ("contacts_contact", "last_name"),
        ("contacts_historicalcontact", "last_name"),
        ("contacts_contactdetail", "value"),
        ("communications_delivery", "text"),
        ("communications_historicaldelivery", "email"),
        ("communications_deliveryevent", "description"),
        ("communications_suppression", "email"),
        ("django_admin_log", "object_repr"),
        ("contacts_person", "last_name"),
        ("contacts_historicalperson", "last_name"),
        # The merge record of someone else's contact quotes them.
        ("contacts_historicalcontact", "history_change_reason"),
    } <= before
    assert before >= RETAINED

    person_erase(subject=find_subject(email=EMAIL), user=manager)

    assert where_found(NEEDLES) == RETAINED


def test_it_writes_one_activity_log_entry_per_linked_customer_without_data(manager):
    arranged = arrange_person(manager)
    customers = {contact.customer_id for contact in arranged.contacts}

    person_erase(subject=find_subject(email=EMAIL), user=manager)

    entries = Contact.history.filter(history_change_reason=ERASURE_REASON)
    assert sorted(entries.values_list("customer_id", flat=True)) == sorted(customers)
    assert set(entries.values_list("history_user_id", flat=True)) == {manager.pk}
    for entry in entries:
        assert (entry.first_name, entry.last_name, entry.email, entry.phone) == (
            "[erased]",
            "",
            "",
            "",
        )


def test_it_keeps_the_links_nameless_and_without_roles(manager):
    arranged = arrange_person(manager)

    person_erase(subject=find_subject(email=EMAIL), user=manager)

    for contact in Contact.objects.filter(pk__in=[c.pk for c in arranged.contacts]):
        assert contact.full_name == "[erased]"
        assert list(contact.roles.all()) == []
    assert not ContactDetail.objects.filter(value__icontains="612345678").exists()
    assert not PossibleDuplicate.objects.exists()
    assert not NotDuplicate.objects.exists()
    # The other Zebulon is someone else: untouched.
    arranged.other.refresh_from_db()
    assert arranged.other.full_name == "Zebulon Quixotte"
    assert Delivery.objects.filter(email="").count() == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert DeliveryEvent.objects.get().email == ""
    assert Suppression.objects.get().email.endswith("@invalid")


def test_the_erasure_log_keeps_a_masked_identifier_who_and_counts(manager):
    arrange_person(manager)

    log = person_erase(subject=find_subject(email=EMAIL), user=manager)

    assert ErasureLog.objects.get() == log
    assert (log.identifier, log.requested_by) == ("z***@example.nl", manager)
    assert log.counts["contacts"] == 2
    assert log.counts["emails"] == 2
    assert log.counts["contact details"] == 1
    assert log.counts["possible duplicates"] == 1
    assert log.counts["invoices (kept for the retention period)"] == 1
    assert log.counts["shipments (kept for the retention period)"] == 1
    assert log.counts["contacts (history)"] >= 3
    assert "Zebulon" not in str(log.counts) and NAME not in str(log.identifier)
    assert RetainedCopy.objects.count() == 2


def test_it_refuses_while_a_draft_has_the_person_as_its_contact(manager):
    zeb = ContactFactory(first_name="Zebulon", last_name="Quixote", email=EMAIL)
    draft = make_invoice(zeb.customer, zeb)

    with pytest.raises(ErasureRefused) as refused:
        person_erase(subject=find_subject(email=EMAIL), user=manager)

    assert refused.value.messages == [
        f"Invoice {draft.number} is a draft with this person as its contact: send "
        "it or choose another contact first."
    ]
    zeb.refresh_from_db()
    assert zeb.full_name == NAME
    assert not ErasureLog.objects.exists()


def test_a_draft_is_not_a_retained_copy(manager):
    zeb = ContactFactory(first_name="Zebulon", last_name="Quixote", email=EMAIL)
    draft = make_invoice(zeb.customer, zeb)
    other = ContactFactory(customer=zeb.customer, first_name="Ann")
    Invoice.objects.filter(pk=draft.pk).update(contact=other)

    person_erase(subject=find_subject(email=EMAIL), user=manager)

    draft.refresh_from_db()
    assert (draft.contact_name, draft.contact_email) == ("", "")
    assert not RetainedCopy.objects.exists()


def test_it_finds_a_person_by_contact_id_and_refuses_an_unknown_one(manager):
    zeb = ContactFactory(first_name="Zebulon", last_name="Quixote", email=EMAIL)

    person = find_subject(contact_id=zeb.pk)

    assert person.emails == {EMAIL} and person.contact_ids == {zeb.pk}
    with pytest.raises(ValidationError, match="There is no contact"):
        find_subject(contact_id=zeb.pk + 1)


def test_it_refuses_an_address_nothing_is_held_about(manager):
    with pytest.raises(ValidationError, match="Nothing is held about"):
        person_erase(subject=find_subject(email="nobody@example.nl"), user=manager)


def merge(keep, merge_away):
    contacts_merge(
        keep=keep,
        merge_away=merge_away,
        values={name: getattr(keep, name) for name in CONTACT_PERSON_FIELDS},
    )


def test_a_person_merged_away_and_gone_is_erased_by_their_address(manager):
    # Typed twice at one customer, as two persons; merged into the one that
    # stays. The merged-away person had no other link: deleted with it.
    anna = ContactFactory(first_name="Anna", last_name="Bergman", email="a@x.nl")
    ana = ContactFactory(
        customer=anna.customer, first_name="Ana", last_name="Berg", email=EMAIL
    )
    merge(anna, ana)
    assert not Person.objects.filter(pk=ana.person_id).exists()
    assert ("contacts_historicalcontact", "history_change_reason") in where_found(
        [EMAIL]
    )

    subject = find_subject(email=EMAIL)
    assert subject.person_ids == set() and subject.contact_ids == {ana.pk}
    log = person_erase(subject=subject, user=manager)

    assert where_found([EMAIL, "Ana Berg"]) == set()
    assert log.counts["change reasons quoting the person"] == 1
    # The kept contact's own record is untouched but for its reason.
    record = Contact.history.filter(id=anna.pk).latest("history_id")
    assert (record.first_name, record.history_change_reason) == ("Anna", None)


def test_a_reason_quoting_a_longer_name_is_left_alone(manager):
    # "Anna Berg" is in "Hanna Bergman" only as letters, not as a name.
    hanna = ContactFactory(first_name="Hanna", last_name="Bergman", email="h@x.nl")
    other = ContactFactory(
        customer=hanna.customer, first_name="Hanna", last_name="Bergmann"
    )
    merge(other, hanna)
    anna = ContactFactory(first_name="Anna", last_name="Berg", email=EMAIL)
    others = Contact.history.exclude(id=anna.pk).order_by("history_id")
    before = list(others.values_list("history_change_reason", flat=True))
    assert any("Merged Hanna Bergman" in (reason or "") for reason in before)

    log = person_erase(subject=find_subject(contact_id=anna.pk), user=manager)

    assert list(others.values_list("history_change_reason", flat=True)) == before
    assert "change reasons quoting the person" not in log.counts


def test_a_person_joined_into_theirs_is_erased_with_them(manager):
    zeb = ContactFactory(first_name="Zebulon", last_name="Quixote", email=EMAIL)
    # The same person, typed at another customer with another spelling.
    zebu = ContactFactory(first_name="Zebu", last_name="Quixotter", email="z@x.nl")
    Person.objects.filter(pk=zebu.person_id).update(personal_phone=PHONE)
    persons_join(keep=zeb.person, join=zebu.person)
    assert not Person.objects.filter(pk=zebu.person_id).exists()

    person_erase(subject=find_subject(person_id=zeb.person_id), user=manager)

    assert where_found(["Quixotter", "Zebu ", "z@x.nl"]) == set()
    assert (
        not Person.history.filter(id=zebu.person_id)
        .exclude(first_name="[erased]")
        .exists()
    )
