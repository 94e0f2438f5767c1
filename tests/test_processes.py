"""Production's processes, started as a Procfile or compose.yaml starts them: gunicorn
(gunicorn.conf.py) and `manage.py worker`, with the production settings, against
PostgreSQL and Redis. The machines that run the tests have no container runtime:
this is the same pair of processes without the containers.

PostgreSQL: a throwaway database on PROCESS_TEST_POSTGRES (default the local server);
Redis: TEST_REDIS_URL with a key prefix of this run. Skipped when either is missing.
CI runs these once, in the SQLite run: they use databases of their own.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
import redis

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get(
    "PROCESS_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres"
)
HOST = "contacts.example.com"

pytestmark = pytest.mark.processes


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_url():
    """A database of this test's own, dropped afterwards."""
    name = f"cc_process_{uuid.uuid4().hex[:12]}"
    try:
        server = psycopg.connect(SERVER, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip(f"no PostgreSQL answers at {SERVER}")
    with server:
        server.execute(f'CREATE DATABASE "{name}"')
        try:
            yield SERVER.rsplit("/", 1)[0] + f"/{name}"
        finally:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def cache_prefix(redis_url):
    """A key prefix of this run; its keys are removed afterwards."""
    prefix = f"process-test-{uuid.uuid4().hex}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


def production_env(**env: str) -> dict[str, str]:
    """The environment a Procfile's or a container's processes get (.env.example)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "GUNICORN_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="process-test-" + uuid.uuid4().hex * 2,
        ALLOWED_HOSTS=HOST,
        DEFAULT_FROM_EMAIL="contacts@example.com",
        LOG_FORMAT="json",
        GUNICORN_WORKERS="2",
        **env,
    )
    return environment


class Process:
    """A process of the application, its output kept in a file."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path):
        self.log = log
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log.read_text()

    def stop(self) -> int:
        """SIGTERM, as compose and honcho stop a process; its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            return self.process.wait()


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def get(port: int, path: str, **headers: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_for(condition, *, seconds: float, what: str, process: Process):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if result := condition():
                return result
        except (urllib.error.URLError, ConnectionError):
            pass
        if process.process.poll() is not None:
            break
        time.sleep(0.2)
    pytest.fail(f"{what}, not within {seconds} s. Output:\n{process.output()}")


def gunicorn(env: dict[str, str], tmp_path: Path) -> tuple[Process, int]:
    port = free_port()
    web = Process(
        [sys.executable, "-m", "gunicorn", "config.wsgi"],
        {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        tmp_path / "web.log",
    )
    wait_for(
        lambda: get(port, "/healthz")[0] == 200,
        seconds=60,
        what="gunicorn answers /healthz",
        process=web,
    )
    return web, port


def test_gunicorn_and_the_worker_serve_with_the_production_settings(
    database_url, redis_url, cache_prefix, tmp_path
):
    env = production_env(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX=cache_prefix,
        STATIC_ROOT=str(tmp_path / "static"),
    )
    # What a release runs before the processes start (compose.yaml's `release`).
    manage("check", "--deploy", env=env)
    manage("migrate", "--noinput", env=env)
    manage("collectstatic", "--noinput", env=env)
    web, port = gunicorn(env, tmp_path)
    worker = Process(
        [sys.executable, "manage.py", "worker", "--interval", "0.2"],
        env,
        tmp_path / "worker.log",
    )
    try:
        # Ready once the worker has said it is alive: every check passes.
        status, _headers, body = wait_for(
            lambda: (answer := get(port, "/readyz"))[0] == 200 and answer,
            seconds=60,
            what="/readyz answers 200",
            process=worker,
        )
        assert json.loads(body)["checks"] == {
            "database": "ok",
            "migrations": "ok",
            "cache": "ok",
            "worker": "ok",
            "tasks": "ok",
            "outbox": "ok",
        }

        # A page, through the proxy that ends TLS: its request id comes back and is
        # on the request's line of the JSON log.
        request_id = uuid.uuid4().hex
        status, headers, body = get(
            port,
            "/accounts/login/",
            Host=HOST,
            **{"X-Forwarded-Proto": "https", "X-Request-ID": request_id},
        )
        assert status == 200
        assert b"Sign in" in body
        assert headers["X-Request-ID"] == request_id

        # The worker runs what is queued.
        manage(
            "shell",
            "-c",
            "from tests.core.worker_tasks import make_group; "
            "make_group.enqueue('Queued by the process test')",
            env=env,
        )
        with psycopg.connect(database_url) as connection:
            wait_for(
                lambda: connection.execute(
                    "SELECT 1 FROM auth_group WHERE name = %s",
                    ["Queued by the process test"],
                ).fetchone(),
                seconds=30,
                what="the worker runs the queued task",
                process=worker,
            )
    finally:
        assert worker.stop() == 0, worker.output()
        assert web.stop() == 0, web.output()

    # One JSON object a line, gunicorn's own lines included.
    lines = [json.loads(line) for line in web.output().splitlines()]
    assert any(
        line["logger"] == "gunicorn.error" and line["message"].startswith("Listening")
        for line in lines
    )
    (line,) = [line for line in lines if line["request_id"] == request_id]
    assert line["logger"] == "core.requests"
    assert (line["method"], line["path"], line["status"]) == (
        "GET",
        "/accounts/login/",
        200,
    )
    assert "Worker" in worker.output() and "stopped" in worker.output()


def test_without_its_database_the_process_is_alive_but_not_ready(tmp_path):
    env = production_env(
        DATABASE_URL=f"postgres://contacts@127.0.0.1:{free_port()}/contacts"
    )
    web, port = gunicorn(env, tmp_path)
    try:
        status, _headers, body = get(port, "/readyz")
        assert get(port, "/healthz")[0] == 200
    finally:
        web.stop()
    assert status == 503
    answer = json.loads(body)
    assert answer["status"] == "not ready"
    assert answer["checks"]["database"] == "Unavailable: The database does not answer."
