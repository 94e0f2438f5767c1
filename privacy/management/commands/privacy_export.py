from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from privacy.management.commands._person import add_person_arguments, person_from
from privacy.services import person_export


class Command(BaseCommand):
    help = (
        "Write everything held about a person (every customer they are linked "
        "to, history with earlier values, documents, emails and their statuses) "
        "to a ZIP of JSON and CSV. The export is recorded, without the data."
    )

    def add_arguments(self, parser):
        add_person_arguments(parser)
        parser.add_argument("--output", required=True, help="the ZIP file to write")

    def handle(self, *args, **options):
        subject = person_from(options)
        try:
            archive = person_export(subject=subject, user=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        Path(options["output"]).write_bytes(archive)
        self.stdout.write(
            f"Wrote the data of {subject.identifier} to {options['output']}."
        )
