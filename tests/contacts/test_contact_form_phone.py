"""The contact form's phone number: django-phonenumber-field's form field, read with
the customer's billing country, refusing in the project's words."""

import pytest
from django.utils import translation
from phonenumber_field.formfields import PhoneNumberField

from contacts.forms import ContactForm
from contacts.models import Contact
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db


def bound_form(country: str | None, phone: str) -> ContactForm:
    customer = CustomerFactory()
    if country:
        billing_address(customer, country=country)
    return ContactForm(
        data={"first_name": "Anna", "phone": phone}, instance=Contact(customer=customer)
    )


def test_the_field_is_django_phonenumber_fields_form_field():
    assert isinstance(ContactForm.base_fields["phone"], PhoneNumberField)


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("NL", "06 12345678", "+31612345678"),
        ("BE", "0470 12 34 56", "+32470123456"),
        ("BE", "+31 6 1234 5678", "+31612345678"),
    ],
)
def test_a_number_is_read_with_the_billing_country(country, typed, stored):
    form = bound_form(country, typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == stored


def test_a_refusal_is_in_our_words_in_the_users_language():
    with translation.override("nl"):
        form = bound_form("NL", "06 1234 567A")
        assert not form.is_valid()
        (error,) = form.errors["phone"]
        expected = translation.gettext(
            "A phone number has only digits, spaces and + ( ) -: remove the letters."
        )
    assert error == expected
    assert expected.startswith("Een telefoonnummer")


def test_without_a_billing_address_it_asks_for_the_country_code():
    form = bound_form(None, "06 12345678")
    assert form.errors["phone"] == [
        "Enter the number with its country code (+…): this customer has no "
        "billing address to read it by."
    ]
