"""Which history records make one entry of the Activity Log: those written by one save
(one request, one command run, one background task) share a `history_group`.

Apart from core.history, with nothing of Django, so that manage.py can open a group
for its command before Django is set up.
"""

import secrets
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime


def new_history_group(moment: datetime | None = None) -> uuid.UUID:
    """A UUID laid out as a UUIDv7 (Python 3.11 has no uuid7): 48 bits of Unix
    milliseconds, then the microseconds within the millisecond in the 12 bits of
    `rand_a` (so groups begun in the same millisecond still sort by time), then 62
    random bits. Ordering groups is ordering them by when they began. `moment` (for
    records written before groups existed) defaults to now.
    """
    micros = (
        round(moment.timestamp() * 1_000_000)
        if moment is not None
        else time.time_ns() // 1000
    )
    millis, sub_millis = divmod(micros, 1000)
    value = (millis & (2**48 - 1)) << 80
    value |= 0x7 << 76  # version 7
    value |= sub_millis << 64
    value |= 0b10 << 62  # the RFC 4122 variant
    value |= secrets.randbits(62)
    return uuid.UUID(int=value)


_current_group: ContextVar[uuid.UUID | None] = ContextVar("history_group", default=None)


def current_history_group() -> uuid.UUID:
    """The group of the save under way; outside one (a shell, a test calling a
    service), a group of its own for each record."""
    return _current_group.get() or new_history_group()


@contextmanager
def history_group() -> Iterator[uuid.UUID]:
    """Every history record written inside the block belongs to one new group (one
    entry of the Activity Log): per request (core.middleware.HistoryGroupMiddleware),
    per background task (core.worker), per command run (manage.py)."""
    group = new_history_group()
    token = _current_group.set(group)
    try:
        yield group
    finally:
        _current_group.reset(token)


def backfill_history_groups(*model_names: str, batch_size: int = 2000):
    """A migration's RunPython function: give every history record written before
    groups existed a group of its own, ordered by its history_date, so that each is
    one entry of the Activity Log, where it was."""

    def backfill(apps, schema_editor):
        for model_name in model_names:
            model = apps.get_model(model_name)
            last = 0
            while True:
                batch = list(
                    model.objects.filter(history_id__gt=last, history_group=None)
                    .order_by("history_id")
                    .only("history_id", "history_date")[:batch_size]
                )
                if not batch:
                    break
                for record in batch:
                    record.history_group = new_history_group(record.history_date)
                model.objects.bulk_update(batch, ["history_group"])
                last = batch[-1].history_id

    return backfill
