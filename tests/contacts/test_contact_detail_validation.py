"""Every way in normalises and checks values through the model: emails, phone numbers
read by the billing country, websites."""

import pytest
from django.core.exceptions import ValidationError

from contacts.models import ContactDetail
from contacts.services.card import contact_detail_create
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db


def create(kind, value, country=None):
    customer = CustomerFactory()
    if country:
        billing_address(customer, country)
    return contact_detail_create(customer=customer, kind=kind, value=value)


@pytest.mark.parametrize(
    ("country", "kind", "typed", "stored"),
    [
        ("NL", "mobile", "06 12345678", "+31612345678"),
        ("NL", "telephone", "020 123 4567", "+31201234567"),
        ("NL", "mobile", "+31 6 12345678", "+31612345678"),
        ("DE", "telephone", "030 12345678", "+493012345678"),
        ("DE", "mobile", "+49 151 23456789", "+4915123456789"),
        ("BE", "telephone", "012 34 56 78", "+3212345678"),
        ("BE", "mobile", "+32 470 12 34 56", "+32470123456"),
        ("US", "telephone", "(201) 555-0123", "+12015550123"),
        ("US", "telephone", "+1 201 555 0123", "+12015550123"),
        ("GB", "telephone", "020 7946 0018", "+442079460018"),
        ("GB", "mobile", "+44 7400 123456", "+447400123456"),
        # Typed with a country code: read as typed, whatever the billing country.
        ("NL", "telephone", "+44 20 7946 0018", "+442079460018"),
    ],
)
def test_phone_numbers_are_read_with_the_billing_country_and_stored_e164(
    country, kind, typed, stored
):
    assert create(kind, typed, country).value == stored


@pytest.mark.parametrize(
    ("country", "typed", "reason"),
    [
        ("NL", "06 123", "mobile number in Netherlands (+31) with 5 digits too few"),
        ("DE", "12", "Add the area code"),
        ("US", "555-0123", "Add the area code"),
        ("GB", "07400", "Add the area code"),
        ("BE", "x", "remove the letters"),
    ],
)
def test_an_invalid_number_is_refused_at_the_value(country, typed, reason):
    with pytest.raises(ValidationError) as refused:
        create("telephone", typed, country)
    assert reason in refused.value.message_dict["value"][0]
    assert not ContactDetail.objects.exists()


def test_without_a_billing_address_a_number_needs_its_country_code():
    with pytest.raises(ValidationError) as refused:
        create("mobile", "06 12345678")
    assert "country code" in refused.value.message_dict["value"][0]
    assert create("mobile", "+31 6 12345678").value == "+31612345678"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("info.example.com", "no @ sign"),
        ("info@", "Add the domain after the @ sign"),
        ("info@example", "needs a period"),
        ("info@exa mple.com", "contains a space"),
    ],
)
def test_an_email_without_at_or_domain_is_refused_saying_why(typed, reason):
    with pytest.raises(ValidationError) as refused:
        create("email", typed)
    assert reason in refused.value.message_dict["value"][0]


def test_an_email_is_stored_normalised():
    assert create("email", " Info@Example.COM ").value == "info@example.com"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("example.com", "https://example.com"),
        ("http://example.com/shop", "http://example.com/shop"),
        ("https://www.example.co.uk", "https://www.example.co.uk"),
    ],
)
def test_a_website_is_stored_as_an_http_address(typed, stored):
    assert create("website", typed).value == stored


@pytest.mark.parametrize("typed", ["ftp://example.com", "not a site", "https://"])
def test_an_invalid_website_is_refused(typed):
    with pytest.raises(ValidationError) as refused:
        create("website", typed)
    assert "valid website address" in refused.value.message_dict["value"][0]


def test_a_description_past_its_limit_is_refused_not_cut():
    customer = CustomerFactory()
    with pytest.raises(ValidationError) as refused:
        contact_detail_create(
            customer=customer,
            kind="email",
            value="a@example.com",
            description="x" * 101,
        )
    assert "description" in refused.value.message_dict
