"""The deployment check that refuses a missing or stale compiled catalogue."""

import os

from django.core import checks

from core.checks import check_compiled_catalogues


def catalogue(tmp_path, *, mo_age: float | None) -> None:
    """locale/nl/LC_MESSAGES/django.po, and its .mo `mo_age` seconds older (None:
    no .mo)."""
    folder = tmp_path / "nl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n')
    if mo_age is not None:
        mo = folder / "django.mo"
        mo.write_bytes(b"")
        written = po.stat().st_mtime
        os.utime(mo, (written - mo_age, written - mo_age))


def test_a_missing_compiled_catalogue_is_an_error(settings, tmp_path):
    settings.LOCALE_PATHS = [tmp_path]
    catalogue(tmp_path, mo_age=None)
    (error,) = check_compiled_catalogues(None)
    assert error.id == "core.E003"
    assert error.level == checks.ERROR
    assert "nl/LC_MESSAGES/django.mo is missing" in error.msg


def test_a_catalogue_compiled_before_its_po_changed_is_an_error(settings, tmp_path):
    settings.LOCALE_PATHS = [tmp_path]
    catalogue(tmp_path, mo_age=60)
    (error,) = check_compiled_catalogues(None)
    assert "django.mo is older than its .po" in error.msg


def test_a_catalogue_compiled_from_its_po_passes(settings, tmp_path):
    settings.LOCALE_PATHS = [tmp_path]
    catalogue(tmp_path, mo_age=-1)
    assert check_compiled_catalogues(None) == []


def test_it_is_a_deployment_check():
    assert check_compiled_catalogues in checks.registry.registry.get_checks(
        include_deployment_checks=True
    )
    assert check_compiled_catalogues not in checks.registry.registry.get_checks()
