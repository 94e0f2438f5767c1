"""The probes a load balancer or an orchestrator asks (django-health-check):

- `/healthz`, liveness: the process answers. No database, no cache: a process that
  answers it should be kept, whatever the services around it do.
- `/readyz`, readiness: every registered check passes, else 503. Each check's result
  is in the JSON answer.

Both are answered by `core.middleware.ProbeMiddleware` before any other middleware:
without sign-in, without the TLS redirect, whatever `Host` the probe sends.

core registers the database, its migrations, the shared cache (when one is
configured), a background worker seen recently and the age of the oldest due task
(`register_core_checks`; their limits are settings, docs/deployment.md). An app
adds its own check from its `AppConfig.ready()`:

    register_readiness_check("outbox", OutboxBacklog)

A check is a django-health-check `HealthCheck` dataclass whose `run()` raises
`ServiceUnavailable` with a short message when the service is not ready. Checks run
in parallel, each in a thread of its own: a synchronous check that reads the
database subclasses `DatabaseCheck`, which gives the connection back afterwards.
"""

import asyncio
import dataclasses
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe
from health_check import checks
from health_check.base import HealthCheck, HealthCheckResult
from health_check.exceptions import ServiceUnavailable

from core.worker import oldest_due_task_since, worker_last_seen


@dataclasses.dataclass(frozen=True)
class ReadinessCheck:
    name: str  # the key of its result in /readyz's answer
    check: type[HealthCheck]
    options: dict[str, Any]
    # Whether the check applies to this installation (read at every probe).
    applies: Callable[[], bool]


_readiness_checks: dict[str, ReadinessCheck] = {}


def register_readiness_check(
    name: str,
    check: type[HealthCheck],
    *,
    applies: Callable[[], bool] = lambda: True,
    **options: Any,
) -> None:
    """Make `/readyz` run `check(**options)` and answer 503 when it fails."""
    _readiness_checks[name] = ReadinessCheck(name, check, options, applies)


def readiness_checks() -> list[ReadinessCheck]:
    return [entry for entry in _readiness_checks.values() if entry.applies()]


@dataclasses.dataclass
class DatabaseCheck(HealthCheck):
    """A synchronous check that reads the database (`check()`), in a connection of
    its own that is closed afterwards: the probe's thread is not a request's, so no
    request_finished signal would close it."""

    alias: str = "default"

    def run(self) -> None:
        with connections[self.alias].temporary_connection():
            self.check()

    def check(self) -> None:
        raise NotImplementedError


@dataclasses.dataclass
class Database(checks.Database):
    """The database answers a query. The reason it does not (host, port) is logged,
    not shown to whoever asks the probe."""

    def run(self) -> None:
        try:
            super().run()
        except ServiceUnavailable as error:
            raise ServiceUnavailable("The database does not answer.") from error


@dataclasses.dataclass
class MigrationsApplied(DatabaseCheck):
    """Every migration of the code is applied to the database: code newer than its
    database would fail on a missing table or column."""

    def check(self) -> None:
        executor = MigrationExecutor(connections[self.alias])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            raise ServiceUnavailable(
                f"{len(plan)} migration(s) not applied: run manage.py migrate."
            )


def _seconds_since(moment: datetime) -> int:
    return int((timezone.now() - moment).total_seconds())


@dataclasses.dataclass
class WorkerSeen(DatabaseCheck):
    """A background worker (manage.py worker) said it was alive within
    READINESS_WORKER_SEEN_SECONDS: it beats every 15 seconds."""

    def check(self) -> None:
        limit = timedelta(seconds=settings.READINESS_WORKER_SEEN_SECONDS)
        last_seen = worker_last_seen()
        if last_seen is None:
            raise ServiceUnavailable("No worker has ever run: start manage.py worker.")
        if timezone.now() - last_seen > limit:
            raise ServiceUnavailable(
                f"No worker seen for {_seconds_since(last_seen)} s (the limit is "
                f"{int(limit.total_seconds())} s): is manage.py worker running?"
            )


@dataclasses.dataclass
class TasksMoving(DatabaseCheck):
    """The oldest task that is due has waited less than READINESS_TASK_WAIT_SECONDS:
    the workers keep up with the queue."""

    def check(self) -> None:
        limit = timedelta(seconds=settings.READINESS_TASK_WAIT_SECONDS)
        waiting_since = oldest_due_task_since()
        if waiting_since is not None and timezone.now() - waiting_since > limit:
            raise ServiceUnavailable(
                f"The oldest due task has waited {_seconds_since(waiting_since)} s "
                f"(the limit is {int(limit.total_seconds())} s)."
            )


def shared_cache_configured() -> bool:
    """A cache every process shares (Redis); a process's own memory needs no probe."""
    backend = settings.CACHES["default"]["BACKEND"]
    return not backend.endswith(("LocMemCache", "DummyCache"))


def register_core_checks() -> None:
    register_readiness_check("database", Database)
    register_readiness_check("migrations", MigrationsApplied)
    register_readiness_check("cache", checks.Cache, applies=shared_cache_configured)
    # A limit of 0 turns the check off.
    register_readiness_check(
        "worker", WorkerSeen, applies=lambda: settings.READINESS_WORKER_SEEN_SECONDS > 0
    )
    register_readiness_check(
        "tasks", TasksMoving, applies=lambda: settings.READINESS_TASK_WAIT_SECONDS > 0
    )


@require_safe
def liveness(request: HttpRequest) -> JsonResponse:
    response = JsonResponse({"status": "ok"})
    add_never_cache_headers(response)
    return response


@require_safe
def readiness(request: HttpRequest) -> JsonResponse:
    """Every registered check, run in parallel with django-health-check's timeouts;
    200 when all pass, 503 (not 500: nothing failed in the application itself) when
    one does."""
    entries = readiness_checks()
    # The checks' event loop runs in a thread of its own: the request's thread may
    # already run one (an ASGI server; Playwright in the browser tests).
    with ThreadPoolExecutor(max_workers=1) as loop_thread:
        results = loop_thread.submit(asyncio.run, _run(entries)).result()
    ready = not any(result.error for result in results)
    response = JsonResponse(
        {
            "status": "ready" if ready else "not ready",
            "checks": {
                entry.name: "ok" if result.error is None else str(result.error)
                for entry, result in zip(entries, results, strict=True)
            },
        },
        status=200 if ready else 503,
    )
    add_never_cache_headers(response)
    # Each failed check is logged (a warning); Django's own "Service Unavailable"
    # error for every probe would mail the administrators (or reach Sentry) every few
    # seconds while a service is down.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


async def _run(entries: list[ReadinessCheck]) -> list[HealthCheckResult]:
    return await asyncio.gather(
        *(entry.check(**entry.options).get_result() for entry in entries)
    )
