"""The background worker (core.worker): it runs queued tasks once each, runs each
periodic job once per period across workers, says it is alive, and stops cleanly."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.models import PeriodicJobRun, WorkerHeartbeat
from core.worker import (
    PeriodicJob,
    Worker,
    oldest_due_task_since,
    prune_finished_task_results,
    worker_last_seen,
)
from tests.concurrency import RACE_TEST, database_url_for_processes, one_after_the_other
from tests.core.worker_tasks import fail, make_group

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self):
        self.now = timezone.now()

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


def test_a_task_queued_in_a_transaction_runs_once_after_it_commits():
    with transaction.atomic():
        result = make_group.enqueue("Queued")
    worker = Worker(interval=0)

    assert worker.run_once() is True
    assert worker.run_once() is False
    assert Group.objects.filter(name="Queued").count() == 1
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"


def test_a_task_that_raises_is_recorded_failed_and_the_worker_goes_on():
    failed = fail.enqueue("the mail server is down")
    make_group.enqueue("After")
    worker = Worker(interval=0)

    worker.run_once()
    worker.run_once()

    row = DBTaskResult.objects.get(pk=failed.id)
    assert row.status == "FAILED"
    assert "the mail server is down" in row.traceback
    assert Group.objects.filter(name="After").exists()


def test_a_periodic_job_runs_once_per_period():
    clock = Clock()
    calls = []
    job = PeriodicJob(
        name="count", function=lambda: calls.append(1), every=timedelta(minutes=1)
    )
    worker = Worker(interval=0, clock=clock)

    assert worker.run_periodic_job_if_due(job) is True
    clock.advance(seconds=59)
    assert worker.run_periodic_job_if_due(job) is False
    assert Worker(interval=0, clock=clock).run_periodic_job_if_due(job) is False
    clock.advance(seconds=1)
    assert worker.run_periodic_job_if_due(job) is True
    assert len(calls) == 2


def test_a_failing_periodic_job_is_recorded_and_the_next_one_runs():
    clock = Clock()

    def broken():
        raise ValueError("no connection")

    worker = Worker(interval=0, clock=clock)
    worker.run_periodic_job_if_due(PeriodicJob("broken", broken, timedelta(minutes=1)))
    ran = []
    worker.run_periodic_job_if_due(
        PeriodicJob("fine", lambda: ran.append(1), timedelta(minutes=1))
    )

    broken_run = PeriodicJobRun.objects.get(name="broken")
    assert "ValueError: no connection" in broken_run.last_error
    assert broken_run.last_finished_at == clock.now
    assert ran == [1]


def test_the_heartbeat_says_when_a_worker_was_last_seen():
    clock = Clock()
    assert worker_last_seen() is None
    worker = Worker(interval=0, clock=clock)
    worker.run_once()
    assert worker_last_seen() == clock.now

    clock.advance(seconds=5)  # within the heartbeat's period: no write
    worker.run_once()
    assert worker_last_seen() == clock.now - timedelta(seconds=5)
    clock.advance(seconds=15)
    worker.run_once()
    assert worker_last_seen() == clock.now
    assert WorkerHeartbeat.objects.count() == 1


def test_a_worker_gone_for_a_day_is_forgotten():
    clock = Clock()
    Worker(interval=0, clock=clock, worker_id="gone").beat()
    clock.advance(days=1, seconds=1)
    Worker(interval=0, clock=clock, worker_id="alive").beat()
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == [
        "alive"
    ]


def test_the_oldest_due_task_is_the_one_waiting_longest():
    assert oldest_due_task_since() is None
    first = make_group.enqueue("First")
    make_group.enqueue("Second")
    later = make_group.using(run_after=timezone.now() + timedelta(hours=1))
    later.enqueue("Not due yet")

    enqueued = DBTaskResult.objects.get(pk=first.id).enqueued_at
    assert oldest_due_task_since() == enqueued
    Worker(interval=0).run_once()
    assert oldest_due_task_since() > enqueued


def test_finished_results_older_than_the_kept_days_are_pruned(settings):
    settings.TASK_RESULTS_KEPT_DAYS = 7
    old = make_group.enqueue("Old")
    recent = make_group.enqueue("Recent")
    waiting = make_group.enqueue("Waiting")
    Worker(interval=0).run_once()
    Worker(interval=0).run_once()
    DBTaskResult.objects.filter(pk=old.id).update(
        finished_at=timezone.now() - timedelta(days=8)
    )

    prune_finished_task_results()

    left = set(DBTaskResult.objects.values_list("id", flat=True))
    assert {str(pk) for pk in left} == {recent.id, waiting.id}


@pytest.mark.usefixtures("transactional_db")
class TestAcrossWorkers:
    pytestmark = RACE_TEST

    def test_a_periodic_job_another_worker_holds_is_skipped(self):
        PeriodicJobRun.objects.create(name="held")
        calls = []
        job = PeriodicJob("held", lambda: calls.append(1), timedelta(minutes=1))

        def hold():
            PeriodicJobRun.objects.select_for_update().get(name="held")

        outcomes = one_after_the_other(
            hold, lambda: Worker(interval=0).run_periodic_job_if_due(job)
        )
        assert outcomes == [None, False]
        assert calls == []

    def test_the_worker_command_runs_tasks_and_stops_on_sigterm(self):
        result = make_group.enqueue("From the process")
        process = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--interval", "0.1"],
            cwd=settings.BASE_DIR,
            env={**os.environ, "DATABASE_URL": database_url_for_processes()},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL":
                    break
                time.sleep(0.1)
            process.send_signal(signal.SIGTERM)
            output = process.communicate(timeout=20)[0].decode()
        finally:
            process.kill()
        assert Group.objects.filter(name="From the process").exists(), output
        assert process.returncode == 0, output
        assert WorkerHeartbeat.objects.exists()
