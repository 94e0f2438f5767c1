"""System checks of the settings core reads, and of what production needs built."""

from pathlib import Path

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


@checks.register(checks.Tags.translation, deploy=True)
def check_compiled_catalogues(app_configs, **kwargs):
    """Django reads the compiled catalogue (.mo), never the .po: without it, or with
    one older than its .po, pages in that language show English or yesterday's
    words. The .mo files are built, not committed (make install, the container)."""
    errors = []
    for locale in settings.LOCALE_PATHS:
        for code, _name in settings.LANGUAGES:
            po = Path(locale) / code / "LC_MESSAGES" / "django.po"
            if not po.exists():
                continue
            mo = po.with_suffix(".mo")
            if not mo.exists():
                problem = "is missing"
            elif mo.stat().st_mtime < po.stat().st_mtime:
                problem = "is older than its .po"
            else:
                continue
            errors.append(
                checks.Error(
                    f"The compiled catalogue {mo} {problem}: pages in {code!r} "
                    "would not show their translations.",
                    hint="Compile the catalogues: make install, or "
                    "manage.py compilemessages (gettext's msgfmt).",
                    id="core.E003",
                )
            )
    return errors
