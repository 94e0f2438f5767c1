"""The pages under HTTP: gunicorn (gunicorn.conf.py, 2 workers) on 127.0.0.1 and
locust, one page at a time, each for a bounded time.

    .venv/bin/python bench/loadtest.py                 # cc_scale_100k, 15 s a page
    .venv/bin/python bench/loadtest.py --database cc_scale_1k --seconds 10

Traffic goes to 127.0.0.1 only. For each page: requests per second and the 50th, 95th
and 99th percentile in ms, with persistent connections (CONN_MAX_AGE=60) and, for
comparison, a new database connection per request (CONN_MAX_AGE=0). The figures go to
bench/out/load.json and into docs/benchmarks-scale.md between its load markers.
"""

import argparse
import contextlib
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DOC = ROOT / "docs" / "benchmarks-scale.md"
SERVER = "postgres://postgres@127.0.0.1:5432"
BEGIN, END = "<!-- load:begin -->", "<!-- load:end -->"
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(database: str, conn_max_age: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "false",
        "DATABASE_URL": f"{SERVER}/{database}",
        "CONN_MAX_AGE": str(conn_max_age),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }


def _prepare(database: str) -> dict:
    """A signed-in session of the bench's Sales manager (signing in once, not per
    locust user: the password hash costs a second of CPU), and the pages' URLs."""
    script = f"""
import json, sys
sys.path.insert(0, {str(ROOT / "bench")!r})
import scale
from customers.models import Customer
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
admin, manager = scale._users()
client = Client()
client.force_login(manager)
cases = scale._cases(Customer.objects.count() - 2)
cases["session"] = client.cookies["sessionid"].value
print("CASES " + json.dumps(cases))
"""
    output = subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=_environment(database, 0),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("CASES "))
    return json.loads(line.removeprefix("CASES "))


def _wait_for(url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer at {url}")


def _run_page(
    host: str, path: str, session: str, anonymous: bool, seconds: int, users: int
):
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "load"
        locust = [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "5",
            "--host",
            host,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        # Past the time limit, what locust wrote so far is read below (or nothing).
        with contextlib.suppress(subprocess.TimeoutExpired):
            subprocess.run(
                locust,
                env={
                    **os.environ,
                    "LOAD_PAGE": path,
                    "LOAD_ANONYMOUS": "1" if anonymous else "0",
                    "LOAD_SESSION": session,
                },
                capture_output=True,
                timeout=seconds + 60,
                check=False,
            )
        try:
            with open(f"{prefix}_stats.csv") as stats:
                row = next(r for r in csv.DictReader(stats) if r["Name"] == "page")
        except (OSError, StopIteration):
            # No request of the page finished in time (an overloaded machine).
            return {
                "requests": 0,
                "failures": 0,
                "rps": 0.0,
                "p50": 0.0,
                "p95": 0.0,
                "p99": 0.0,
            }
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "rps": round(float(row["Requests/s"]), 1),
        "p50": float(row["50%"]),
        "p95": float(row["95%"]),
        "p99": float(row["99%"]),
    }


PAGES = [
    "login",
    "list",
    "list_deep",
    "list_sorted_city",
    "search_name",
    "search_city",
    "overview",
    "contacts",
    "activity",
]
COMPARE = ["login", "list", "search_name", "activity"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="cc_scale_100k")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    cases = _prepare(args.database)
    results = {}
    for conn_max_age, pages in [(60, PAGES), (0, COMPARE)]:
        port = _free_port()
        host = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--access-logfile",
                os.devnull,
            ],
            cwd=ROOT,
            env=_environment(args.database, conn_max_age),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(f"{host}/accounts/login/")
            for key in pages:
                figures = _run_page(
                    host,
                    cases[key],
                    cases["session"],
                    key == "login",
                    args.seconds,
                    args.users,
                )
                if key != "login":
                    # The sign-in page again, right after: the ratio of the two holds
                    # when the shared machine's load changes during the run.
                    figures["login_rps"] = _run_page(
                        host,
                        cases["login"],
                        "",
                        True,
                        max(args.seconds // 2, 5),
                        args.users,
                    )["rps"]
                results[f"{key}@{conn_max_age}"] = figures
                print(f"CONN_MAX_AGE={conn_max_age:<3} {key:<18} {figures}", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
    OUT.mkdir(exist_ok=True)
    run = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "database": args.database,
        "seconds": args.seconds,
        "users": args.users,
        "workers": args.workers,
        "results": results,
    }
    (OUT / "load.json").write_text(json.dumps(run, indent=1))
    _report(run)


def _report(run: dict) -> None:
    results = run["results"]
    login = results["login@60"]["rps"]
    lines = [
        BEGIN,
        "",
        f"{run['when']}; {run['database']}; gunicorn with {run['workers']} workers; "
        f"locust with {run['users']} users and no wait, {run['seconds']} s a page; "
        "all on 127.0.0.1 of the same 2-core machine.",
        "",
        "| page | req/s | p50 ms | p95 ms | p99 ms | failures | sign-in req/s right "
        "after | sign-in req/s ÷ page req/s | req/s with CONN_MAX_AGE=0 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for key in PAGES:
        figures = results.get(f"{key}@60")
        if figures is None:
            continue
        fresh = results.get(f"{key}@0")
        paired = figures.get("login_rps", login)
        ratio = f"{paired / figures['rps']:.1f}×" if figures["rps"] else "–"
        lines.append(
            f"| {key} | {figures['rps']} | {figures['p50']:.0f} | {figures['p95']:.0f}"
            f" | {figures['p99']:.0f} | {figures['failures']} | {paired} | {ratio} | "
            f"{fresh['rps'] if fresh else '–'} |"
        )
    lines += ["", END]
    text = DOC.read_text()
    before, _, rest = text.partition(BEGIN)
    _, _, after = rest.partition(END)
    DOC.write_text(before + "\n".join(lines) + after)
    print(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
