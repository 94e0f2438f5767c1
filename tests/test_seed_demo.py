"""`manage.py seed_demo`: each app seeds its part of the demo (core.demo).

Seeding takes a second or more, so this module seeds once (`--no-users`) and its
tests read that data; a test that writes (seeding again, deleting) does so inside its
own transaction, rolled back after it, as every test's is.
"""

from io import StringIO

import phonenumbers
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from contacts.models import Contact, ContactDetail, PossibleDuplicate
from core.phones import format_phone_number
from customers.models import Address, Customer
from sales.models import Invoice, SalesOrder, Shipment
from tests.activity.helpers import entries

pytestmark = pytest.mark.django_db


def seed(*args):
    call_command("seed_demo", *args, stdout=StringIO())


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    """The demo data, seeded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed("--no-users")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


# Customers and users.


def test_it_creates_about_fifty_customers_in_six_countries_or_more():
    assert Customer.objects.count() == 50
    countries = set(
        Address.objects.filter(kind="billing").values_list("country", flat=True)
    )
    assert {"NL", "DE", "US", "GB"} <= countries
    assert len(countries) >= 6
    assert Address.objects.filter(kind="shipping").exists()
    assert not Customer.objects.filter(addresses__isnull=True).exists()


def test_it_is_idempotent(debug_on):
    seed()
    seed()
    assert Customer.objects.count() == 50
    assert get_user_model().objects.count() == 4


def test_it_creates_one_user_per_group_and_an_admin_and_prints_them(debug_on, capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    users = get_user_model().objects
    assert users.get(username="admin").is_superuser
    for username, group in [
        ("manager", "Sales manager"),
        ("staff", "Sales staff"),
        ("viewer", "Sales viewer"),
    ]:
        assert list(
            users.get(username=username).groups.values_list("name", flat=True)
        ) == [group]
        assert username in out
    assert "contacts-demo" in out
    assert users.get(username="viewer").check_password("contacts-demo")


@override_settings(DEBUG=False)
def test_with_debug_off_it_may_still_seed_the_data_alone():
    seed("--no-users")
    assert Customer.objects.count() == 50
    assert not get_user_model().objects.exists()


# Contacts.


def test_every_demo_customer_gets_contacts_with_roles_and_valid_phones():
    assert not Customer.objects.filter(contacts__isnull=True).exists()
    contacts = Contact.objects.prefetch_related("roles")
    assert contacts.count() >= 100
    for contact in contacts:
        # phonenumbers reads the stored number back as valid: it is shown formatted.
        assert format_phone_number(contact.phone) != contact.phone
        assert "@" in contact.email
        assert contact.roles.all()
    role_codes = set(contacts.values_list("roles__code", flat=True))
    assert role_codes == {"primary", "order", "invoice", "shipment"}
    # Read with the billing country: typed nationally, stored with its country code.
    german = Contact.objects.filter(customer__addresses__country="DE").first()
    assert german.phone.startswith("+49")
    american = Contact.objects.filter(customer__addresses__country="US").first()
    assert american.phone.startswith("+1")
    # Some customers lack a Primary contact, to show the Contacts tab's notice.
    without_primary = Customer.objects.exclude(contacts__roles__code="primary")
    assert 0 < without_primary.count() < Customer.objects.count()


def test_seeding_again_adds_contacts_only_to_customers_without_any():
    count = Contact.objects.count()
    seed("--no-users")
    assert Contact.objects.count() == count
    # A database seeded before there were contacts gets them on the next run.
    Contact.objects.filter(customer__in=Customer.objects.all()[:5]).delete()
    seed("--no-users")
    assert Contact.objects.count() == count


def test_every_demo_phone_number_is_valid_and_no_two_are_alike():
    phones = [
        *Contact.objects.exclude(phone="").values_list("phone", flat=True),
        *ContactDetail.objects.filter(kind__in=["telephone", "mobile"]).values_list(
            "value", flat=True
        ),
    ]
    assert len(phones) > 150
    for phone in phones:
        assert phonenumbers.is_valid_number(phonenumbers.parse(phone)), phone
    assert len(set(phones)) == len(phones)
    # Each country's numbers vary, not one example number per country.
    dutch = Contact.objects.filter(
        customer__addresses__kind="billing", customer__addresses__country="NL"
    ).values_list("phone", flat=True)
    assert len(set(dutch)) == len(dutch) > 5


def test_the_possible_duplicates_are_a_typo_and_a_changed_email():
    contacts = list(Contact.objects.order_by("pk"))

    def pairs(same):
        return [
            (a, b)
            for a in contacts
            for b in contacts
            if a.customer_id == b.customer_id and a.pk < b.pk and same(a, b)
        ]

    typo = pairs(lambda a, b: a.email == b.email and a.first_name != b.first_name)
    assert ("David", "Davd") in {(a.first_name, b.first_name) for a, b in typo}
    changed_email = pairs(
        lambda a, b: a.full_name == b.full_name and a.email != b.email
    )
    assert changed_email
    # Nothing truncated: every first name is a name of two letters or more.
    assert all(len(contact.first_name) > 2 for contact in contacts)
    # The Possible duplicates page proposes both kinds.
    pairs = {
        frozenset((pair.contact_a_id, pair.contact_b_id))
        for pair in PossibleDuplicate.objects.all()
    }
    assert {frozenset((a.pk, b.pk)) for a, b in typo + changed_email} <= pairs


def test_job_titles_are_in_the_customers_language():
    def titles(country):
        return set(
            Contact.objects.filter(
                customer__addresses__kind="billing",
                customer__addresses__country=country,
            ).values_list("job_title", flat=True)
        )

    assert "Inkoopmanager" in titles("NL")
    assert "Einkaufsleiterin" in titles("DE")
    assert "Responsable des achats" in titles("FR")
    assert "Purchasing Manager" in titles("GB")


# Contact details.


def test_demo_customers_get_contact_cards_with_descriptions():
    details = ContactDetail.objects.all()
    assert details.count() > 100
    assert set(details.values_list("kind", flat=True)) == {
        "email",
        "telephone",
        "mobile",
        "website",
    }
    descriptions = set(details.values_list("description", flat=True))
    assert {"Billing Contact", "Emergency Contact"} <= descriptions
    # Some cards stay empty to show the empty state.
    assert Customer.objects.filter(contact_details__isnull=True).exists()


def test_the_demo_details_follow_the_primary_rules():
    for customer in Customer.objects.filter(contact_details__isnull=False).distinct():
        kinds = set(customer.contact_details.values_list("kind", flat=True))
        primary_kinds = list(
            customer.contact_details.filter(is_primary=True).values_list(
                "kind", flat=True
            )
        )
        assert sorted(primary_kinds) == sorted(kinds)


def test_seeding_twice_adds_no_details():
    count = ContactDetail.objects.count()
    seed("--no-users")
    assert ContactDetail.objects.count() == count


# Sales documents.


def test_demo_data_has_documents_with_their_proposed_contacts_and_is_idempotent():
    counts = [kind.objects.count() for kind in (SalesOrder, Invoice, Shipment)]
    assert counts == [6, 6, 6]
    invoice = Invoice.objects.order_by("number").first()
    assert invoice.number == "INV-00001"
    assert invoice.contact.roles.filter(code="invoice").exists()
    assert invoice.contact_email == invoice.contact.email
    seed("--no-users")
    assert [kind.objects.count() for kind in (SalesOrder, Invoice, Shipment)] == counts


# The Activity Log.


def test_a_management_command_leaves_entries_by_the_system():
    customer = Customer.objects.order_by("pk").first()
    log = entries(customer)
    assert {entry.who for entry in log} == {"system"}
    assert {"Customer", "Address", "Contact", "Contact detail"} <= {
        entry.kind for entry in log
    }
