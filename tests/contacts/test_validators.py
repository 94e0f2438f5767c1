"""Refusals in our words: each reason email-validator and phonenumbers give becomes a
short sentence that says what to fix; a number of the other kind is a warning."""

import pytest
from django.core.exceptions import ValidationError

from contacts.validators import (
    normalize_email_address,
    normalize_phone_number,
    phone_type_warning,
)


def email_refusal(typed: str) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        normalize_email_address(typed)
    return refused.value


def phone_refusal(typed: str, region: str | None) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        normalize_phone_number(typed, region=region)
    return refused.value


@pytest.mark.parametrize(
    ("typed", "code", "message"),
    [
        (
            "info@@example.com",
            "email_several_at",
            "This address has 2 @ signs: an email address has exactly one.",
        ),
        (
            "info.example.com",
            "email_no_at",
            "This address has no @ sign: an email address looks like name@example.com.",
        ),
        (
            "@example.com",
            "email_no_name",
            "Add the name before the @ sign, as in name@example.com.",
        ),
        (
            "info@",
            "email_no_domain",
            "Add the domain after the @ sign, as in name@example.com.",
        ),
        (
            "info@example",
            "email_domain_without_period",
            "The domain after the @ sign needs a period, as in example.com.",
        ),
        (
            "info@exa mple.com",
            "email_space",
            "This address contains a space: an email address has none.",
        ),
        (
            "info@example..com",
            "email_double_period",
            "This address has two periods in a row: remove one.",
        ),
        (
            ".info@example.com",
            "email_leading_period",
            "An email address cannot start with a period: remove it.",
        ),
        (
            "info.@example.com",
            "email_period_before_at",
            "Remove the period just before the @ sign.",
        ),
        (
            "info@example.com.",
            "email_trailing_period",
            "An email address cannot end with a period: remove it.",
        ),
        (
            "info@-example.com",
            "email_misplaced_hyphen",
            "The domain after the @ sign cannot start or end a part with a hyphen, "
            "nor put a hyphen next to a period.",
        ),
        (
            "info@example.invalid",
            "email_reserved_domain",
            "example.invalid is a reserved domain that cannot receive email.",
        ),
        (
            "info,sales@example.com",
            "email_invalid_name_characters",
            "The name before the @ sign contains characters an email address cannot "
            "have: ','.",
        ),
        (
            "info@exa_mple.com",
            "email_invalid_domain_characters",
            "The domain after the @ sign contains characters it cannot have: '_'.",
        ),
        (
            "info@[192.0.2.1]",
            "email_ip_address",
            "Use a domain name after the @ sign, not an IP address.",
        ),
        ('"info"@example.com', "email_quoted", "Remove the quotation marks."),
        (
            "info＠example.com",
            "email_lookalike_at",
            "Type a plain @ sign: this one is a look-alike character.",
        ),
        (
            "info@example.com\u200b",
            "email_unsafe_characters",
            "This address contains invisible or control characters: type it again.",
        ),
        (
            "info@" + "a" * 64 + ".com",
            "email_domain_label_too_long",
            "Each part of the domain between periods has at most 63 characters.",
        ),
        (
            "info@" + ".".join(["a" * 60] * 5) + ".com",
            "email_too_long",
            "This address is too long: an email address has at most 254 characters, "
            "and at most 64 before the @ sign.",
        ),
    ],
)
def test_an_email_refusal_says_in_our_words_what_to_fix(typed, code, message):
    refused = email_refusal(typed)
    assert refused.code == code
    assert refused.messages == [message]
    assert "@-sign" not in message


def test_a_reason_we_have_no_sentence_for_keeps_the_librarys_words():
    refused = email_refusal("info@ab--cd.com")
    assert refused.code == "invalid_email"
    assert refused.messages[0].startswith("This is not a valid email address: ")
    assert "two dashes" in refused.messages[0]


@pytest.mark.parametrize(
    ("typed", "region", "code", "message"),
    [
        (
            "06 123456789",
            "NL",
            "phone_too_long",
            "This is a mobile number in Netherlands (+31) with one digit too many.",
        ),
        (
            "06 1234567",
            "NL",
            "phone_too_short",
            "This is a mobile number in Netherlands (+31) with one digit too few.",
        ),
        (
            "020 12345",
            "NL",
            "phone_too_short",
            "This is a landline number in Netherlands (+31) with 2 digits too few.",
        ),
        (
            "0470 123 45 67 8",
            "BE",
            "phone_too_long",
            "This is a mobile number in Belgium (+32) with 2 digits too many.",
        ),
        (
            "+39 06 1234567890123",
            None,
            "phone_too_long",
            "This is a landline number in Italy (+39) with 4 digits too many.",
        ),
        (
            "01 12345678",
            "NL",
            "invalid_phone",
            "This is not a phone number in use in Netherlands (+31): check the first "
            "digits, or type a foreign number with its country code (+…).",
        ),
        (
            "+31 1 12345678",
            "DE",
            "invalid_phone",
            "This is not a phone number in use in Netherlands (+31): check the first "
            "digits.",
        ),
        (
            "+31 6 1",
            "NL",
            "phone_too_short",
            "This number has too few digits for Netherlands (+31).",
        ),
        (
            "+31 6 1234 5678 9012345",
            None,
            "phone_too_long",
            "This number has too many digits for Netherlands (+31).",
        ),
        (
            "555-0123",
            "US",
            "phone_local_only",
            "Add the area code: this number can only be dialled locally in United "
            "States of America (+1).",
        ),
        (
            "+999 1234",
            None,
            "phone_invalid_country_code",
            "No country has this calling code: check the digits after the +.",
        ),
        (
            "020 123 4567 ext 12",
            "NL",
            "phone_letters",
            "A phone number has only digits, spaces and + ( ) -: remove the letters.",
        ),
        (
            "1" * 30,
            "NL",
            "phone_too_long",
            "This number is too long for a phone number: check the digits.",
        ),
        (
            "06 12345678",
            None,
            "phone_needs_country_code",
            "Enter the number with its country code (+…): this customer has no "
            "billing address to read it by.",
        ),
    ],
)
def test_a_phone_refusal_names_the_kind_the_country_and_what_is_off(
    typed, region, code, message
):
    refused = phone_refusal(typed, region)
    assert refused.code == code
    assert refused.messages == [message]


@pytest.mark.parametrize(
    ("kind", "stored", "warning"),
    [
        (
            "telephone",
            "+31612345678",
            "+31 6 12345678 is a mobile number: did you mean Mobile Phone?",
        ),
        (
            "mobile",
            "+31201234567",
            "+31 20 123 4567 is a landline number: did you mean Telephone?",
        ),
        ("telephone", "+31201234567", None),
        ("mobile", "+31612345678", None),
        # In the United States a number may be either: nothing to warn about.
        ("telephone", "+12015550123", None),
        ("mobile", "+12015550123", None),
    ],
)
def test_a_number_of_the_other_kind_gets_a_warning(kind, stored, warning):
    assert phone_type_warning(kind=kind, value=stored) == warning
