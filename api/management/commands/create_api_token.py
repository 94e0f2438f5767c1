"""`python manage.py create_api_token USERNAME [--read-only] [--expires DAYS]`:
print a new API token of the user, once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.services import api_token_create


class Command(BaseCommand):
    help = (
        "Create an API token for a user and print it. Only its hash is stored: copy "
        "it now, it cannot be shown again."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--read-only",
            action="store_true",
            help="The token can read but not change anything.",
        )
        parser.add_argument(
            "--expires",
            type=int,
            metavar="DAYS",
            help="The token stops working after this many days (default: never).",
        )
        parser.add_argument(
            "--name", default="", help="What uses the token, for instance ERP."
        )

    def handle(self, *args, username, read_only, expires, name, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"There is no user {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"The user {username!r} is not active.")
        if expires is not None and expires < 1:
            raise CommandError("--expires takes a number of days of at least 1.")
        new = api_token_create(
            user=user, name=name, read_only=read_only, expires_in_days=expires
        )
        # The token alone on stdout, so a script can read it; the rest on stderr.
        self.stdout.write(new.secret)
        what = "read-only token" if read_only else "token"
        until = (
            f", valid until {new.token.expires_at:%Y-%m-%d %H:%M %Z}" if expires else ""
        )
        self.stderr.write(
            f"A {what} of {username}{until} ({new.token.prefix}…). Copy it now: it "
            "is not stored and cannot be shown again."
        )
