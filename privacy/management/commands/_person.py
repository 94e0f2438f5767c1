"""What privacy_export and privacy_erase share: how they are told whom."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from privacy.services import find_person


def add_person_arguments(parser) -> None:
    whom = parser.add_mutually_exclusive_group(required=True)
    whom.add_argument("--email", help="the person's email address")
    whom.add_argument(
        "--person", type=int, help="the person's id (a contact's id)", metavar="ID"
    )


def person_from(options):
    try:
        return find_person(email=options["email"] or "", contact_id=options["person"])
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from error
