"""1,000 deliveries to a real SMTP server (aiosmtpd, on a free port), sent by a
real worker process (`manage.py worker`) that is killed with SIGKILL twice along
the way: every recipient gets the email at most once, at most the in-flight ones
end `unconfirmed`, and none is left waiting.

The worker reads the test's database: on PostgreSQL the test database itself; on
SQLite (in memory for the tests) a copy in a file, made with SQLite's backup. Its
tasks queue in the database, and in Redis too when OUTBOX_TEST_REDIS_URL is set."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection

from tests.communications.factories import make_deliveries
from tests.communications.redis import REDIS_URL, needs_redis, rq_queue  # noqa: F401
from tests.communications.smtp import receiving_mail_server

DELIVERIES = 1000
# Seconds the run may take: about 20 on an idle machine; a guard, not a measure.
DEADLINE = 90
WAITING = ("queued", "deferred", "sending")


def worker_database(tmp_path) -> tuple[str, callable]:
    """The worker's DATABASE_URL, and how to read the deliveries' statuses."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        url = (
            f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )

        def statuses():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT email, status FROM communications_delivery ORDER BY id"
                )
                return cursor.fetchall()

        return url, statuses
    path = tmp_path / "worker.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()

    def statuses():
        with sqlite3.connect(path, timeout=20) as db:
            return db.execute(
                "SELECT email, status FROM communications_delivery ORDER BY id"
            ).fetchall()

    return f"sqlite:///{path}", statuses


def start_worker(database_url: str, port: int, queue: str = "") -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": database_url,
        "TASKS_BACKEND": "rq" if queue else "database",
        "TASKS_REDIS_URL": REDIS_URL,
        "COMMUNICATIONS_QUEUE": queue or "default",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_TIMEOUT": "5",
        # Short enough for the test: a lapsed claim after 4 s, a lost task asked
        # for again after 2 s, the sweep every second.
        "COMMUNICATIONS_CLAIM_SECONDS": "4",
        "COMMUNICATIONS_REQUEUE_SECONDS": "2",
        "COMMUNICATIONS_SWEEP_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.05"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(os.environ.get("WORKER_LOG", os.devnull), "a"),  # noqa: SIM115
    )


def wait_until(condition, started: float) -> None:
    while not condition():
        assert time.monotonic() - started < DEADLINE, "the run took too long"
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("backend", ["database", pytest.param("rq", marks=needs_redis)])
def test_killed_twice_every_recipient_gets_it_at_most_once(tmp_path, request, backend):
    queue = request.getfixturevalue("rq_queue") if backend == "rq" else ""
    deliveries = make_deliveries(DELIVERIES, email="person{n}@example.com")
    database_url, statuses = worker_database(tmp_path)
    started = time.monotonic()
    workers = []
    with receiving_mail_server() as (port, inbox):
        try:
            for kill_after in (300, 650):
                worker = start_worker(database_url, port, queue)
                workers.append(worker)
                wait_until(lambda n=kill_after: len(inbox.messages) >= n, started)
                worker.send_signal(signal.SIGKILL)
                worker.wait(10)
            worker = start_worker(database_url, port, queue)
            workers.append(worker)
            wait_until(
                lambda: not any(status in WAITING for _email, status in statuses()),
                started,
            )
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.terminate()
                    worker.wait(10)
        received = Counter(rcpt for rcpts, _id in inbox.messages for rcpt in rcpts)

    rows = statuses()
    assert len(rows) == DELIVERIES
    by_status = Counter(status for _email, status in rows)
    # At most once each.
    assert max(received.values()) == 1, received.most_common(3)
    # Nothing waits; at most the one in flight at each kill is unconfirmed.
    assert set(by_status) <= {"sent", "unconfirmed"}, by_status
    assert by_status["unconfirmed"] <= 2, by_status
    # What is recorded sent arrived; what arrived was meant to.
    sent = {email for email, status in rows if status == "sent"}
    assert sent <= set(received)
    assert set(received) <= {d.email for d in deliveries}
    assert len(received) >= DELIVERIES - by_status["unconfirmed"]
    # The first two workers were killed (no clean exit), the last stopped cleanly.
    assert [w.returncode for w in workers[:2]] == [-signal.SIGKILL, -signal.SIGKILL]
