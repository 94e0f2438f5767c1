"""The contacts' pages, forms, refusals and role names in Dutch: each test fails when
a string of the contacts app is left untranslated or its translation breaks. The
browser asks for Dutch (Accept-Language); English stays the default elsewhere."""

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from contacts.forms import ContactCardWindow, ContactForm
from contacts.models import ContactDetail, ContactRole
from contacts.services.duplicates import possible_duplicates_refresh
from contacts.validators import (
    normalize_email_address,
    normalize_phone_number,
    normalize_website,
    phone_type_warning,
)
from tests.contacts.factories import ContactDetailFactory, ContactFactory, role
from tests.customers.factories import CustomerFactory, billing_address
from tests.translations import NL as DUTCH

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    customer = CustomerFactory(name="Fjord Foods B.V.")
    billing_address(customer, country="NL")
    return customer


def text_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def assert_dutch(page: str, *, present: list[str], absent: list[str]) -> None:
    for words in present:
        assert words in page, words
    for words in absent:
        assert words not in page, words


# Role names, by code.


def test_the_standard_roles_are_named_in_the_users_language():
    with translation.override("nl"):
        assert [str(role(code)) for code in ("primary", "order", "invoice")] == [
            "Primair",
            "Order",
            "Factuur",
        ]
        assert role("shipment").label == "Zending"
        assert role("primary").description_label == "Belangrijkste aanspreekpunt"
    with translation.override("en"):
        assert str(role("primary")) == "Primary"


def test_a_custom_or_renamed_role_keeps_its_stored_name():
    custom = ContactRole.objects.create(code="marketing", name="Marketing", position=9)
    renamed = role("invoice")
    renamed.name = "Accounts payable"
    renamed.save()
    with translation.override("nl"):
        assert str(custom) == "Marketing"
        assert str(renamed) == "Accounts payable"


def test_the_permissions_are_named_in_dutch():
    from contacts.models import Contact

    permissions = dict(Contact._meta.permissions + ContactDetail._meta.permissions)
    with translation.override("nl"):
        assert str(permissions["merge_contact"]) == "Contactpersonen samenvoegen"
        assert (
            str(permissions["update_customer_contact_details"])
            == "Contactgegevens van klanten bijwerken"
        )


# Pages.


def test_the_contacts_tab_in_dutch(client_for, editor, customer):
    ContactFactory(
        customer=customer,
        first_name="Anna",
        last_name="Berg",
        roles=["primary", "invoice"],
        language="en",
        job_title="Inkoper",
    )
    page = text_of(
        client_for(editor).get(reverse("contacts:list", args=[customer.pk]), **DUTCH)
    )
    assert_dutch(
        page,
        present=[
            "Contactpersonen",
            "Contactpersoon toevoegen",
            "Primair",
            "Factuur",
            "Functie",
            "E-mailadres",
            "Telefoonnummer",
            "Wijzigen",
            "Verwijderen",
            "E-mails in het Engels",
            'title="Belangrijkste aanspreekpunt"',
        ],
        absent=[
            "Add contact",
            '">Primary</span>',
            '">Invoice</span>',
            "Job title",
            "Emails in",
        ],
    )


def test_the_primary_role_notice_in_dutch(client_for, editor, customer):
    page = text_of(
        client_for(editor).get(reverse("contacts:list", args=[customer.pk]), **DUTCH)
    )
    assert "Geen contactpersoon van deze klant heeft de rol Primair." in page
    assert "Deze klant heeft nog geen contactpersonen." in page


def test_the_contact_form_in_dutch_with_the_language_of_emails(
    client_for, editor, customer
):
    page = text_of(
        client_for(editor).get(reverse("contacts:create", args=[customer.pk]), **DUTCH)
    )
    assert_dutch(
        page,
        present=[
            "Voornaam",
            "Achternaam",
            "Afdeling",
            "Rollen",
            "Taal van e-mails",
            "Taal van de organisatie (Engels)",
            "Primair",
            "Zending",
            "Opslaan",
            "Annuleren",
        ],
        absent=["First name", "Language of emails", "Organisation's language"],
    )


@override_settings(ORGANISATION_LANGUAGE="nl")
def test_the_blank_language_names_the_organisations_language():
    with translation.override("nl"):
        blank = dict(ContactForm().fields["language"].choices)[""]
        assert blank == "Taal van de organisatie (Nederlands)"
    with translation.override("en"):
        blank = dict(ContactForm().fields["language"].choices)[""]
        assert blank == "Organisation's language (Dutch)"


def test_a_contact_saved_with_its_language_and_a_dutch_message(
    client_for, editor, customer
):
    client = client_for(editor)
    response = client.post(
        reverse("contacts:create", args=[customer.pk]),
        {"first_name": "Anna", "last_name": "Berg", "language": "nl"},
        **DUTCH,
    )
    assert response.status_code == 302
    contact = customer.contacts.get()
    assert contact.language == "nl"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Contactpersoon Anna Berg is toegevoegd."
    ]


def test_validation_errors_of_the_contact_form_in_dutch(client_for, editor, customer):
    page = text_of(
        client_for(editor).post(
            reverse("contacts:create", args=[customer.pk]),
            {"first_name": "", "email": "anna@@example.com", "phone": "06 1234"},
            **DUTCH,
        )
    )
    assert "Dit veld is verplicht." in page or "Dit veld is vereist." in page
    assert "This field is required." not in page


def test_the_overview_contact_card_and_persons_in_dutch(client_for, editor, customer):
    ContactDetailFactory(
        customer=customer, kind="email", value="info@fjord.example", is_primary=True
    )
    ContactDetailFactory(
        customer=customer,
        kind="telephone",
        value="+31201234567",
        description="Receptie",
        is_primary=True,
    )
    ContactDetailFactory(customer=customer, kind="email", value="extra@fjord.example")
    ContactFactory(customer=customer, first_name="Anna", roles=["primary"])
    page = text_of(
        client_for(editor).get(reverse("customers:detail", args=[customer.pk]), **DUTCH)
    )
    assert_dutch(
        page,
        present=[
            "E-mailadres",
            "Telefoon",
            "Mobiel",
            "Website",
            "Niet opgegeven",
            "Omschrijving van Telefoon",
            "Aanvullende contactgegevens",
            "Andere contactgegevens",
            "Contactpersonen",
            "Primair",
        ],
        absent=[
            "Email Address",
            "Mobile Phone",
            "Not given",
            "Additional contact details",
            "Contact persons",
            ">Primary<",
        ],
    )


def test_an_empty_contact_card_in_dutch(client_for, editor, customer):
    page = text_of(
        client_for(editor).get(reverse("customers:detail", args=[customer.pk]), **DUTCH)
    )
    assert "Nog geen contactgegevens." in page
    assert "Klik op Wijzigen om een e-mailadres" in page


def test_the_contact_card_window_in_dutch(client_for, editor, customer):
    ContactDetailFactory(customer=customer, kind="email", value="extra@fjord.example")
    page = text_of(
        client_for(editor).get(
            reverse("contacts:contact_details_edit", args=[customer.pk]), **DUTCH
        )
    )
    assert_dutch(
        page,
        present=[
            "Contactgegevens van Fjord Foods B.V. wijzigen",
            "Primaire contactgegevens",
            "Aanvullende contactgegevens",
            "Omschrijving",
            "van E-mailadres",
            "Soort",
            "Waarde",
            "Aanvullend gegeven 1",
            "Toevoegen",
            "Opslaan",
            "Annuleren",
            "Sluiten",
        ],
        absent=["Primary contact details", "Description", "Remove", "Close<"],
    )


def test_the_contact_card_window_refuses_in_dutch(client_for, editor, customer):
    data = {
        "version": "0",
        "email": "anna@@example.com",
        "email_description": "",
        "telephone": "",
        "telephone_description": "",
        "mobile": "",
        "mobile_description": "Alleen omschrijving",
        "website": "",
        "website_description": "",
        "additional-TOTAL_FORMS": "0",
        "additional-INITIAL_FORMS": "0",
    }
    page = text_of(
        client_for(editor).post(
            reverse("contacts:contact_details_edit", args=[customer.pk]),
            data,
            **DUTCH,
        )
    )
    assert "Er is niets opgeslagen: verbeter de 2 fouten hieronder." in page
    assert "Dit adres heeft 2 @-tekens" in page
    assert "Vul een waarde in bij deze omschrijving, of maak beide leeg." in page
    assert "Nothing was saved" not in page


def test_the_window_saves_with_a_dutch_message_and_warning(
    client_for, editor, customer
):
    window = ContactCardWindow()
    data = {
        "version": "0",
        "telephone": "06 12345678",
        "additional-TOTAL_FORMS": "0",
        "additional-INITIAL_FORMS": "0",
    }
    for name in window.form.fields:
        data.setdefault(name, "")
    response = client_for(editor).post(
        reverse("contacts:contact_details_edit", args=[customer.pk]), data, **DUTCH
    )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "De contactgegevens zijn opgeslagen.",
        "+31 6 12345678 is een mobiel nummer: bedoelde je Mobiel?",
    ]


def test_possible_duplicates_page_in_dutch(client_for, manager, customer):
    anna = ContactFactory(customer=customer, first_name="Anna", last_name="Berg")
    ContactFactory(
        customer=customer, first_name="Ana", last_name="Berg", email=anna.email
    )
    possible_duplicates_refresh(customer_ids=[customer.pk])
    page = text_of(client_for(manager).get(reverse("duplicates:list"), **DUTCH))
    assert_dutch(
        page,
        present=[
            "Mogelijke duplicaten",
            "Klant",
            "Contactpersoon",
            "Waarom",
            "Zelfde e-mailadres",
            "Vergelijkbare namen (",
            "Samenvoegen",
            "Geen duplicaat",
        ],
        absent=["Possible duplicates", "Same email address", "Not a duplicate"],
    )


def test_no_possible_duplicates_in_dutch(client_for, manager):
    page = text_of(client_for(manager).get(reverse("duplicates:list"), **DUTCH))
    assert "Geen mogelijke duplicaten." in page


def test_the_merge_page_in_dutch(client_for, manager, customer):
    anna = ContactFactory(
        customer=customer, first_name="Anna", last_name="Berg", roles=["primary"]
    )
    ana = ContactFactory(customer=customer, first_name="Ana", last_name="Berg")
    url = reverse("contacts:merge", args=[customer.pk, anna.pk, ana.pk])
    page = text_of(client_for(manager).get(url, **DUTCH))
    assert_dutch(
        page,
        present=[
            "Ana Berg samenvoegen met Anna Berg",
            "Liever Ana Berg bewaren",
            "Anna Berg (blijft)",
            "Voornaam",
            "Rollen",
            "Primair",
            "Documenten",
            "Samenvoegen",
            "Annuleren",
        ],
        absent=["Merge preview", "(stays)", "First name", ">Primary<"],
    )


def test_a_merge_says_so_in_dutch(client_for, manager, customer):
    anna = ContactFactory(customer=customer, first_name="Anna", last_name="Berg")
    ana = ContactFactory(customer=customer, first_name="Ana", last_name="Berg")
    client = client_for(manager)
    url = reverse("contacts:merge", args=[customer.pk, anna.pk, ana.pk])
    form = client.get(url).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data["keep_version"] = form.fields["keep_version"].initial
    data["merge_away_version"] = form.fields["merge_away_version"].initial
    response = client.post(url, data, **DUTCH)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Ana Berg is samengevoegd met Anna Berg."
    ]
    # The Activity Log's record stays in the stored (English) words.
    anna.refresh_from_db()
    assert anna.history.first().history_change_reason.startswith(
        "Merged Ana Berg into Anna Berg."
    )


# The wrapped email-validator and phonenumbers refusals.


@pytest.mark.parametrize(
    ("value", "dutch"),
    [
        ("anna.example.com", "Dit adres heeft geen @-teken"),
        ("anna@@example.com", "Dit adres heeft 2 @-tekens"),
        ("an na@example.com", "Dit adres bevat een spatie"),
        ("anna..berg@example.com", "twee punten achter elkaar"),
        ("anna@example", "Het domein na het @-teken moet een punt hebben"),
    ],
)
def test_email_refusals_in_dutch(value, dutch):
    with translation.override("nl"):
        with pytest.raises(ValidationError) as refusal:
            normalize_email_address(value)
        assert dutch in refusal.value.messages[0]


@pytest.mark.parametrize(
    ("value", "region", "dutch"),
    [
        ("0612345678", None, "Vul het nummer in met de landcode"),
        ("06 1234 abc", "NL", "haal de letters weg"),
        ("+31 6 123456789", "NL", "Dit is een mobiel nummer in Nederland (+31)"),
        ("06 1234567", "NL", "met één cijfer te weinig"),
    ],
)
def test_phone_refusals_in_dutch(value, region, dutch):
    with translation.override("nl"):
        with pytest.raises(ValidationError) as refusal:
            normalize_phone_number(value, region=region)
        assert dutch in refusal.value.messages[0]


def test_website_refusal_and_type_warnings_in_dutch():
    with translation.override("nl"):
        with pytest.raises(ValidationError) as refusal:
            normalize_website("not a website")
        assert refusal.value.messages == [
            "Vul een geldig websiteadres in, zoals https://example.com."
        ]
        assert phone_type_warning(kind="mobile", value="+31201234567") == (
            "+31 20 123 4567 is een vast nummer: bedoelde je Telefoon?"
        )


def test_the_refusals_stay_english_in_english():
    with translation.override("en"):
        with pytest.raises(ValidationError) as refusal:
            normalize_email_address("anna.example.com")
        assert refusal.value.messages[0].startswith("This address has no @ sign")


def test_the_kinds_and_verbose_names_in_dutch():
    from contacts.models import Contact

    with translation.override("nl"):
        assert [str(label) for _kind, label in ContactDetail.Kind.choices] == [
            "E-mailadres",
            "Telefoon",
            "Mobiel",
            "Website",
        ]
        assert str(Contact._meta.verbose_name) == "contactpersoon"
        assert str(Contact._meta.get_field("job_title").verbose_name) == "functie"
        assert str(settings.LANGUAGES[1][1]) in ("Nederlands", "Dutch")


def test_the_duplicate_warning_of_the_contact_form_in_dutch(
    client_for, editor, customer
):
    ContactFactory(customer=customer, first_name="Anna", email="anna@x.example")
    page = text_of(
        client_for(editor).post(
            reverse("contacts:create", args=[customer.pk]),
            {"first_name": "Ana", "last_name": "Berg", "email": "anna@x.example"},
            **DUTCH,
        )
    )
    assert_dutch(
        page,
        present=[
            "Mogelijk duplicaat.",
            "Een andere contactpersoon heeft dezelfde gegevens:",
            "bij deze klant",
            "e-mailadres</li>",
            "Controleer dat dit niet dezelfde persoon is.",
            "Toch opslaan",
        ],
        absent=["Another contact has", "at this customer", "Save anyway"],
    )
