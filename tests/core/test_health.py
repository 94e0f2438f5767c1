"""/healthz and /readyz: answered to any probe (no sign-in, no TLS redirect, any
Host), JSON with each check's result, 503 when a check fails."""

import dataclasses
import json
import logging
import re
import socket
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from core import health
from core.models import WorkerHeartbeat
from tests.core.worker_tasks import make_group

# The address a load balancer probes: no name of ALLOWED_HOSTS, plain HTTP.
PROBE = {"HTTP_HOST": "10.0.0.7:8000"}


@pytest.fixture
def production_like(settings):
    settings.ALLOWED_HOSTS = ["contacts.example.com"]
    settings.SECURE_SSL_REDIRECT = True


def answer(response) -> dict:
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def closed_port() -> int:
    """A port on this machine where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_liveness_answers_any_probe_without_sign_in_or_redirect(
    client, production_like
):
    response = client.get("/healthz", **PROBE)
    assert response.status_code == 200
    assert answer(response) == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]
    # The same request to a page: refused for its Host, redirected to HTTPS with it.
    assert client.get("/customers/", **PROBE).status_code == 400
    page = client.get("/customers/", HTTP_HOST="contacts.example.com")
    assert page.status_code == 301
    assert page["Location"].startswith("https://")


def worker_seen(seconds_ago: int) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="w1",
        hostname="worker-host",
        pid=1,
        started_at=now - timedelta(hours=1),
        last_seen_at=now - timedelta(seconds=seconds_ago),
    )


def task_waiting(seconds: int) -> None:
    """A task due since `seconds` ago that no worker has started."""
    result = make_group.enqueue("Waiting")
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - timedelta(seconds=seconds)
    )


# The checks run in threads of their own, with connections of their own: what they
# read is committed first (transaction=True).
ready_database = pytest.mark.django_db(transaction=True)


@ready_database
def test_readiness_reports_each_check_when_all_pass(client, production_like):
    worker_seen(seconds_ago=30)
    task_waiting(seconds=60)
    response = client.get("/readyz", **PROBE)
    assert response.status_code == 200
    assert answer(response) == {
        "status": "ready",
        "checks": {
            "database": "ok",
            "migrations": "ok",
            "worker": "ok",
            "tasks": "ok",
            "outbox": "ok",
        },
    }


@ready_database
def test_readiness_is_503_when_no_worker_ever_ran(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert answer(response)["checks"]["worker"] == (
        "Unavailable: No worker has ever run: start manage.py worker."
    )


@ready_database
def test_readiness_is_503_when_the_worker_went_silent(client, settings):
    settings.READINESS_WORKER_SEEN_SECONDS = 120
    worker_seen(seconds_ago=150)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert re.fullmatch(
        r"Unavailable: No worker seen for 15\d s \(the limit is 120 s\): "
        r"is manage.py worker running\?",
        answer(response)["checks"]["worker"],
    )


@ready_database
def test_readiness_is_503_when_the_oldest_due_task_waited_too_long(client, settings):
    settings.READINESS_TASK_WAIT_SECONDS = 300
    worker_seen(seconds_ago=0)
    task_waiting(seconds=400)
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = answer(response)["checks"]
    assert checks["worker"] == "ok"
    assert re.fullmatch(
        r"Unavailable: The oldest due task has waited 40\d s \(the limit is 300 s\)\.",
        checks["tasks"],
    )


@pytest.mark.django_db
def test_a_limit_of_zero_turns_the_worker_checks_off(client, settings):
    settings.READINESS_WORKER_SEEN_SECONDS = 0
    settings.READINESS_TASK_WAIT_SECONDS = 0
    settings.READINESS_OUTBOX_WAIT_SECONDS = 0
    response = client.get("/readyz")
    assert response.status_code == 200
    assert set(answer(response)["checks"]) == {"database", "migrations"}


@ready_database
def test_readiness_is_503_while_a_migration_is_not_applied(client):
    recorder = MigrationRecorder(connection)
    applied = recorder.migration_qs.filter(app="core").order_by("-id").first()
    recorder.record_unapplied(applied.app, applied.name)
    try:
        response = client.get("/readyz")
    finally:
        recorder.record_applied(applied.app, applied.name)
    assert response.status_code == 503
    result = answer(response)
    assert result["status"] == "not ready"
    assert result["checks"]["database"] == "ok"
    assert result["checks"]["migrations"] == (
        "Unavailable: 1 migration(s) not applied: run manage.py migrate."
    )


def redis_cache(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"test-health-{uuid.uuid4().hex}",
        }
    }


@pytest.mark.django_db
def test_readiness_checks_a_shared_cache(client, settings, redis_url):
    settings.CACHES = redis_cache(redis_url)
    response = client.get("/readyz")
    assert answer(response)["checks"]["cache"] == "ok"


@pytest.mark.django_db
def test_readiness_is_503_when_the_shared_cache_is_down(client, settings):
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{closed_port()}/1")
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = answer(response)["checks"]
    assert checks["cache"].startswith("Unexpected Result")
    assert checks["database"] == "ok"


@dataclasses.dataclass
class Backlog(HealthCheck):
    """What an app registers: here a queue that is always too far behind."""

    def run(self):
        raise ServiceUnavailable("The oldest message waits for 2 hours.")


@pytest.mark.django_db
def test_an_app_registers_a_check_of_its_own(client, monkeypatch):
    monkeypatch.setattr(health, "_readiness_checks", dict(health._readiness_checks))
    health.register_readiness_check("outbox", Backlog)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert answer(response)["checks"]["outbox"] == (
        "Unavailable: The oldest message waits for 2 hours."
    )


def test_the_probes_take_only_get_and_head(client):
    assert client.post("/readyz").status_code == 405
    assert client.head("/healthz").status_code == 200


@pytest.mark.django_db
def test_a_probe_that_is_not_ready_is_not_an_error_to_mail(client, settings, caplog):
    """A failed check is a warning in the log; Django's "Service Unavailable"
    error would reach the administrators' mailbox on every probe."""
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{closed_port()}/1")
    with caplog.at_level(logging.INFO):
        assert client.get("/readyz").status_code == 503
    assert not [record for record in caplog.records if record.name == "django.request"]
    assert {record.levelname for record in caplog.records} == {"WARNING"}
