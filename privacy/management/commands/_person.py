"""What privacy_export and privacy_erase share: how they are told whom."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from privacy.services import find_subject


def add_person_arguments(parser) -> None:
    whom = parser.add_mutually_exclusive_group(required=True)
    whom.add_argument(
        "--email",
        help="the person's own email address or a work address of theirs; refused "
        "when several persons have it",
    )
    whom.add_argument("--person", type=int, help="the person's id", metavar="ID")
    whom.add_argument(
        "--contact", type=int, help="a contact's id: its person", metavar="ID"
    )


def person_from(options):
    try:
        return find_subject(
            email=options["email"] or "",
            person_id=options["person"],
            contact_id=options["contact"],
        )
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from error
