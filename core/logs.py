"""What the application logs, and how each line reads.

Every line carries the id of the request it belongs to (django-guid: the client's
`X-Request-ID` when it is a UUID, else a new one; sent back in the response's
`X-Request-ID`), and each request ends with one line of its own (`core.requests`):
method, path, status, duration and the signed-in user's id. Two formats: a line a
person reads (time, level, logger, request id, message), or with `LOG_FORMAT=json`
one JSON object a line for a log collector, the request line's fields as keys.

`logging_config()` is read by the settings, before the apps are loaded: this module
imports nothing of the application.
"""

import logging
import time
from collections.abc import Callable

import sentry_sdk
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty
from django_guid.context import guid

LOG_FORMATS = ("human", "json")

request_logger = logging.getLogger("core.requests")


class RequestIdFilter(logging.Filter):
    """Puts the id of the request being answered on the line ("-" outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = guid.get() or "-"
        return True


def logging_config(*, log_format: str, level: str, mail_admins: bool) -> dict:
    """The LOGGING setting. Each line is printed once: Django's own `django` logger
    keeps no handler of its own and passes its lines up to the root's (with DEBUG on
    it would otherwise print them twice). `django.server` (runserver's request lines)
    prints them itself, with their time, and passes nothing up. `mail_admins`: errors
    are mailed to ADMINS (when Sentry does not report them)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "core.logs.RequestIdFilter"},
            "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        },
        "formatters": {
            "human": {
                "format": "{asctime} {levelname} {name} [{request_id}] {message}",
                "style": "{",
            },
            # "time": ISO 8601 in UTC, as log collectors read it.
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "{levelname}{name}{request_id}{message}",
                "style": "{",
                "timestamp": "time",
                "rename_fields": {"levelname": "level", "name": "logger"},
            },
            "django.server": {
                "()": "django.utils.log.ServerFormatter",
                "format": "[{server_time}] {message}",
                "style": "{",
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id"],
            },
            "django.server": {
                "class": "logging.StreamHandler",
                "formatter": "django.server",
            },
            "mail_admins": {
                "class": "django.utils.log.AdminEmailHandler",
                "level": "ERROR",
                "filters": ["require_debug_false"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django": {
                "handlers": ["mail_admins"] if mail_admins else [],
                "level": "INFO",
                "propagate": True,
            },
            "django.server": {
                "handlers": ["django.server"],
                "level": "INFO",
                "propagate": False,
            },
            # It says at INFO, for every request, that it made an id.
            "django_guid": {"level": "WARNING"},
        },
    }


def gunicorn_logging_config(*, log_format: str, access_log: bool) -> dict:
    """gunicorn's `logconfig_dict`: its own lines (its start, its workers, a worker
    that timed out), and its access log when asked for, in the application's format,
    so a log collector reads one."""
    application = logging_config(log_format=log_format, level="INFO", mail_admins=False)
    return {
        "filters": {"request_id": application["filters"]["request_id"]},
        "formatters": {log_format: application["formatters"][log_format]},
        "handlers": {"console": application["handlers"]["console"]},
        "loggers": {
            "gunicorn.error": {
                "handlers": ["console"],
                "level": "INFO",
                "propagate": False,
            },
            "gunicorn.access": {
                "handlers": ["console"] if access_log else [],
                "level": "INFO",
                "propagate": False,
            },
        },
    }


class RequestLogMiddleware:
    """One line per request, when its answer is ready: method, path (never the query
    string: searches hold names and email addresses), status, duration in
    milliseconds, the signed-in user's id. Placed right after django-guid's
    middleware, so the duration covers every other middleware too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        # Errors reported to Sentry (when configured) name the request too.
        sentry_sdk.set_tag("request_id", guid.get())
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        user_id = _user_id(request)
        request_logger.info(
            "%s %s %s %sms user=%s",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            user_id if user_id is not None else "-",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": user_id,
            },
        )
        return response


def _user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id, if the request already knew who it was: loading
    the user only for the log would cost a query."""
    user = getattr(request, "user", None)
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return None
    return user.pk if user.is_authenticated else None
