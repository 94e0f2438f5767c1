"""gunicorn's configuration: `gunicorn config.wsgi` reads this file from the working
directory. Every value can be overridden by the environment (GUNICORN_*) or the
command line."""

import multiprocessing
import os

from core.logs import gunicorn_logging_config


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Synchronous workers: the pages are short database round trips. 2 × CPU + 1 keeps the
# cores busy while some workers wait on PostgreSQL; capped because each worker holds
# a database connection (CONN_MAX_AGE) and its own memory.
workers = _int(
    "GUNICORN_WORKERS",
    min(2 * multiprocessing.cpu_count() + 1, _int("GUNICORN_MAX_WORKERS", 9)),
)
# A request that takes longer than this is a fault: the worker is replaced rather than
# left stalled.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On a reload or stop, requests under way get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Behind a proxy that keeps connections open.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then (with jitter, so not all at once) to bound slow leaks.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)
# gunicorn's own lines go to stderr in the application's format (LOG_FORMAT,
# core.logs). The application logs each request itself (with its id, user and
# duration), so gunicorn's access log is off unless GUNICORN_ACCESS_LOG is set.
accesslog = None
errorlog = "-"
logconfig_dict = gunicorn_logging_config(
    log_format=os.environ.get("LOG_FORMAT", "human"),
    access_log=bool(os.environ.get("GUNICORN_ACCESS_LOG")),
)
# Application code is loaded once in the master and shared by the forked workers.
preload_app = True
# gunicornc's control socket: off unless GUNICORN_CONTROL_SOCKET names its path (the
# default, one path in the home folder, would be shared by every gunicorn the user
# runs on the machine).
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True
