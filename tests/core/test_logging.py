"""The log: each line printed once, with its time, level, logger and request id;
one line per request; JSON with LOG_FORMAT=json; error mails to ADMINS."""

import io
import json
import logging
import re
import sys
from unittest import mock

import pytest
from django.utils.log import configure_logging

from core.logs import logging_config


@pytest.fixture
def log_output(settings):
    """What the configured logging prints to stderr with DEBUG on, as in
    development; the logging is configured again as it was afterwards."""
    settings.DEBUG = True
    stream = io.StringIO()
    with mock.patch.object(sys, "stderr", stream):
        configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    yield stream
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


@pytest.mark.parametrize(
    "logger", ["django.request", "django.utils.autoreload", "customers"]
)
def test_a_line_is_printed_once(log_output, logger):
    logging.getLogger(logger).warning("Not Found: /nowhere/")
    assert log_output.getvalue().count("Not Found: /nowhere/") == 1


def test_a_request_line_of_the_development_server_is_printed_once_with_its_time(
    log_output,
):
    logging.getLogger("django.server").info(
        '"GET /customers/ HTTP/1.1" 200 1375', extra={"status_code": 200}
    )
    (line,) = log_output.getvalue().splitlines()
    assert line.startswith("[")
    assert line.endswith('] "GET /customers/ HTTP/1.1" 200 1375')


def test_the_favicon_is_there_for_pages_that_name_none(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/favicon.svg")
    assert client.get(response["Location"]).status_code == 200


@pytest.fixture
def json_log(settings):
    """What the logging prints with LOG_FORMAT=json, one JSON object a line."""
    stream = io.StringIO()
    with mock.patch.object(sys, "stderr", stream):
        configure_logging(
            settings.LOGGING_CONFIG,
            logging_config(log_format="json", level="INFO", mail_admins=False),
        )
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


REQUEST_ID = "0f5b3c1e2f574f639d775ab1a2a1e0a1"


@pytest.mark.django_db
def test_each_request_logs_one_json_line_with_its_id_user_status_and_duration(
    json_log, client_for, viewer
):
    response = client_for(viewer).get(
        "/customers/?q=secret@example.com", HTTP_X_REQUEST_ID=REQUEST_ID
    )
    assert response["X-Request-ID"] == REQUEST_ID
    (line,) = [line for line in json_log() if line["logger"] == "core.requests"]
    assert line["level"] == "INFO"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00", line["time"])
    assert line["request_id"] == REQUEST_ID
    assert line["method"] == "GET"
    assert line["path"] == "/customers/"  # never the query: it holds what was sought
    assert line["status"] == 200
    assert line["user_id"] == viewer.pk
    assert isinstance(line["duration_ms"], float)
    assert "secret@example.com" not in json.dumps(json_log())


@pytest.mark.django_db
def test_every_line_of_a_request_carries_its_id(json_log, client_for, viewer):
    client_for(viewer).get("/customers/999999/", HTTP_X_REQUEST_ID=REQUEST_ID)
    not_found = [line for line in json_log() if line["logger"] == "django.request"]
    assert not_found[0]["message"] == "Not Found: /customers/999999/"
    assert not_found[0]["request_id"] == REQUEST_ID


@pytest.mark.parametrize("given", ["", "not-a-uuid", "0f5b3c1e; drop table"])
def test_a_request_without_a_usable_id_gets_a_new_one(json_log, client, given):
    headers = {"HTTP_X_REQUEST_ID": given} if given else {}
    response = client.get("/accounts/login/", **headers)
    made = response["X-Request-ID"]
    assert re.fullmatch("[0-9a-f]{32}", made)
    (line,) = [line for line in json_log() if line["logger"] == "core.requests"]
    assert line["request_id"] == made
    assert line["user_id"] is None


def test_by_default_a_line_has_its_time_level_logger_and_request_id(log_output):
    logging.getLogger("customers").warning("Imported 3 contacts")
    (line,) = log_output.getvalue().splitlines()
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} WARNING customers \[-\] "
        r"Imported 3 contacts",
        line,
    )


def test_without_sentry_the_admins_get_an_error_mail(
    client_for, viewer, settings, mailoutbox
):
    # Both through the fixture: a decorator's override undone before the fixture's
    # would leave the failing URL in place for the tests after this one.
    settings.ROOT_URLCONF = "tests.core.error_urls"
    settings.ADMINS = [("Operations", "ops@example.com")]
    client = client_for(viewer)
    client.raise_request_exception = False
    assert client.get("/fails/").status_code == 500
    (mail,) = mailoutbox
    assert mail.to == ["ops@example.com"]
    assert "Internal Server Error: /fails/" in mail.subject
