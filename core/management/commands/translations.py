"""Keep the translation catalogues in step with the code, and check them.

    manage.py translations update   extract every string into locale/<lang>/…/django.po
                                    (makemessages), keeping what is translated
    manage.py translations check    fail when a catalogue is stale (update would change
                                    it), or holds an untranslated or fuzzy string

`make messages` and `make i18n-check` run these; CI runs the check (make lint).
English is the language the strings are written in: only the other languages of
settings.LANGUAGES have a catalogue.
"""

import re
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# What is not the application: its strings are not shown to users.
NOT_EXTRACTED = [".venv", "bench", "docs", "tests", "staticfiles", "node_modules"]
# The header line makemessages rewrites on every run.
_CREATION_DATE = re.compile(r'^"POT-Creation-Date: .*\\n"\n', re.MULTILINE)


def catalogue_path(language: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"


def translated_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != "en"]


class Command(BaseCommand):
    help = "Update the translation catalogues from the code, or check them."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["update", "check"])

    def handle(self, *args, action: str, **options):
        if action == "update":
            for language in translated_languages():
                self._extract(language)
                self.stdout.write(f"Updated {catalogue_path(language)}")
            return
        problems = []
        for language in translated_languages():
            problems += self._check(language)
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write("The translation catalogues are complete and up to date.")

    def _extract(self, language: str) -> None:
        call_command(
            "makemessages",
            locale=[language],
            ignore_patterns=NOT_EXTRACTED,
            no_obsolete=True,
            add_location="file",
            verbosity=0,
        )

    def _check(self, language: str) -> list[str]:
        path = catalogue_path(language)
        if not path.exists():
            return [f"{path} is missing: run `make messages`."]
        before = path.read_text(encoding="utf-8")
        try:
            self._extract(language)
            after = path.read_text(encoding="utf-8")
        finally:
            path.write_text(before, encoding="utf-8")
        problems = []
        if _CREATION_DATE.sub("", before) != _CREATION_DATE.sub("", after):
            problems.append(
                f"{path} is stale: the code has strings it does not (or the reverse). "
                "Run `make messages`, translate, and commit it."
            )
        catalogue = polib.pofile(before)
        for entry in catalogue.untranslated_entries():
            problems.append(f"{path}: untranslated: {entry.msgid!r}")
        for entry in catalogue.fuzzy_entries():
            problems.append(
                f"{path}: fuzzy (check and remove the flag): {entry.msgid!r}"
            )
        return problems
