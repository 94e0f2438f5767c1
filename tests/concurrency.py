"""Running writers at the same time on real database connections, for the race
tests (PostgreSQL only: SQLite serialises every writer for the whole transaction,
the settings starting write transactions IMMEDIATE, so no race can happen there)."""

import threading
import time

import pytest
from django.db import connection, transaction

# The marks of a race test module: skipped on SQLite saying why; real commits on
# separate connections (the flush after each test runs the post_migrate handlers
# again: groups, roles).
RACE_TEST = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: two connections writing at the same time",
    ),
    pytest.mark.django_db(transaction=True),
]


def at_the_same_time(*calls):
    """Run each call in its own thread (so on its own connection), released together
    by a barrier; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what we assert
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, call))
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


# How long the first transaction waits, at most, for the second to queue behind it.
# Only reached when the second never waits (then the outcomes say why).
QUEUE_TIMEOUT = 10


def backend_waits_for_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid]
        )
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


def one_after_the_other(first, second, *, then=None):
    """Run `first` in a transaction on its own connection and keep that transaction
    open until `second`, on another connection, waits for one of its locks; then
    commit it. Return what each returned or raised: the order is fixed, not left to
    chance.

    `then`, when given, runs in the first's transaction once the second waits, and
    its outcome is the first's: what the first goes on to do while the second
    holds what it locked before it queued (a deadlock, if the two took their locks
    in different orders)."""
    outcomes = [None, None]
    first_done, commit = threading.Event(), threading.Event()
    second_pid = []

    def run_first():
        try:
            with transaction.atomic():
                outcomes[0] = first()
                first_done.set()
                commit.wait(timeout=QUEUE_TIMEOUT * 2)
                if then is not None:
                    outcomes[0] = then()
        except Exception as error:  # noqa: BLE001 - the outcome is what we assert
            outcomes[0] = error
        finally:
            first_done.set()
            connection.close()

    def run_second():
        try:
            first_done.wait(timeout=QUEUE_TIMEOUT)
            connection.ensure_connection()
            second_pid.append(connection.connection.info.backend_pid)
            outcomes[1] = second()
        except Exception as error:  # noqa: BLE001
            outcomes[1] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    threads[0].start()
    first_done.wait(timeout=QUEUE_TIMEOUT)
    threads[1].start()
    deadline = time.monotonic() + QUEUE_TIMEOUT
    while time.monotonic() < deadline and threads[1].is_alive():
        if second_pid and backend_waits_for_a_lock(second_pid[0]):
            break
        time.sleep(0.01)
    commit.set()
    for thread in threads:
        thread.join(timeout=QUEUE_TIMEOUT * 3)
    return outcomes


def database_url_for_processes() -> str:
    """The test database as a DATABASE_URL, for a process the test starts (a worker,
    gunicorn) to work on the same rows (PostgreSQL)."""
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    return (
        f"postgres://{database['USER']}{password}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
