"""The outbox's readiness check (/readyz, core.health): the oldest due delivery has
waited less than READINESS_OUTBOX_WAIT_SECONDS, so the workers keep up with the
outbox whichever task backend nudges them."""

import dataclasses
from datetime import timedelta

from django.conf import settings
from health_check.exceptions import ServiceUnavailable

from communications.selectors import oldest_due_delivery
from core.health import DatabaseCheck


@dataclasses.dataclass
class OutboxMoving(DatabaseCheck):
    def check(self) -> None:
        limit = timedelta(seconds=settings.READINESS_OUTBOX_WAIT_SECONDS)
        waited = oldest_due_delivery()
        if waited is not None and waited > limit:
            raise ServiceUnavailable(
                f"The oldest due email has waited {int(waited.total_seconds())} s "
                f"(the limit is {int(limit.total_seconds())} s)."
            )
