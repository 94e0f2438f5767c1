"""The background worker: one process that runs the queued tasks (django-tasks: its
database backend, or django-tasks-rq's Redis one with TASKS_BACKEND=rq) and the
periodic jobs the apps register, and says it is alive.

An app registers a periodic job from its `AppConfig.ready()`:

    register_periodic_job(name="sweep", function=sweep, every=timedelta(minutes=1))

A job runs at most once per period across every worker on every machine (claimed
through its `PeriodicJobRun` row), so it may assume no other copy of itself runs at
the same moment only as long as it finishes within its period; it should still be
safe to run twice. `python manage.py worker` runs `Worker.run()`.
"""

import logging
import os
import signal
import socket
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import OperationalError, close_old_connections, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker as TaskRunner
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from core.history_groups import history_group
from core.models import PeriodicJobRun, WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_EVERY = timedelta(seconds=15)
# A heartbeat this old belongs to a worker that has gone; its row is removed.
HEARTBEAT_FORGOTTEN_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    function: Callable[[], object]
    every: timedelta


_periodic_jobs: dict[str, PeriodicJob] = {}


def register_periodic_job(
    *, name: str, function: Callable[[], object], every: timedelta
) -> None:
    """Run `function` in the worker about once per `every`. Registering a name
    again replaces the job (apps' ready() may run more than once in tests)."""
    _periodic_jobs[name] = PeriodicJob(name=name, function=function, every=every)


def periodic_jobs() -> list[PeriodicJob]:
    return list(_periodic_jobs.values())


def prune_finished_task_results() -> None:
    """Finished tasks' results older than TASK_RESULTS_KEPT_DAYS go (a periodic job
    of core's)."""
    kept_since = timezone.now() - timedelta(days=settings.TASK_RESULTS_KEPT_DAYS)
    DBTaskResult.objects.finished().filter(finished_at__lt=kept_since).delete()


def worker_last_seen() -> datetime | None:
    """When any worker last said it was alive; None when none ever did."""
    return WorkerHeartbeat.objects.aggregate(last=Max("last_seen_at"))["last"]


def oldest_due_task_since() -> datetime | None:
    """Since when the oldest task that is due, and not yet started, has waited:
    its enqueue time, or its `run_after` when it was deferred. None when none waits."""
    ready = DBTaskResult.objects.ready()
    now_due = ready.filter(run_after=get_date_max()).aggregate(
        since=Min("enqueued_at")
    )["since"]
    deferred_due = ready.exclude(run_after=get_date_max()).aggregate(
        since=Min("run_after")
    )["since"]
    candidates = [since for since in (now_due, deferred_due) if since is not None]
    return min(candidates) if candidates else None


class Worker:
    """Runs tasks and periodic jobs until told to stop (SIGTERM, SIGINT: it finishes
    the task at hand first)."""

    def __init__(
        self,
        *,
        interval: float = 1.0,
        backend_name: str = DEFAULT_TASK_BACKEND_ALIAS,
        worker_id: str | None = None,
        clock: Callable[[], datetime] = timezone.now,
    ):
        backend = task_backends[backend_name]
        self.interval = interval
        self.backend_name = backend_name
        self.worker_id = worker_id or get_random_string(32)
        self.clock = clock
        self.running = True
        self.started_at = clock()
        self._last_beat: datetime | None = None
        self._rq = None
        if type(backend).__name__ == "RQBackend":
            # TASKS_BACKEND=rq: the tasks wait in Redis (django-tasks-rq).
            self._rq = RQTasks(backend, worker_id=self.worker_id)
            return
        if not isinstance(backend, DatabaseBackend):
            raise ValueError(
                f"The worker runs the database or RQ backend's tasks; the task "
                f"backend {backend_name!r} is {type(backend).__name__}."
            )
        self._runner = TaskRunner(
            queue_names=["*"],
            interval=interval,
            batch=False,
            backend_name=backend_name,
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )

    def stop(self, signum: int | None = None, frame=None) -> None:
        self.running = False

    def run(self, *, max_rounds: int | None = None) -> None:
        """Loop until stopped (or for `max_rounds` rounds, for tests)."""
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        logger.info("Worker %s started", self.worker_id)
        rounds = 0
        while self.running and (max_rounds is None or rounds < max_rounds):
            rounds += 1
            # As Django does around a request: drop a connection that broke or
            # outlived CONN_MAX_AGE while the worker slept or ran a task.
            close_old_connections()
            ran_a_task = self.run_once()
            if self.running and not ran_a_task:
                time.sleep(self.interval)
        if self._rq is not None:
            self._rq.close()
        logger.info("Worker %s stopped", self.worker_id)

    def run_once(self) -> bool:
        """One round: the heartbeat when due, the periodic jobs that are due, then at
        most one task. True when a task ran."""
        self.beat()
        for job in periodic_jobs():
            self.run_periodic_job_if_due(job)
        return self.run_one_task()

    def beat(self) -> None:
        now = self.clock()
        if self._last_beat is not None and now - self._last_beat < HEARTBEAT_EVERY:
            return
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "last_seen_at": now,
            },
        )
        WorkerHeartbeat.objects.filter(
            last_seen_at__lt=now - HEARTBEAT_FORGOTTEN_AFTER
        ).delete()
        self._last_beat = now

    def run_periodic_job_if_due(self, job: PeriodicJob) -> bool:
        """Claim the job's row (skipping it when another worker holds it), run the
        job when its period has passed, and record how it ended."""
        now = self.clock()
        PeriodicJobRun.objects.get_or_create(name=job.name)
        with transaction.atomic():
            run = (
                PeriodicJobRun.objects.select_for_update(skip_locked=True)
                .filter(name=job.name)
                .first()
            )
            if run is None or (
                run.last_started_at is not None
                and now - run.last_started_at < job.every
            ):
                return False
            run.last_started_at = now
            run.save(update_fields=["last_started_at"])
        error = ""
        try:
            with history_group():
                job.function()
        except Exception:
            logger.exception("Periodic job %s failed", job.name)
            error = traceback.format_exc()
        PeriodicJobRun.objects.filter(pk=run.pk).update(
            last_finished_at=self.clock(), last_error=error
        )
        return True

    def run_one_task(self) -> bool:
        # What one task writes is one entry of the Activity Log.
        with history_group():
            return self._run_one_task()

    def _run_one_task(self) -> bool:
        if self._rq is not None:
            return self._rq.run_one()
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
        except OperationalError as error:
            if is_locked_database_exception(error):
                return False  # SQLite is busy; the next round tries again.
            raise
        if task_result is None:
            return False
        # The library's runner marks the result successful or failed, whatever the
        # task raises, and sends django-tasks' started/finished signals.
        self._runner.run_task(task_result)
        return True


class RQTasks:
    """The tasks of django-tasks-rq's backend, run one at a time in this process by
    RQ's SimpleWorker (its own loop and signal handlers left out: the Worker's loop
    runs it, between the heartbeat and the periodic jobs)."""

    def __init__(self, backend, *, worker_id: str):
        from django_tasks_rq.backend import Job
        from rq import SimpleWorker

        queues = backend._get_queues()
        self.worker = SimpleWorker(
            queues, connection=queues[0].connection, job_class=Job, name=worker_id
        )
        self.worker.bootstrap()

    def run_one(self) -> bool:
        """Run the next queued job, if any (without waiting for one)."""
        found = self.worker.dequeue_job_and_maintain_ttl(timeout=None)
        if found is None:
            return False
        job, queue = found
        self.worker.execute_job(job, queue)
        return True

    def close(self) -> None:
        self.worker.teardown()
