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


@checks.register()
def check_organisation_language(app_configs, **kwargs):
    codes = [code for code, _name in settings.LANGUAGES]
    if settings.ORGANISATION_LANGUAGE in codes:
        return []
    return [
        checks.Error(
            f"ORGANISATION_LANGUAGE is {settings.ORGANISATION_LANGUAGE!r}, not one of "
            f"the languages the product speaks ({', '.join(codes)}).",
            hint="Set ORGANISATION_LANGUAGE to one of LANGUAGES' codes.",
            id="core.E002",
        )
    ]
