from io import StringIO

import pytest
from django.core.management import call_command

from contacts.models import ContactDetail
from customers.models import Customer

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", "--no-users", stdout=StringIO())


def test_demo_customers_get_contact_cards_with_descriptions():
    seed()
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
    seed()
    for customer in Customer.objects.filter(contact_details__isnull=False).distinct():
        kinds = set(customer.contact_details.values_list("kind", flat=True))
        primary_kinds = list(
            customer.contact_details.filter(is_primary=True).values_list(
                "kind", flat=True
            )
        )
        assert sorted(primary_kinds) == sorted(kinds)


def test_seeding_twice_adds_no_details():
    seed()
    count = ContactDetail.objects.count()
    seed()
    assert ContactDetail.objects.count() == count
