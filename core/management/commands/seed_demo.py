"""Demo data for a local installation, seeded by each app (core.demo), and one user
per default group plus an administrator. Running it again adds only what is missing."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.demo import demo_seeders
from core.permissions import SALES_MANAGER, SALES_STAFF, SALES_VIEWER

DEMO_PASSWORD = "contacts-demo"
DEMO_USERS = [
    # username, group (None: superuser), first name
    ("admin", None, "Ada"),
    ("manager", SALES_MANAGER, "Maria"),
    ("staff", SALES_STAFF, "Sam"),
    ("viewer", SALES_VIEWER, "Vera"),
]


class Command(BaseCommand):
    help = "Create demo data (customers, contacts, documents) and demo users."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-users",
            action="store_true",
            help="Create the demo data only, not the demo users.",
        )

    @transaction.atomic
    def handle(self, *args, no_users: bool = False, **options):
        if not no_users and not settings.DEBUG:
            raise CommandError(
                "Refusing to create demo users with DEBUG off: their passwords are "
                "public. Use --no-users to create only the demo data."
            )
        for seeder in demo_seeders():
            self.stdout.write(seeder.seed())
        if not no_users:
            self._create_users()

    def _create_users(self):
        User = get_user_model()
        self.stdout.write(f"Demo users (password for all: {DEMO_PASSWORD}):")
        for username, group_name, first_name in DEMO_USERS:
            user, _ = User.objects.get_or_create(
                username=username, defaults={"first_name": first_name}
            )
            user.set_password(DEMO_PASSWORD)
            user.is_staff = group_name is None
            user.is_superuser = group_name is None
            user.save()
            if group_name:
                user.groups.set([Group.objects.get(name=group_name)])
            role = group_name or "administrator"
            self.stdout.write(f"  {username:<8} {role}")
        self.stdout.write("Sign in at http://127.0.0.1:8000/")
