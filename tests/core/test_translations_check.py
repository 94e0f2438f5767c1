"""`manage.py translations check` (make i18n-check, in CI): a catalogue that lacks a
string of the code, or holds an untranslated or fuzzy one, fails it."""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="gettext is not installed"
)

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "nl" / "LC_MESSAGES" / "django.po"


def test_a_stale_untranslated_or_fuzzy_catalogue_fails_the_check(tmp_path, settings):
    copy = tmp_path / "nl" / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    catalogue = polib.pofile(str(CATALOGUE))
    catalogue.remove(catalogue.find("Sign out"))
    catalogue.find("Sign in").msgstr = ""
    catalogue.find("Skip to content").flags.append("fuzzy")
    catalogue.save(str(copy))
    written = copy.read_text(encoding="utf-8")
    settings.LOCALE_PATHS = [tmp_path]

    with pytest.raises(CommandError) as refusal:
        call_command("translations", "check")

    message = str(refusal.value)
    assert "is stale" in message
    assert "untranslated: 'Sign in'" in message
    assert "fuzzy (check and remove the flag): 'Skip to content'" in message
    # The check leaves the catalogue as it found it.
    assert copy.read_text(encoding="utf-8") == written


def test_the_committed_catalogue_passes_the_check(tmp_path, settings):
    copy = tmp_path / "nl" / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    shutil.copy(CATALOGUE, copy)
    settings.LOCALE_PATHS = [tmp_path]

    call_command("translations", "check")
