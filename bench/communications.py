"""The outbox's throughput: deliveries sent per second by `manage.py worker` to a
local SMTP server (aiosmtpd) on this machine, into docs/benchmarks-communications.md.

    .venv/bin/python bench/communications.py                 # every configuration
    .venv/bin/python bench/communications.py --count 500 --configs sqlite-database

Each configuration gets a fresh database (SQLite: a file in a temporary folder;
PostgreSQL: `cc_comms_bench` on 127.0.0.1, dropped and created), migrated, with
`--count` deliveries recorded as Send records them (one task per 50), then one or two
worker processes send them all. Timed from the worker's start to the last delivery
recorded `sent`, and from the first email received to the last (the steady rate).
Run by hand, once: it is no test.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks-communications.md"
SERVER = "postgres://postgres@127.0.0.1:5432"
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
# name: (database, task backend, workers)
CONFIGS = {
    "sqlite-database": ("sqlite", "database", 1),
    "postgresql-database": ("postgresql", "database", 1),
    "postgresql-database-2": ("postgresql", "database", 2),
    "postgresql-rq": ("postgresql", "rq", 1),
    "postgresql-rq-2": ("postgresql", "rq", 2),
}
SEED = """
from customers.services import customer_create
from communications.outbox import OutgoingEmail, deliveries_create
customer = customer_create(name="Bench B.V.")
for start in range(0, {count}, 500):
    deliveries_create(about=customer, customer=customer, requested_by=None, emails=[
        OutgoingEmail(email=f"person{{n}}@example.com", name=f"Person {{n}}",
            reason="Invoice role", language="en", subject=f"Invoice {{n}}",
            text="Dear Person,\\n" * 20, html="<p>Dear Person,</p>" * 20)
        for n in range(start, min(start + 500, {count}))])
"""
COUNT_SENT = (
    "from communications.models import Delivery as D; "
    "print(D.objects.filter(status='sent').count())"
)


class Inbox:
    def __init__(self):
        self.times: list[float] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.times.append(time.monotonic())
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env, *args, capture=False) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout if capture else ""


def run(name: str, count: int) -> dict:
    database, backend, workers = CONFIGS[name]
    folder = tempfile.mkdtemp(prefix="bench-comms-")
    if database == "sqlite":
        url = f"sqlite:///{folder}/bench.sqlite3"
    else:
        subprocess.run(
            [
                "dropdb",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "--if-exists",
                "cc_comms_bench",
            ],
            check=True,
        )
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", "cc_comms_bench"],
            check=True,
        )
        url = f"{SERVER}/cc_comms_bench"
    queue = f"bench-{os.getpid()}-{name}"
    inbox = Inbox()
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": url,
        "TASKS_BACKEND": backend,
        "TASKS_REDIS_URL": REDIS,
        "COMMUNICATIONS_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "LOG_LEVEL": "WARNING",
    }
    manage(env, "migrate", "--noinput")
    manage(env, "shell", "-c", SEED.format(count=count))
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    started = time.monotonic()
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--interval", "0.2"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    try:
        while len(inbox.times) < count and time.monotonic() - started < 600:
            time.sleep(0.05)
        while (
            int(manage(env, "shell", "-v", "0", "-c", COUNT_SENT, capture=True)) < count
        ):
            time.sleep(0.2)
        finished = time.monotonic()
    finally:
        for process in processes:
            process.terminate()
            process.wait(30)
        controller.stop()
        if backend == "rq":
            import redis

            connection = redis.Redis.from_url(REDIS)
            for key in connection.scan_iter(match=f"*{queue}*"):
                connection.delete(key)
    total = finished - started
    steady = inbox.times[-1] - inbox.times[0]
    return {
        "name": name,
        "database": "SQLite" if database == "sqlite" else "PostgreSQL",
        "backend": backend,
        "workers": workers,
        "count": count,
        "total": total,
        "per_second": count / total,
        "steady_per_second": (count - 1) / steady if steady else 0.0,
        "received": len(inbox.times),
    }


def write(results: list[dict], load: str) -> None:
    lines = [
        "# Outbox throughput",
        "",
        "Deliveries sent per second by `python manage.py worker` to a local SMTP",
        "server (aiosmtpd, in the benchmark's process) on this machine (2 cores,",
        f"shared with other work: load average {load} when it started), measured by",
        "`bench/communications.py` on a fresh database with the deliveries recorded as",
        "Send records them. *Total* runs from the worker's start (its Django set-up",
        "included) to the last delivery recorded `sent`; *steady* from the first email",
        "received to the last.",
        "",
        "| database | task backend | workers | deliveries | total | per second "
        "| steady per second |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['database']} | {r['backend']} | {r['workers']} | {r['count']:,} | "
            f"{r['total']:.1f} s | {r['per_second']:.0f} | "
            f"{r['steady_per_second']:.0f} |"
        )
    lines += [
        "",
        "Each delivery costs two short transactions of its own, so that none is ever",
        "sent twice: the claim (marked `sending`, committed before the mail server is",
        "spoken to) and the outcome (`sent`, with its history record). A task sends up",
        "to 50 deliveries over one SMTP connection. In every run the SMTP server",
        "received as many emails as there were deliveries, and every one was `sent`.",
        "The worker and the SMTP server share the machine's two cores, so more workers",
        "help less here than on machines of their own.",
        "",
    ]
    DOC.write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--configs", default=",".join(CONFIGS))
    options = parser.parse_args()
    load = os.getloadavg()
    results = []
    for name in options.configs.split(","):
        result = run(name, options.count)
        assert result["received"] == options.count, result
        print(result, flush=True)
        results.append(result)
    write(results, f"{load[0]:.1f}")


if __name__ == "__main__":
    main()
