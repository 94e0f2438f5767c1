"""What the container files promise (no container runtime runs here: the processes
they start are proven by tests/test_processes.py): the same commands in compose.yaml
and the Procfile, a health check for every service, the database in a volume, an
image built from the lock file that runs as a user without privileges."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(
        line.split(": ", 1) for line in lines if line and not line.startswith("#")
    )


def test_compose_and_the_procfile_run_the_same_web_server_and_worker():
    services = COMPOSE["services"]
    assert " ".join(services["web"]["command"]) == procfile()["web"]
    assert " ".join(services["worker"]["command"]) == procfile()["worker"]
    assert procfile() == {
        "web": "gunicorn config.wsgi",
        "worker": "python manage.py worker",
    }


def test_every_long_running_service_has_a_health_check():
    services = COMPOSE["services"]
    assert set(services) == {"release", "web", "worker", "db", "redis"}
    for name in ("web", "worker", "db", "redis"):
        assert services[name]["healthcheck"]["test"], name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["worker"]["healthcheck"]["test"][-1] == "worker_alive"


def test_web_and_worker_start_after_the_release_step_migrated():
    services = COMPOSE["services"]
    assert "migrate --noinput" in " ".join(services["release"]["command"])
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["release"] == {
            "condition": "service_completed_successfully"
        }


def test_the_database_lives_in_a_volume():
    assert "db-data:/var/lib/postgresql/data" in COMPOSE["services"]["db"]["volumes"]
    assert "db-data" in COMPOSE["volumes"]


def test_the_image_is_built_in_stages_from_the_lock_file_and_runs_unprivileged():
    assert len(re.findall(r"^FROM ", DOCKERFILE, re.MULTILINE)) == 2
    assert "uv sync --locked" in DOCKERFILE
    assert "msgfmt" in DOCKERFILE
    assert "collectstatic --noinput" in DOCKERFILE
    (user,) = re.findall(r"^USER (\S+)", DOCKERFILE, re.MULTILINE)
    assert user not in {"root", "0"}
    (healthcheck,) = re.findall(r"^HEALTHCHECK .*(?:\n .*)*", DOCKERFILE, re.MULTILINE)
    assert "/healthz" in healthcheck


def test_the_env_example_names_what_production_refuses_to_start_without():
    example = (ROOT / ".env.example").read_text()
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "POSTGRES_PASSWORD"):
        assert re.search(rf"^{name}=", example, re.MULTILINE), name
