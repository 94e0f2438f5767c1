"""`python manage.py worker`: run the background work (queued tasks and the apps'
periodic jobs) in this process until SIGTERM or Ctrl+C (core.worker)."""

from argparse import ArgumentTypeError

from django.core.management.base import BaseCommand

from core.worker import Worker


def seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not a number of seconds.") from None
    if not 0 < number <= 60:
        raise ArgumentTypeError("The interval is more than 0 and at most 60 seconds.")
    return number


class Command(BaseCommand):
    help = "Run the background worker: queued tasks and periodic jobs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=seconds,
            default=1.0,
            help="Seconds to wait when there is nothing to do (default 1).",
        )

    def handle(self, *, interval: float, **options):
        Worker(interval=interval).run()
