"""Amounts of money: their currency (ISO 4217) and how they are shown.

One place for every page, the admin, the Activity Log and emails. Babel knows each
currency's name, symbol and decimals and each language's way of writing amounts, so
`1250` in euros reads `€1,250.00` in English and `€ 1.250,00` in Dutch.
"""

import datetime
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import (
    NumberFormatError,
    format_currency,
    format_decimal,
    get_currency_name,
    get_territory_currencies,
    parse_decimal,
)
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext


def default_currency() -> str:
    """The currency a new document starts with: the DEFAULT_CURRENCY setting."""
    return settings.DEFAULT_CURRENCY


@lru_cache(maxsize=1)
def currency_codes() -> frozenset[str]:
    """The currencies in use today in some country (no historical ones such as the
    guilder), by their ISO 4217 code."""
    today = datetime.date.today()
    return frozenset(
        code
        for territory in Locale("en").territories
        for code in get_territory_currencies(territory, start_date=today)
    )


def validate_currency_code(value: str) -> None:
    if value not in currency_codes():
        raise ValidationError(
            gettext("Choose a currency in use today, by its code: EUR, USD, GBP…"),
            code="unknown_currency",
        )


def currency_choices() -> list[tuple[str, str]]:
    """(code, "EUR – Euro"), by code, the names in the active language."""
    locale = _locale()
    return [
        (code, f"{code} – {get_currency_name(code, locale=locale)}")
        for code in sorted(currency_codes())
    ]


def format_amount(amount: Decimal | None, currency: str) -> str:
    """The amount with its currency, written the active language's way."""
    if amount is None:
        return ""
    return format_currency(amount, currency, locale=_locale())


AMOUNT_INPUT_PATTERN = "#,##0.00"


def format_amount_input(amount: Decimal) -> str:
    """An amount as an input shows it, without its currency: `1.200,00` in Dutch,
    `1,200.00` in English."""
    return format_decimal(amount, format=AMOUNT_INPUT_PATTERN, locale=_locale())


def parse_amount(text: str) -> Decimal:
    """An amount typed the active language's way (`1.200,50` or `1200,5` in Dutch);
    one whose separators mean something else there is refused, not guessed."""
    try:
        return parse_decimal(text.strip(), locale=_locale(), strict=True)
    except NumberFormatError as error:
        raise ValidationError(
            gettext("Write the amount as %(example)s."),
            code="invalid",
            params={"example": format_amount_input(Decimal("1200.50"))},
        ) from error


def _locale() -> Locale:
    try:
        return Locale.parse(translation.to_locale(translation.get_language() or "en"))
    except (UnknownLocaleError, ValueError):
        return Locale("en")
