"""The rules for email addresses, phone numbers and websites, in one place: contact
persons, contact details, the admin and imports all normalise through these.

A refusal says, in our words, what to fix. email-validator and phonenumbers know why
a value is wrong but say it in their own terms ("The part after the @-sign contains
invalid characters: '@'."), or only as a code; each of their reasons is translated
here into a short sentence of ours. Only a reason we have no sentence for is passed
on in the library's words.
"""

import re
from collections.abc import Iterable

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries
from email_validator import EmailNotValidError, validate_email
from phonenumber_field.phonenumber import PhoneNumber, to_python
from phonenumbers import NumberParseException, PhoneNumberType, ValidationResult

from core.phones import format_phone_number

# Email addresses.

# (a phrase of email-validator's message, our sentence, its code): the first whose
# phrase the library's message contains is said. Our sentences may name the domain.
EMAIL_REASONS = [
    (
        "must have an @-sign",
        _("This address has no @ sign: an email address looks like name@example.com."),
        "email_no_at",
    ),
    (
        "something before the @-sign",
        _("Add the name before the @ sign, as in name@example.com."),
        "email_no_name",
    ),
    (
        "something after the @-sign",
        _("Add the domain after the @ sign, as in name@example.com."),
        "email_no_domain",
    ),
    (
        "It should have a period",
        _("The domain after the @ sign needs a period, as in example.com."),
        "email_domain_without_period",
    ),
    (
        "not within a valid top-level domain",
        _(
            "The domain after the @ sign must end in a top-level domain such as .com "
            "or .nl."
        ),
        "email_no_top_level_domain",
    ),
    (
        "special-use or reserved name",
        _("%(domain)s is a reserved domain that cannot receive email."),
        "email_reserved_domain",
    ),
    (
        "two periods in a row",
        _("This address has two periods in a row: remove one."),
        "email_double_period",
    ),
    (
        "cannot start with a period",
        _("An email address cannot start with a period: remove it."),
        "email_leading_period",
    ),
    (
        "cannot end with a period",
        _("An email address cannot end with a period: remove it."),
        "email_trailing_period",
    ),
    (
        "period immediately before the @-sign",
        _("Remove the period just before the @ sign."),
        "email_period_before_at",
    ),
    (
        "period immediately after the @-sign",
        _("Remove the period just after the @ sign."),
        "email_period_after_at",
    ),
    (
        "hyphen",
        _(
            "The domain after the @ sign cannot start or end a part with a hyphen, nor "
            "put a hyphen next to a period."
        ),
        "email_misplaced_hyphen",
    ),
    (
        "too long",
        _(
            "This address is too long: an email address has at most 254 characters, "
            "and at most 64 before the @ sign."
        ),
        "email_too_long",
    ),
    (
        "periods cannot be separated by so many characters",
        _("Each part of the domain between periods has at most 63 characters."),
        "email_domain_label_too_long",
    ),
    (
        "does not exist",
        _("The domain %(domain)s does not exist: check the spelling after the @ sign."),
        "email_domain_missing",
    ),
    (
        "does not accept email",
        _(
            "The domain %(domain)s does not accept email: check the spelling after the "
            "@ sign."
        ),
        "email_domain_undeliverable",
    ),
    (
        "display name and angle brackets",
        _("Type the address alone, without a name or < >: name@example.com."),
        "email_display_name",
    ),
    (
        "bracketed IP address",
        _("Use a domain name after the @ sign, not an IP address."),
        "email_ip_address",
    ),
    (
        "Quoting the part before the @-sign",
        _("Remove the quotation marks."),
        "email_quoted",
    ),
    (
        "instead of a regular at-sign",
        _("Type a plain @ sign: this one is a look-alike character."),
        "email_lookalike_at",
    ),
    (
        "unsafe characters",
        _("This address contains invisible or control characters: type it again."),
        "email_unsafe_characters",
    ),
    (
        "before the @-sign",
        _(
            "The name before the @ sign contains characters an email address cannot "
            "have: %(characters)s."
        ),
        "email_invalid_name_characters",
    ),
    (
        "after the @-sign",
        _(
            "The domain after the @ sign contains characters it cannot have: "
            "%(characters)s."
        ),
        "email_invalid_domain_characters",
    ),
]


def normalize_email_address(value: str) -> str:
    """Return the address in its normalised form, or refuse it saying what to fix."""
    text = value.strip()
    try:
        result = validate_email(
            text, check_deliverability=settings.CONTACTS_EMAIL_CHECK_DELIVERABILITY
        )
    except EmailNotValidError as error:
        raise email_refusal(text, str(error)) from error
    return result.normalized


def email_refusal(text: str, reason: str) -> ValidationError:
    """Our sentence for email-validator's `reason` to refuse `text`."""
    at_signs = text.count("@")
    if at_signs > 1:
        return ValidationError(
            _("This address has %(count)s @ signs: an email address has exactly one."),
            code="email_several_at",
            params={"count": at_signs},
        )
    if re.search(r"\s", text):
        return ValidationError(
            _("This address contains a space: an email address has none."),
            code="email_space",
        )
    domain = text.rpartition("@")[2]
    # The library lists the characters it refuses at the end: "…: ',', ';'."
    characters = reason.rpartition(": ")[2].rstrip(".") if ": " in reason else ""
    for phrase, message, code in EMAIL_REASONS:
        if phrase in reason and (characters or "%(characters)s" not in str(message)):
            return ValidationError(
                message,
                code=code,
                params={"domain": domain, "characters": characters},
            )
    return ValidationError(
        _("This is not a valid email address: %(reason)s"),
        code="invalid_email",
        params={"reason": reason},
    )


# Phone numbers.

# Letters in a number are refused rather than read: phonenumbers would drop them
# (and what follows), storing another number than the one typed.
LETTERS = re.compile(r"[^\W\d_]")


def normalize_phone_number(value: str, *, region: str | None) -> str:
    """Read a number as a person types it and return it in E.164 (`+31612345678`).

    A number without `+` is read with `region`, the country of the customer's billing
    address; without a billing address it needs its country code.
    """
    raw = value.strip()
    with_country_code = raw.startswith("+")
    # Without a region, "00…" cannot be read either: which exit code it is depends on
    # the country it is dialled from.
    if not with_country_code and not region:
        raise ValidationError(
            _(
                "Enter the number with its country code (+…): this customer has no "
                "billing address to read it by."
            ),
            code="phone_needs_country_code",
        )
    if LETTERS.search(raw):
        raise ValidationError(
            _(
                "A phone number has only digits, spaces and + ( ) -: remove the "
                "letters."
            ),
            code="phone_letters",
        )
    try:
        number = phonenumbers.parse(raw, region)
    except NumberParseException as error:
        raise _parse_refusal(error) from error
    if not phonenumbers.is_valid_number(number):
        raise _invalid_number_refusal(number, with_country_code=with_country_code)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _parse_refusal(error: NumberParseException) -> ValidationError:
    if error.error_type == NumberParseException.INVALID_COUNTRY_CODE:
        return ValidationError(
            _("No country has this calling code: check the digits after the +."),
            code="phone_invalid_country_code",
        )
    if error.error_type == NumberParseException.TOO_LONG:
        return ValidationError(
            _("This number is too long for a phone number: check the digits."),
            code="phone_too_long",
        )
    if error.error_type in (
        NumberParseException.TOO_SHORT_NSN,
        NumberParseException.TOO_SHORT_AFTER_IDD,
    ):
        return ValidationError(
            _("This number is too short for a phone number: check the digits."),
            code="phone_too_short",
        )
    return ValidationError(
        _("This is not a phone number: type its digits, as in 020 123 4567."),
        code="phone_not_a_number",
    )


# How many digits a number may be off by for us to still recognise what it was meant
# to be (a Dutch mobile number with one digit too many).
MAX_DIGITS_OFF = 5


def _invalid_number_refusal(number, *, with_country_code: bool) -> ValidationError:
    region = phonenumbers.region_code_for_country_code(number.country_code)
    params = {
        "country": countries.name(region) or region,
        "code": number.country_code,
    }
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == ValidationResult.INVALID_COUNTRY_CODE:
        return ValidationError(
            _(
                "No country has the calling code +%(code)s: check the digits after "
                "the +."
            ),
            code="phone_invalid_country_code",
            params=params,
        )
    if reason == ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
        return ValidationError(
            _(
                "Add the area code: this number can only be dialled locally in "
                "%(country)s (+%(code)s)."
            ),
            code="phone_local_only",
            params=params,
        )
    meant = _meant_number(number)
    if meant is not None:
        difference, number_type = meant
        params["count"] = abs(difference)
        return ValidationError(
            _length_message(difference, number_type, abs(difference)),
            code="phone_too_long" if difference > 0 else "phone_too_short",
            params=params,
        )
    if reason == ValidationResult.TOO_LONG:
        message = _("This number has too many digits for %(country)s (+%(code)s).")
        code = "phone_too_long"
    elif reason == ValidationResult.TOO_SHORT:
        message = _("This number has too few digits for %(country)s (+%(code)s).")
        code = "phone_too_short"
    elif reason == ValidationResult.INVALID_LENGTH:
        message = _(
            "Phone numbers in %(country)s (+%(code)s) do not have this many digits: "
            "check for a missing or extra digit."
        )
        code = "phone_invalid_length"
    elif with_country_code:
        message = _(
            "This is not a phone number in use in %(country)s (+%(code)s): check "
            "the first digits."
        )
        code = "invalid_phone"
    else:
        message = _(
            "This is not a phone number in use in %(country)s (+%(code)s): check the "
            "first digits, or type a foreign number with its country code (+…)."
        )
        code = "invalid_phone"
    return ValidationError(message, code=code, params=params)


def _meant_number(number) -> tuple[int, int] | None:
    """(digits too many (> 0) or too few (< 0), the type of number it would then
    be) when a digit or a few more or fewer make it a valid number; else None."""
    national = phonenumbers.national_significant_number(number)
    for count in range(1, MAX_DIGITS_OFF + 1):
        candidates = [(count, national[:-count])] + [
            (-count, national + filler * count) for filler in "05"
        ]
        for difference, digits in candidates:
            if not digits:
                continue
            try:
                candidate = phonenumbers.parse(f"+{number.country_code}{digits}")
            except NumberParseException:
                continue
            if phonenumbers.is_valid_number(candidate):
                return difference, phonenumbers.number_type(candidate)
    return None


def _length_message(difference: int, number_type: int, count: int) -> str:
    if number_type == PhoneNumberType.MOBILE:
        if difference > 0:
            return ngettext(
                "This is a mobile number in %(country)s (+%(code)s) with one digit "
                "too many.",
                "This is a mobile number in %(country)s (+%(code)s) with %(count)s "
                "digits too many.",
                count,
            )
        return ngettext(
            "This is a mobile number in %(country)s (+%(code)s) with one digit too "
            "few.",
            "This is a mobile number in %(country)s (+%(code)s) with %(count)s "
            "digits too few.",
            count,
        )
    if number_type == PhoneNumberType.FIXED_LINE:
        if difference > 0:
            return ngettext(
                "This is a landline number in %(country)s (+%(code)s) with one digit "
                "too many.",
                "This is a landline number in %(country)s (+%(code)s) with %(count)s "
                "digits too many.",
                count,
            )
        return ngettext(
            "This is a landline number in %(country)s (+%(code)s) with one digit too "
            "few.",
            "This is a landline number in %(country)s (+%(code)s) with %(count)s "
            "digits too few.",
            count,
        )
    if difference > 0:
        return ngettext(
            "This is a phone number in %(country)s (+%(code)s) with one digit too "
            "many.",
            "This is a phone number in %(country)s (+%(code)s) with %(count)s digits "
            "too many.",
            count,
        )
    return ngettext(
        "This is a phone number in %(country)s (+%(code)s) with one digit too few.",
        "This is a phone number in %(country)s (+%(code)s) with %(count)s digits "
        "too few.",
        count,
    )


def phone_type_warning(*, kind: str, value: str) -> str | None:
    """A warning, never a refusal, when a stored number is of the other kind than
    the field it was typed in: a mobile number under Telephone, a landline number
    under Mobile Phone. `kind` is "telephone" or "mobile"; `value` is E.164.

    Numbers that may be either (as in the United States) get no warning.
    """
    try:
        number = phonenumbers.parse(value)
    except NumberParseException:
        return None
    number_type = phonenumbers.number_type(number)
    if kind == "telephone" and number_type == PhoneNumberType.MOBILE:
        message = _("%(number)s is a mobile number: did you mean Mobile Phone?")
    elif kind == "mobile" and number_type == PhoneNumberType.FIXED_LINE:
        message = _("%(number)s is a landline number: did you mean Telephone?")
    else:
        return None
    return str(message % {"number": format_phone_number(value)})


# Websites.

_url_validator = URLValidator(schemes=["http", "https"])


def normalize_website(value: str) -> str:
    """Return a valid http(s) address; `example.com` becomes `https://example.com`."""
    raw = value.strip()
    if "://" not in raw:
        raw = f"https://{raw}"
    try:
        _url_validator(raw)
    except ValidationError as error:
        raise ValidationError(
            _("Enter a valid website address, such as https://example.com."),
            code="invalid_website",
        ) from error
    return raw


# What a typed phone number may contain besides its digits.
_PHONE_CHARACTERS = re.compile(r"^\+?[\d\s().\-/]+$")


def looks_like_phone_number(query: str) -> bool:
    """Digits (six or more) and only the signs people type between them."""
    raw = query.strip()
    return bool(_PHONE_CHARACTERS.match(raw)) and sum(c.isdigit() for c in raw) >= 6


def phone_number_candidates(query: str, *, regions: Iterable[str]) -> list[str]:
    """The numbers, in E.164, that `query` can be when read as a phone number: how
    the header search matches what a person types against the stored numbers.

    With a leading `+` or `00`, the query names its country: one candidate. Else it
    is read as a national number of each of `regions` (the countries of the billing
    addresses), with or without its trunk prefix ("06 1234 5678" and "612345678" are
    both +31612345678 in the Netherlands); every valid reading is a candidate.
    Not a phone number (letters, too few digits): none.
    """
    raw = query.strip()
    if not looks_like_phone_number(raw):
        return []
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    readings = [None] if raw.startswith("+") else sorted(set(regions))
    candidates = []
    for region in readings:
        number = to_python(raw, region=region)
        if isinstance(number, PhoneNumber) and number.is_valid():
            candidates.append(number.as_e164)
    return sorted(set(candidates))
