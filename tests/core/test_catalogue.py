"""The Dutch catalogue as a whole: every string translated, none fuzzy, every
placeholder kept. (`make i18n-check` also fails on a stale catalogue; `msgfmt
--check-format`, run by `make test`, on a broken format.)"""

import re
from pathlib import Path

import polib
from django.conf import settings

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "nl" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)\w|\{\{ *\w+ *\}\}")


def entries() -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(CATALOGUE)) if not e.obsolete]


def test_every_string_has_dutch_and_none_is_a_guess():
    assert len(entries()) > 400
    assert [e.msgid for e in entries() if not e.translated()] == []
    assert [e.msgid for e in entries() if "fuzzy" in e.flags] == []


def test_the_dutch_keeps_every_placeholder_of_the_english():
    for entry in entries():
        for english, dutch in _pairs(entry):
            assert sorted(PLACEHOLDER.findall(dutch)) == sorted(
                PLACEHOLDER.findall(english)
            ), entry.msgid


def _pairs(entry: polib.POEntry) -> list[tuple[str, str]]:
    if not entry.msgid_plural:
        return [(entry.msgid, entry.msgstr)]
    # Dutch has the two forms English has: singular and plural.
    return [
        (entry.msgid, entry.msgstr_plural[0]),
        (entry.msgid_plural, entry.msgstr_plural[1]),
    ]
