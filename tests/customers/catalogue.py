"""The Dutch catalogue's entries of one area: each app's translation tests check that
every string of its files is translated (and not fuzzy), so a new string left in
English fails its own app's tests, not only `make i18n-check`."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "nl" / "LC_MESSAGES" / "django.po"
NL = {"HTTP_ACCEPT_LANGUAGE": "nl"}


def untranslated(*locations: str) -> list[str]:
    """The msgids found in files under `locations` that have no Dutch (or a fuzzy)."""
    problems = []
    for entry in polib.pofile(str(CATALOGUE)):
        if not any(path.startswith(locations) for path, _line in entry.occurrences):
            continue
        if entry.obsolete:
            continue
        if not entry.translated() or "fuzzy" in entry.flags:
            problems.append(entry.msgid)
    return problems


def entries_of(*locations: str) -> list[polib.POEntry]:
    return [
        entry
        for entry in polib.pofile(str(CATALOGUE))
        if any(path.startswith(locations) for path, _line in entry.occurrences)
    ]


@pytest.fixture(autouse=True)
def _back_to_english():
    """A request in Dutch leaves Dutch active in the thread: the tests after it
    (which call selectors directly) read English again."""
    yield
    translation.deactivate()
