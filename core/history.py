"""How every model of the application keeps its history (django-simple-history).

`tracked_history()` is `HistoricalRecords` with two differences. The user who made a
change is kept as a plain user id rather than a foreign key. simple-history's foreign
key is `on_delete=SET_NULL`, so deleting a user would turn their changes into changes
by nobody, indistinguishable from those of commands and imports ("system"). With the
id kept, the Activity Log can tell "system" (no id) from "deleted user" (an id whose
user is gone).

And a model whose history belongs to a customer (`customer_field`, the field of the
record that holds the customer's id) gets the index the customer's Activity Log is read
by: (customer, newest group first). Without it the log finds a customer's rows through
the customer index and sorts them, or walks the whole table; with it a page costs what
the customer's own history costs, whatever the size of the table.

Every record also carries its `history_group`: the records one save wrote (one request,
one command run, one background task) share it, and the Activity Log shows them as one
entry. A group is a time-ordered UUID (the layout of a UUIDv7), so ordering by it is
ordering by when the save began.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.apps import apps
from django.db import models
from simple_history.models import HistoricalRecords
from simple_history.utils import get_history_model_for_model

from core.history_groups import current_history_group


class HistoryGroupModel(models.Model):
    """The base of every historical model (tracked_history())."""

    history_group = models.UUIDField(default=current_history_group, editable=False)

    class Meta:
        abstract = True


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
                fields=[self.customer_field, "-history_group"],
                name=f"{model._meta.model_name[:18]}_h_activity",
            ),
        )
        return options


def tracked_history(*, customer_field: str = "", **options) -> HistoricalRecords:
    """`HistoricalRecords(**options)` that keeps the changing user's id; with
    `customer_field` ("customer", or "id" for the customer itself), also the index
    of the customer's Activity Log."""
    options.setdefault("history_user_id_field", history_user_id_field())
    options["bases"] = (HistoryGroupModel, *options.get("bases", ()))
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


# The models whose history makes up a customer's Activity Log. Each app registers
# its own from its AppConfig.ready() (`register_tracked_model`); the activity app
# reads them here and so names no other app's models or fields.


def _no_phone_fields(record) -> Collection[str]:
    return ()


@dataclass(frozen=True)
class TrackedModel:
    """One model in the Activity Log: its history (a model with
    `tracked_history()`), where its records keep the customer's id, the words for
    its kind, and how to name one of its records.

    `label` is lazy (gettext_lazy) and `describe` translates when it is called: both
    are read while a page is rendered, in the reader's language. The customer field
    must be a column of the historical record itself (a join would lose the records
    of deleted parents). Every tracked model costs one more branch in the log's
    UNION query and at most one more query per page.
    """

    key: str  # the kind filter's value, e.g. "contact"
    label: str  # the kind filter's words, e.g. "Contact" (gettext_lazy)
    model: str  # "app_label.ModelName"
    customer_field: str  # attname on the historical record holding the customer id
    describe: Callable[[Any], str]  # the object as it was, from a historical record
    # Where the kind stands in the log's kind filter, lowest first.
    position: int = 0
    hidden_fields: tuple[str, ...] = ()  # beyond those every entry hides
    # The fields of a record that hold a phone number (stored E.164), shown in
    # international format: `+31 6 12345678`, never `+31612345678`.
    phone_fields: Callable[[Any], Collection[str]] = _no_phone_fields
    # Where an entry's name links to: (the keys of the page's objects of this
    # model, the reader) -> {key: url} for those that still exist and the reader
    # may open, in one query for the page; None: names are plain text.
    object_urls: Callable[[Collection[Any], Any], dict[Any, str]] | None = None

    @cached_property
    def live_model(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @cached_property
    def history_model(self) -> type[models.Model]:
        # Cached: simple-history's manager descriptor builds a new manager class on
        # every access, which costs milliseconds.
        return get_history_model_for_model(self.live_model)


_tracked_models: dict[str, TrackedModel] = {}


def register_tracked_model(tracked: TrackedModel) -> None:
    """Add a model to the Activity Log (from its app's AppConfig.ready()); a key
    registered again replaces the earlier entry."""
    _tracked_models[tracked.key] = tracked


def tracked_models() -> list[TrackedModel]:
    """The tracked models in the kind filter's order."""
    return sorted(_tracked_models.values(), key=lambda tracked: tracked.position)


def tracked_model(key: str) -> TrackedModel | None:
    return _tracked_models.get(key)
