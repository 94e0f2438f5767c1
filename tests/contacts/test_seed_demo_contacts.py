from io import StringIO

import pytest
from django.core.management import call_command

from contacts.models import Contact
from core.phones import format_phone_number
from customers.models import Customer

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", "--no-users", stdout=StringIO())


def test_every_demo_customer_gets_contacts_with_roles_and_valid_phones():
    seed()
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
    seed()
    count = Contact.objects.count()
    seed()
    assert Contact.objects.count() == count
    # A database seeded before there were contacts gets them on the next run.
    Contact.objects.filter(customer__in=Customer.objects.all()[:5]).delete()
    seed()
    assert Contact.objects.count() == count
