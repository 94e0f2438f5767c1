"""How every model of the application keeps its history (django-simple-history).

`tracked_history()` is `HistoricalRecords` with two differences. The user who made a
change is kept as a plain user id rather than a foreign key. simple-history's foreign
key is `on_delete=SET_NULL`, so deleting a user would turn their changes into changes
by nobody, indistinguishable from those of commands and imports ("system"). With the
id kept, the Activity Log can tell "system" (no id) from "deleted user" (an id whose
user is gone).

And a model whose history belongs to a customer (`customer_field`, the field of the
record that holds the customer's id) gets the index the customer's Activity Log is read
by: (customer, newest first). Without it the log finds a customer's rows through the
customer index and sorts them, or walks the whole date index; with it a page costs what
the customer's own history costs, whatever the size of the table.
"""

from django.db import models
from simple_history.models import HistoricalRecords


def history_user_id_field() -> models.IntegerField:
    return models.IntegerField(null=True, blank=True, db_index=True)


class _CustomerHistoricalRecords(HistoricalRecords):
    def __init__(self, *, customer_field: str, **options):
        self.customer_field = customer_field
        super().__init__(**options)

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        options["indexes"] = (
            *options.get("indexes", ()),
            models.Index(
                fields=[self.customer_field, "-history_date", "-history_id"],
                name=f"{model._meta.model_name[:18]}_h_activity",
            ),
        )
        return options


def tracked_history(*, customer_field: str = "", **options) -> HistoricalRecords:
    """`HistoricalRecords(**options)` that keeps the changing user's id; with
    `customer_field` ("customer", or "id" for the customer itself), also the index
    of the customer's Activity Log."""
    options.setdefault("history_user_id_field", history_user_id_field())
    if customer_field:
        return _CustomerHistoricalRecords(customer_field=customer_field, **options)
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
