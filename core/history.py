"""How every model of the application keeps its history (django-simple-history).

`tracked_history()` is `HistoricalRecords` with one difference: the user who made a
change is kept as a plain user id rather than a foreign key. simple-history's foreign
key is `on_delete=SET_NULL`, so deleting a user would turn their changes into changes
by nobody, indistinguishable from those of commands and imports ("system"). With the
id kept, the Activity Log can tell "system" (no id) from "deleted user" (an id whose
user is gone).
"""

from django.db import models
from simple_history.models import HistoricalRecords


def history_user_id_field() -> models.IntegerField:
    return models.IntegerField(null=True, blank=True, db_index=True)


def tracked_history(**options) -> HistoricalRecords:
    """`HistoricalRecords(**options)` that keeps the changing user's id."""
    options.setdefault("history_user_id_field", history_user_id_field())
    return HistoricalRecords(**options)


# A history record written as one step of a larger change that another record tells
# whole carries a change reason starting with this: a merge re-points the merged-away
# contact's documents and deletes it, and the kept contact's record says what was
# merged, with the values dropped. The Activity Log leaves the steps out (one change,
# one entry); the admin's history of each object still shows them.
STEP_REASON_PREFIX = "Step of: "


def step_reason(summary: str) -> str:
    """The change reason of a step of `summary` (simple-history's default reason
    field holds 100 characters)."""
    return f"{STEP_REASON_PREFIX}{summary}"[:100]
