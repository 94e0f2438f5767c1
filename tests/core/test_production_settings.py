"""What the settings make of the environment: persistent, health-checked
connections, JIT off on PostgreSQL, a shared cache and cached sessions with Redis
alone, and gunicorn's configuration file."""

import runpy
import sys
import types
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parent.parent.parent
POSTGRES = "postgres://u@db.example:5432/contacts"


def settings_for(monkeypatch, module: str = "base", **env) -> dict:
    for name in (
        "DATABASE_URL",
        "REDIS_URL",
        "CONN_MAX_AGE",
        "POSTGRES_JIT",
        "SENTRY_DSN",
        "ADMINS",
        "LOG_FORMAT",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("ALLOWED_HOSTS", "contacts.example.com")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    # A fresh copy of base for this environment, also for production's
    # `from config.settings.base import *` (the imported one is the test run's).
    base = types.ModuleType("config.settings.base")
    path = ROOT / "config" / "settings" / "base.py"
    base.__file__ = str(path)
    exec(compile(path.read_text(), str(path), "exec"), base.__dict__)
    monkeypatch.setitem(sys.modules, "config.settings.base", base)
    if module == "base":
        return base.__dict__
    return runpy.run_path(str(ROOT / "config" / "settings" / f"{module}.py"))


def test_postgresql_connections_have_jit_off_and_health_checks(monkeypatch):
    database = settings_for(monkeypatch, DATABASE_URL=POSTGRES)["DATABASES"]["default"]
    assert database["OPTIONS"]["options"] == "-c jit=off"
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["CONN_MAX_AGE"] == 0  # development: a connection per request


def test_postgres_jit_on_gives_jit_back(monkeypatch):
    settings = settings_for(monkeypatch, DATABASE_URL=POSTGRES, POSTGRES_JIT="on")
    assert settings["DATABASES"]["default"]["OPTIONS"]["options"] == "-c jit=on"


def test_production_keeps_connections_for_a_minute_unless_told(monkeypatch):
    settings = settings_for(monkeypatch, "production", DATABASE_URL=POSTGRES)
    assert settings["DATABASES"]["default"]["CONN_MAX_AGE"] == 60
    settings = settings_for(
        monkeypatch, "production", DATABASE_URL=POSTGRES, CONN_MAX_AGE="0"
    )
    assert settings["DATABASES"]["default"]["CONN_MAX_AGE"] == 0


def test_sqlite_gets_no_postgresql_options(monkeypatch):
    database = settings_for(monkeypatch)["DATABASES"]["default"]
    assert "options" not in database.get("OPTIONS", {})


def test_with_redis_the_cache_and_sessions_are_shared(monkeypatch):
    settings = settings_for(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/3")
    cache = settings["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/3"
    assert settings["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_without_redis_sessions_stay_in_the_database_alone(monkeypatch):
    settings = settings_for(monkeypatch)
    assert settings["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    # A per-process cache of sessions would outlive a sign-out in another worker.
    assert settings["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_redis_cache_works_against_the_local_server(monkeypatch):
    """The configured backend talks to a real Redis (127.0.0.1:6379)."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url("redis://127.0.0.1:6379/15")
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    from django.core.cache.backends.redis import RedisCache

    cache = RedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "test-settings"})
    cache.set("answer", 42)
    assert cache.get("answer") == 42
    cache.delete("answer")


@pytest.mark.parametrize(("cpus", "workers"), [(1, 3), (2, 5), (16, 9)])
def test_gunicorn_workers_follow_the_cpu_count_with_a_cap(monkeypatch, cpus, workers):
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    monkeypatch.delenv("GUNICORN_ACCESS_LOG", raising=False)
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: cpus)
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["workers"] == workers
    assert config["timeout"] == 30
    assert config["graceful_timeout"] == 30
    # The application logs each request (core.logs): no second line from gunicorn.
    assert config["logconfig_dict"]["loggers"]["gunicorn.access"]["handlers"] == []


def test_sentry_dsn_turns_on_error_reporting_without_personal_data(monkeypatch):
    init = mock.Mock()
    monkeypatch.setattr("sentry_sdk.init", init)
    settings = settings_for(monkeypatch, SENTRY_DSN="https://key@sentry.example/1")
    init.assert_called_once()
    options = init.call_args.kwargs
    assert options["dsn"] == "https://key@sentry.example/1"
    assert options["send_default_pii"] is False
    assert options["include_local_variables"] is False
    # Sentry reports the errors: no mail on top.
    assert settings["LOGGING"]["loggers"]["django"]["handlers"] == []


def test_without_sentry_errors_are_mailed_to_the_admins(monkeypatch):
    init = mock.Mock()
    monkeypatch.setattr("sentry_sdk.init", init)
    settings = settings_for(
        monkeypatch, ADMINS="Operations <ops@example.com>, dev@example.com"
    )
    init.assert_not_called()
    assert settings["ADMINS"] == [
        ("Operations", "ops@example.com"),
        ("", "dev@example.com"),
    ]
    assert settings["LOGGING"]["loggers"]["django"]["handlers"] == ["mail_admins"]


def test_log_format_json_or_human_and_nothing_else(monkeypatch):
    handler = settings_for(monkeypatch, LOG_FORMAT="json")["LOGGING"]["handlers"]
    assert handler["console"]["formatter"] == "json"
    handler = settings_for(monkeypatch)["LOGGING"]["handlers"]
    assert handler["console"]["formatter"] == "human"
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT must be one of"):
        settings_for(monkeypatch, LOG_FORMAT="xml")
