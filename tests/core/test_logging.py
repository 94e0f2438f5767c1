"""The server log prints each line once."""

import io
import logging
import sys
from unittest import mock

import pytest
from django.utils.log import configure_logging


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
