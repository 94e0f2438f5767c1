import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


# What production needs from its environment (no connection is made by `check`).
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "k3y-" + "x9Q!mZ2p" * 8,
    "ALLOWED_HOSTS": "contacts.example.com",
    "DATABASE_URL": "postgres://contacts@db.example:5432/contacts",
    "DEFAULT_FROM_EMAIL": "sales@example.com",
}


def test_production_settings_pass_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_send_from_contacts_at_localhost():
    result = manage(
        "check", **{**PRODUCTION, "DEFAULT_FROM_EMAIL": "contacts@localhost"}
    )
    assert result.returncode != 0
    assert "communications.E001" in result.stderr


@pytest.mark.parametrize("name", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_settings_refuse_to_start_without(name):
    result = manage("check", **{**PRODUCTION, name: ""})
    assert result.returncode != 0
    assert f"{name} must be set in production" in result.stderr


def test_database_url_selects_postgresql():
    from config.settings.base import dj_database_url

    config = dj_database_url.parse("postgres://postgres@127.0.0.1:5432/contacts")
    assert config["ENGINE"] == "django.db.backends.postgresql"
