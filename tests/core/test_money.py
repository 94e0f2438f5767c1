"""Amounts with their currency, written the active language's way."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.checks import check_default_currency
from core.money import currency_choices, format_amount, validate_currency_code


@pytest.mark.parametrize(
    ("language", "amount", "currency", "shown"),
    [
        ("en", "1250.00", "EUR", "€1,250.00"),
        ("en", "99.5", "USD", "$99.50"),
        ("en", "1250", "GBP", "£1,250.00"),
        ("nl", "1250.00", "EUR", "€\xa01.250,00"),
    ],
)
def test_an_amount_is_written_with_its_currency_the_languages_way(
    language, amount, currency, shown
):
    with translation.override(language):
        assert format_amount(Decimal(amount), currency) == shown


def test_no_amount_is_shown_as_nothing():
    assert format_amount(None, "EUR") == ""


@pytest.mark.parametrize("code", ["EUR", "USD", "GBP", "SEK", "CHF", "JPY"])
def test_currencies_in_use_are_accepted(code):
    validate_currency_code(code)
    assert code in dict(currency_choices())


@pytest.mark.parametrize("code", ["NLG", "DEM", "eur", "XYZ", ""])
def test_unknown_or_historical_currencies_are_refused(code):
    with pytest.raises(ValidationError) as refused:
        validate_currency_code(code)
    assert refused.value.code == "unknown_currency"


def test_the_choices_name_each_currency():
    assert dict(currency_choices())["EUR"] == "EUR – Euro"


def test_a_default_currency_that_is_not_one_fails_the_checks(settings):
    assert check_default_currency(None) == []
    settings.DEFAULT_CURRENCY = "EURO"
    (error,) = check_default_currency(None)
    assert error.id == "core.E001"
