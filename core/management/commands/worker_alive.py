"""`python manage.py worker_alive`: exit 0 when a worker on this machine said it was
alive within READINESS_WORKER_SEEN_SECONDS, else 1. The health check of a worker's
container (compose.yaml), which has no web server to ask."""

import socket
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.models import WorkerHeartbeat


class Command(BaseCommand):
    help = "Exit 0 when a worker on this machine was seen recently, else 1."

    def handle(self, **options):
        hostname = socket.gethostname()[:255]
        limit = timedelta(seconds=settings.READINESS_WORKER_SEEN_SECONDS or 120)
        seen = WorkerHeartbeat.objects.filter(
            hostname=hostname, last_seen_at__gte=timezone.now() - limit
        ).exists()
        if not seen:
            raise CommandError(
                f"No worker on {hostname} was seen in the last "
                f"{int(limit.total_seconds())} seconds."
            )
        self.stdout.write(f"A worker on {hostname} is alive.")
