"""Keep the translation catalogues in step with the code, and check them.

    manage.py translations update   extract every string into locale/<lang>/…/django.po
                                    (makemessages), keeping what is translated
    manage.py translations check    fail when a catalogue is stale (update would change
                                    it), or holds an untranslated or fuzzy string

`make messages` and `make i18n-check` run these; CI runs the check (make lint).
English is the language the strings are written in: only the other languages of
settings.LANGUAGES have a catalogue.
"""

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# What is not the application: its strings are not shown to users.
NOT_EXTRACTED = [".venv", "bench", "docs", "tests", "staticfiles", "node_modules"]
CATALOGUE = Path("LC_MESSAGES") / "django.po"


def translated_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != "en"]


class Command(BaseCommand):
    help = "Update the translation catalogues from the code, or check them."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["update", "check"])

    def handle(self, *args, action: str, **options):
        locale = Path(settings.LOCALE_PATHS[0])
        if action == "update":
            with _working_directory(settings.BASE_DIR):
                _extract(symlinks=False)
            for language in translated_languages():
                self.stdout.write(f"Updated {locale / language / CATALOGUE}")
            return
        problems = []
        with tempfile.TemporaryDirectory() as scratch:
            extracted = _extract_beside(locale, Path(scratch))
            for language in translated_languages():
                problems += _problems(
                    locale / language / CATALOGUE, extracted / language / CATALOGUE
                )
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write("The translation catalogues are complete and up to date.")


def _extract(*, symlinks: bool) -> None:
    call_command(
        "makemessages",
        locale=translated_languages(),
        ignore_patterns=NOT_EXTRACTED,
        no_obsolete=True,
        add_location="file",
        symlinks=symlinks,
        verbosity=0,
    )


def _extract_beside(locale: Path, scratch: Path) -> Path:
    """What `update` would make of the catalogues in `locale`, made in a scratch copy
    of the project (its code linked, its catalogues copied), so the check changes
    nothing. Returns the scratch copy's locale directory."""
    for entry in Path(settings.BASE_DIR).iterdir():
        if entry.name.startswith(".") or entry.name in NOT_EXTRACTED:
            continue
        if entry.name != "locale":
            (scratch / entry.name).symlink_to(entry)
    shutil.copytree(locale, scratch / "locale")
    with _working_directory(scratch):
        _extract(symlinks=True)
    return scratch / "locale"


@contextmanager
def _working_directory(path):
    # makemessages writes into the `locale` directory of the directory it runs in.
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def _problems(committed: Path, extracted: Path) -> list[str]:
    if not committed.exists():
        return [f"{committed} is missing: run `make messages`."]
    catalogue = polib.pofile(str(committed))
    problems = []
    if _strings(catalogue) != _strings(polib.pofile(str(extracted))):
        problems.append(
            f"{committed} is stale: the code has strings it does not (or the reverse). "
            "Run `make messages`, translate, and commit it."
        )
    for entry in catalogue.untranslated_entries():
        problems.append(f"{committed}: untranslated: {entry.msgid!r}")
    for entry in catalogue.fuzzy_entries():
        problems.append(
            f"{committed}: fuzzy (check and remove the flag): {entry.msgid!r}"
        )
    return problems


def _strings(catalogue: polib.POFile) -> list[tuple]:
    """What makemessages decides in a catalogue: which strings, and where the code
    has them. Not how lines are wrapped (a translator's editor wraps its own way)."""
    return sorted(
        (e.msgctxt or "", e.msgid, e.msgid_plural, tuple(sorted(e.occurrences)))
        for e in catalogue
        if not e.obsolete
    )
