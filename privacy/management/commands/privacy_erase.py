from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from privacy.management.commands._person import add_person_arguments, person_from
from privacy.services import person_erase


class Command(BaseCommand):
    help = (
        "Erase a person: their name, emails and phones wherever they are held, "
        "history included, in one transaction; issued documents keep their copy "
        "for PRIVACY_RETENTION_YEARS. Refused while a draft has them as its "
        "contact. Needs --yes."
    )

    def add_arguments(self, parser):
        add_person_arguments(parser)
        parser.add_argument(
            "--yes", action="store_true", help="confirm: this cannot be undone"
        )

    def handle(self, *args, **options):
        subject = person_from(options)
        if not options["yes"]:
            raise CommandError(
                f"Erasing {subject.identifier} cannot be undone: add --yes to confirm."
            )
        try:
            log = person_erase(subject=subject, user=None)
        except ValidationError as error:
            raise CommandError("Not erased: " + " ".join(error.messages)) from error
        self.stdout.write(f"Erased {log.identifier}. Rows changed:")
        for kind, count in log.counts.items():
            self.stdout.write(f"  {kind}: {count}")
