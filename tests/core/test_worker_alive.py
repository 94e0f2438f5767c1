"""`manage.py worker_alive`, the health check of a worker's container."""

import io
import socket
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def heartbeat(*, hostname: str, seconds_ago: int) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=f"{hostname}-{seconds_ago}",
        hostname=hostname,
        pid=1,
        started_at=now - timedelta(hours=1),
        last_seen_at=now - timedelta(seconds=seconds_ago),
    )


def test_it_fails_unless_a_worker_of_this_machine_beat_recently(settings):
    settings.READINESS_WORKER_SEEN_SECONDS = 120
    heartbeat(hostname="another-machine", seconds_ago=5)
    heartbeat(hostname=socket.gethostname(), seconds_ago=300)
    with pytest.raises(CommandError, match="No worker on .* in the last 120 seconds"):
        call_command("worker_alive")


def test_it_passes_when_this_machines_worker_beat_recently(settings):
    settings.READINESS_WORKER_SEEN_SECONDS = 120
    heartbeat(hostname=socket.gethostname(), seconds_ago=10)
    out = io.StringIO()
    call_command("worker_alive", stdout=out)
    assert "is alive" in out.getvalue()
