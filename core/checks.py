"""System checks of the settings core reads."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError

from core.money import validate_currency_code


@checks.register()
def check_default_currency(app_configs, **kwargs):
    try:
        validate_currency_code(settings.DEFAULT_CURRENCY)
    except ValidationError:
        return [
            checks.Error(
                f"DEFAULT_CURRENCY is {settings.DEFAULT_CURRENCY!r}, not the ISO 4217 "
                "code of a currency in use.",
                hint="Set DEFAULT_CURRENCY to a code such as EUR, USD or GBP.",
                id="core.E001",
            )
        ]
    return []
