"""The rules for email addresses, phone numbers and websites, in one place: contact
persons, contact details, the admin and imports all normalise through these."""

import re
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django_countries import countries
from email_validator import EmailNotValidError, validate_email
from phonenumber_field.phonenumber import PhoneNumber, to_python


def normalize_email_address(value: str) -> str:
    """Return the address in its normalised form, or refuse it saying why."""
    try:
        result = validate_email(
            value.strip(),
            check_deliverability=settings.CONTACTS_EMAIL_CHECK_DELIVERABILITY,
        )
    except EmailNotValidError as error:
        raise ValidationError(
            "Enter a valid email address: %(reason)s",
            code="invalid_email",
            params={"reason": str(error)},
        ) from error
    return result.normalized


def normalize_phone_number(value: str, *, region: str | None) -> str:
    """Read a number as a person types it and return it in E.164 (`+31612345678`).

    A number without `+` is read with `region`, the country of the customer's billing
    address; without a billing address it needs its country code.
    """
    raw = value.strip()
    # Without a region, "00…" cannot be read either: which exit code it is depends on
    # the country it is dialled from.
    if not raw.startswith("+") and not region:
        raise ValidationError(
            "Enter the number with its country code (+…): this customer has no "
            "billing address to read it by.",
            code="phone_needs_country_code",
        )
    number = to_python(raw, region=region)
    if not isinstance(number, PhoneNumber) or not number.is_valid():
        where = countries.name(region) if region and not raw.startswith("+") else ""
        message = (
            "Enter a valid phone number for %(country)s, or type it with its country "
            "code (+…)."
            if where
            else "Enter a valid phone number."
        )
        raise ValidationError(message, code="invalid_phone", params={"country": where})
    return number.as_e164


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
            "Enter a valid website address, such as https://example.com.",
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
