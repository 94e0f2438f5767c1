"""The rules of a contact person, proven through contacts.services: whatever saves a
contact (the Contacts tab, the admin, imports) shares them through Contact.clean()."""

import pytest
from django.core.exceptions import ValidationError

from contacts.models import Contact, ContactFieldSettings
from contacts.services.links import contact_create, contact_delete, contact_update
from tests.contacts.factories import ContactFactory, role
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    customer = CustomerFactory()
    billing_address(customer, country="NL")
    return customer


def refusal(**kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        contact_create(**kwargs)
    return refused.value.message_dict


def test_a_contact_needs_only_a_first_name_by_default(customer):
    contact = contact_create(customer=customer, first_name="Anna")
    assert contact.pk and contact.full_name == "Anna"


def test_a_contact_without_a_first_name_is_refused(customer):
    assert refusal(customer=customer, first_name="") == {
        "first_name": ["This field cannot be blank."]
    }
    assert not Contact.objects.exists()


def test_a_contact_holds_several_roles(customer):
    contact = contact_create(
        customer=customer,
        first_name="Anna",
        roles=[role("primary"), role("invoice"), role("shipment")],
    )
    assert sorted(contact.roles.values_list("code", flat=True)) == [
        "invoice",
        "primary",
        "shipment",
    ]


def test_the_default_settings_show_all_fields_and_require_none():
    settings = ContactFieldSettings.load()
    assert settings.shown_fields() == [
        "last_name",
        "email",
        "phone",
        "job_title",
        "department",
    ]
    assert settings.required_fields() == []
    # Reading the settings writes nothing.
    assert not ContactFieldSettings.objects.exists()


@pytest.mark.parametrize(
    "field", ["last_name", "email", "phone", "job_title", "department"]
)
def test_a_field_the_organisation_requires_is_required_by_the_service(customer, field):
    ContactFieldSettings.objects.create(**{f"require_{field}": True})
    assert refusal(customer=customer, first_name="Anna") == {
        field: ["This field is required."]
    }
    assert not Contact.objects.exists()


def test_a_required_field_holds_on_update_too(customer):
    contact = contact_create(customer=customer, first_name="Anna")
    ContactFieldSettings.objects.create(require_job_title=True)
    with pytest.raises(ValidationError) as refused:
        contact_update(contact=contact, data={"first_name": "Anne"})
    assert refused.value.message_dict == {"job_title": ["This field is required."]}
    contact.refresh_from_db()
    assert contact.first_name == "Anna"


def test_blanks_do_not_satisfy_a_required_field(customer):
    ContactFieldSettings.objects.create(require_department=True)
    assert "department" in refusal(
        customer=customer, first_name="Anna", department="   "
    )


def test_a_required_field_must_be_shown():
    settings = ContactFieldSettings(show_email=False, require_email=True)
    with pytest.raises(ValidationError, match="A required field must be shown"):
        settings.full_clean()


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("NL", "06 12345678", "+31612345678"),
        ("NL", "020 555 0101", "+31205550101"),
        ("NL", "+31 6 1234 5678", "+31612345678"),
        ("DE", "030 1234 5601", "+493012345601"),
        ("DE", "0151 2345 6701", "+4915123456701"),
        ("DE", "+49 30 12345601", "+493012345601"),
        ("US", "(201) 555-0101", "+12015550101"),
        ("US", "201-555-0101", "+12015550101"),
        ("US", "+1 201 555 0101", "+12015550101"),
        ("GB", "020 7946 0101", "+442079460101"),
        ("GB", "07400 123456", "+447400123456"),
        ("GB", "+44 20 7946 0101", "+442079460101"),
        # A foreign number typed with its country code is read as such.
        ("GB", "+31 6 12345678", "+31612345678"),
        ("NL", "0044 20 7946 0101", "+442079460101"),
    ],
)
def test_the_phone_is_read_with_the_billing_country_and_stored_e164(
    country, typed, stored
):
    customer = CustomerFactory()
    billing_address(customer, country=country)
    contact = contact_create(customer=customer, first_name="Anna", phone=typed)
    contact.refresh_from_db()
    assert contact.phone == stored


@pytest.mark.parametrize(
    ("country", "typed", "message"),
    [
        (
            "NL",
            "06 1234",
            "This is a mobile number in Netherlands (+31) with 4 digits too few.",
        ),
        (
            "US",
            "555-0101",
            "Add the area code: this number can only be dialled locally in United "
            "States of America (+1).",
        ),
        (
            "GB",
            "020 7946",
            "This is a landline number in United Kingdom (+44) with 4 digits too few.",
        ),
        (
            "NL",
            "not a number",
            "A phone number has only digits, spaces and + ( ) -: remove the letters.",
        ),
        (
            "NL",
            "+31 6 1",
            "This number has too few digits for Netherlands (+31).",
        ),
    ],
)
def test_an_invalid_number_is_refused_at_the_phone_field(country, typed, message):
    customer = CustomerFactory()
    billing_address(customer, country=country)
    errors = refusal(customer=customer, first_name="Anna", phone=typed)
    assert list(errors) == ["phone"]
    assert errors["phone"][0] == message
    assert not Contact.objects.exists()


def test_a_national_number_that_is_invalid_names_the_billing_country():
    customer = CustomerFactory()
    billing_address(customer, country="DE")
    errors = refusal(customer=customer, first_name="Anna", phone="0000 000")
    assert errors["phone"] == [
        "This is not a phone number in use in Germany (+49): check the first digits, "
        "or type a foreign number with its country code (+…)."
    ]


def test_without_a_billing_address_a_number_needs_its_country_code():
    customer = CustomerFactory()
    errors = refusal(customer=customer, first_name="Anna", phone="06 12345678")
    assert errors == {
        "phone": [
            "Enter the number with its country code (+…): this customer has no "
            "billing address to read it by."
        ]
    }
    contact = contact_create(
        customer=customer, first_name="Anna", phone="+31 6 12345678"
    )
    assert contact.phone == "+31612345678"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("anna.example.com", "This address has no @ sign"),
        ("anna@", "Add the domain after the @ sign"),
        ("anna@example", "The domain after the @ sign needs a period"),
        ("anna@exa mple.com", "This address contains a space"),
        ("anna@-example.com", "hyphen"),
        ("anna@example..com", "two periods in a row"),
    ],
)
def test_an_invalid_email_is_refused_saying_why(customer, typed, reason):
    errors = refusal(customer=customer, first_name="Anna", email=typed)
    assert list(errors) == ["email"]
    assert reason in errors["email"][0]
    assert not Contact.objects.exists()


def test_the_email_is_stored_normalised(customer):
    contact = contact_create(
        customer=customer, first_name="Anna", email="  Anna@Fjord-Foods.EXAMPLE.com "
    )
    assert contact.email == "Anna@fjord-foods.example.com"


def test_a_text_past_its_limit_is_refused_not_cut(customer):
    errors = refusal(customer=customer, first_name="A" * 101)
    assert errors["first_name"] == [
        "Ensure this value has at most 100 characters (it has 101)."
    ]


def test_an_update_changes_fields_and_roles(customer):
    contact = ContactFactory(customer=customer, roles=["primary"])
    contact_update(
        contact=contact,
        data={"job_title": "Buyer", "phone": "06 87654321"},
        roles=[role("order"), role("invoice")],
    )
    contact.refresh_from_db()
    assert contact.job_title == "Buyer"
    assert contact.phone == "+31687654321"
    assert set(contact.roles.values_list("code", flat=True)) == {"order", "invoice"}


def test_an_update_without_roles_keeps_them(customer):
    contact = ContactFactory(customer=customer, roles=["primary"])
    contact_update(contact=contact, data={"job_title": "Buyer"})
    assert list(contact.roles.values_list("code", flat=True)) == ["primary"]


def test_a_refused_update_saves_nothing(customer):
    contact = ContactFactory(customer=customer, first_name="Anna", roles=["primary"])
    with pytest.raises(ValidationError):
        contact_update(
            contact=contact,
            data={"first_name": "Anne", "phone": "12"},
            roles=[role("order")],
        )
    contact.refresh_from_db()
    assert contact.first_name == "Anna"
    assert list(contact.roles.values_list("code", flat=True)) == ["primary"]


def test_delete_removes_the_contact_and_keeps_its_history(customer):
    contact = contact_create(customer=customer, first_name="Anna")
    pk = contact.pk
    contact_delete(contact=contact)
    assert not Contact.objects.filter(pk=pk).exists()
    assert Contact.history.filter(id=pk, history_type="-").exists()
