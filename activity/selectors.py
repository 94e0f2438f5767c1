"""Reading a customer's Activity Log from the history tables of the tracked models.

A page costs a fixed number of queries, whatever the size of the history:
1. the number of entries (one COUNT over a UNION of the groups of the tracked history
   tables: an entry is one save, core.history_groups),
2. the page's groups, from the same UNION, newest first, sliced in the database,
3. the page's records: (group, date, id, source) of those groups, one UNION ALL,
4. per tracked model on the page, one query for its records and, through a subquery,
   the record before each of them (what a change is compared with),
5. per many-to-many field on the page (a contact's roles), one query for the
   related rows of those records,
6. the users who made changes to this customer (also the user filter's choices).
Nothing is read per entry or per difference.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords
from simple_history.utils import get_m2m_reverse_field_name

from core.history import STEP_REASON_PREFIX, TrackedModel, tracked_models
from core.phones import format_phone_number

PAGE_SIZE = 50
# The user filter's value for changes nobody signed in made (commands, imports).
SYSTEM = "system"
# What is shown (translated when shown, as the other words of an entry).
SYSTEM_NAME = pgettext_lazy("the changing user", "system")
DELETED_USER = _("deleted user")
EMPTY = _("(empty)")
ACTIONS = {
    "+": pgettext_lazy("activity", "Created"),
    "~": pgettext_lazy("activity", "Changed"),
    "-": pgettext_lazy("activity", "Deleted"),
}
# Never shown: bookkeeping, not data a person changed.
NOISE_FIELDS = {"id", "created_at", "updated_at"}


@dataclass(frozen=True)
class Line:
    """One field of an entry: "Email address: old → new", or "City: Utrecht"."""

    label: str
    text: str

    def __str__(self) -> str:
        return f"{self.label}: {self.text}"


@dataclass
class Change:
    """What a save did to one object: "Changed Contact Jan de Vries", with lines."""

    action: str  # Created, Changed, Deleted (in the reader's language)
    kind: str  # the tracked model's label, e.g. "Contact"
    object: str  # e.g. "Contact Jan de Vries", as it was then
    lines: list[Line] = field(default_factory=list)
    # The record's change reason, by line: what a change with a reason (a merge)
    # says of itself, e.g. "Merged Ana Berg into Anna Berg."
    reason: list[str] = field(default_factory=list)
    # simple-history's history_type: "+" created, "~" changed, "-" deleted.
    history_type: str = ""
    # Where the object's name links to (TrackedModel.object_urls), if anywhere.
    url: str = ""

    @property
    def object_html(self) -> str:
        """The object's name, as a link when it has one."""
        if self.url:
            return format_html('<a href="{}">{}</a>', self.url, self.object)
        return conditional_escape(self.object)


@dataclass
class Entry:
    """One save (one request, command run or task; core.history_groups): every
    change it made, in the order they were made."""

    when: datetime  # of its last change
    who: str
    changes: list[Change] = field(default_factory=list)


def _sources(*, kind: str = "") -> list[tuple[int, TrackedModel]]:
    """The tracked models the log reads, with their position in tracked_models() (the
    `source` column of the UNION)."""
    return [
        (index, tracked)
        for index, tracked in enumerate(tracked_models())
        if not kind or tracked.key == kind
    ]


def _user_filter(user: str) -> Q:
    if user == SYSTEM:
        return Q(history_user_id__isnull=True)
    if user:
        return Q(history_user_id=int(user))
    return Q()


def _branches(
    *fields: str, customer_id: int, kind: str, user: str, groups=None
) -> list[QuerySet]:
    """Per tracked model, its records of the customer as `fields` (`source` is the
    model's position in tracked_models())."""
    branches = []
    for index, tracked in _sources(kind=kind):
        records = tracked.history_model.objects.filter(
            Q(**{tracked.customer_field: customer_id}) & _user_filter(user)
        )
        if groups is not None:
            records = records.filter(history_group__in=groups)
        branches.append(
            # A step of a change another record tells whole (a merge): left out.
            records.exclude(history_change_reason__startswith=STEP_REASON_PREFIX)
            .annotate(source=Value(index, output_field=IntegerField()))
            .values_list(*fields)
            .order_by()
        )
    return branches


def customer_activity_groups(
    *, customer_id: int, kind: str = "", user: str = ""
) -> QuerySet:
    """The history groups of the customer's records (one per entry), newest first:
    one UNION (which removes the repeats) over the tracked history tables, each
    branch read through its (customer, group) index. A group is time-ordered
    (core.history_groups), so newest group first is newest save first."""
    parts = _branches("history_group", customer_id=customer_id, kind=kind, user=user)
    if not parts:
        return (
            tracked_models()[0]
            .history_model.objects.none()
            .values_list("history_group")
        )
    # UNION (not ALL) removes the groups that several tables share.
    groups = parts[0].distinct() if len(parts) == 1 else parts[0].union(*parts[1:])
    return groups.order_by("-history_group")


def customer_activity_users(*, customer_id: int) -> list:
    """Everyone who changed something of this customer, in one query (inactive users
    included: their changes stay theirs)."""
    return list(
        get_user_model()
        .objects.filter(
            reduce(
                or_,
                [
                    Q(
                        pk__in=tracked.history_model.objects.filter(
                            **{tracked.customer_field: customer_id},
                            history_user_id__isnull=False,
                        ).values("history_user_id")
                    )
                    for tracked in tracked_models()
                ],
            )
        )
        .order_by("first_name", "last_name", "username")
    )


def user_display_name(user) -> str:
    name = user.get_full_name() or user.get_username()
    if user.is_active:
        return name
    return gettext("%(name)s (deactivated)") % {"name": name}


def customer_activity_page(
    *,
    customer_id: int,
    kind: str = "",
    user: str = "",
    page: Any = 1,
    users: list | None = None,
    reader=None,
) -> Page:
    """A page of the customer's Activity Log whose object_list is a list of Entry.

    `users` are the people who changed the customer (customer_activity_users); they
    are read here when not given. `reader`, the user who reads the page: names
    link where they may open the object (TrackedModel.object_urls).
    """
    paginator = Paginator(
        customer_activity_groups(customer_id=customer_id, kind=kind, user=user),
        PAGE_SIZE,
    )
    page_obj = paginator.get_page(page)
    groups = [row[0] for row in page_obj.object_list]
    if users is None:
        users = customer_activity_users(customer_id=customer_id)
    page_obj.object_list = _entries(
        groups,
        _page_rows(customer_id=customer_id, kind=kind, user=user, groups=groups),
        {user.pk: user for user in users},
        reader,
    )
    return page_obj


def _page_rows(*, customer_id: int, kind: str, user: str, groups: list) -> list:
    """(group, date, id, source) of every record of the page's groups: one UNION
    ALL, each branch read through its (customer, group) index."""
    if not groups:
        return []
    parts = _branches(
        "history_group",
        "history_date",
        "history_id",
        "source",
        customer_id=customer_id,
        kind=kind,
        user=user,
        groups=groups,
    )
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return list(rows)


def _entries(groups: list, rows: list[tuple], users: dict, reader=None) -> list[Entry]:
    ids_by_source: dict[int, list[int]] = defaultdict(list)
    rows_by_group: dict[Any, list[tuple]] = defaultdict(list)
    for group, history_date, history_id, source in rows:
        ids_by_source[source].append(history_id)
        rows_by_group[group].append((history_date, history_id, source))
    tracked = tracked_models()
    readers = {
        source: _RecordReader(tracked[source], history_ids)
        for source, history_ids in ids_by_source.items()
    }
    urls = {source: readers[source].object_urls(reader) for source in readers}
    entries = []
    for group in groups:
        # The records of one save in the order they were written; several of one
        # object (a contact created, then its roles set) make one change.
        records = sorted(rows_by_group[group])
        by_object: dict[tuple, list[int]] = {}
        for _date, history_id, source in records:
            key = (source, readers[source].object_key(history_id))
            by_object.setdefault(key, []).append(history_id)
        last_date, last_id, last_source = records[-1]
        entries.append(
            Entry(
                when=last_date,
                who=readers[last_source].who(last_id, users),
                changes=[
                    readers[source].change(history_ids, url=urls[source].get(key, ""))
                    for (source, key), history_ids in by_object.items()
                ],
            )
        )
    return entries


class _RecordReader:
    """The records of one tracked model on a page, with the record before each."""

    def __init__(self, tracked: TrackedModel, history_ids: list[int]):
        self.tracked = tracked
        history = tracked.history_model
        pk_name = self.pk_name = tracked.live_model._meta.pk.attname
        earlier = (
            history.objects.filter(**{pk_name: OuterRef(pk_name)})
            .filter(
                Q(history_date__lt=OuterRef("history_date"))
                | Q(
                    history_date=OuterRef("history_date"),
                    history_id__lt=OuterRef("history_id"),
                )
            )
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        previous_ids = (
            history.objects.filter(history_id__in=history_ids)
            .annotate(previous_id=Subquery(earlier))
            .values("previous_id")
            .order_by()
        )
        page_ids = (
            history.objects.filter(history_id__in=history_ids)
            .values("history_id")
            .order_by()
        )
        # One IN over a UNION, not `IN (…) OR IN (subquery)`: PostgreSQL cannot turn
        # an OR with a subquery into a join, and filtered every row of the history
        # table's id index with it (600k rows read to return 6 at 1M rows).
        records = list(
            history.objects.filter(
                history_id__in=page_ids.union(previous_ids, all=True)
            ).order_by(pk_name, "history_date", "history_id")
        )
        self.records = {record.history_id: record for record in records}
        self.previous = {}
        for before, after in zip(records, records[1:], strict=False):
            if getattr(before, pk_name) == getattr(after, pk_name):
                self.previous[after.history_id] = before
        self.fields = _shown_fields(tracked)
        self.m2m = _m2m_values(history, list(self.records))

    def who(self, history_id: int, users: dict) -> str:
        return _who(self.records[history_id].history_user_id, users)

    def object_key(self, history_id: int) -> Any:
        return getattr(self.records[history_id], self.pk_name)

    def object_urls(self, reader) -> dict[Any, str]:
        """Where the names of this model's objects on the page link to."""
        if reader is None or self.tracked.object_urls is None:
            return {}
        keys = {getattr(record, self.pk_name) for record in self.records.values()}
        return self.tracked.object_urls(keys, reader)

    def change(self, history_ids: list[int], url: str = "") -> Change:
        """What one save's records of one object (oldest first) did to it: created
        (with its values at the end of the save), changed (from before the save to
        its end) or deleted."""
        first = self.records[history_ids[0]]
        record = self.records[history_ids[-1]]
        if record.history_type == "-":
            history_type, previous = "-", self.previous.get(record.history_id)
        elif first.history_type == "+":
            history_type, previous = "+", None
        else:
            history_type, previous = "~", self.previous.get(first.history_id)
        reason: list[str] = []
        for history_id in history_ids:
            for line in (
                self.records[history_id].history_change_reason or ""
            ).splitlines():
                if line not in reason:
                    reason.append(line)
        return Change(
            action=str(ACTIONS.get(history_type, history_type)),
            kind=str(self.tracked.label),
            object=self.tracked.describe(record),
            lines=self._lines(record, previous, history_type),
            reason=reason,
            history_type=history_type,
            url=url,
        )

    def _lines(self, record, previous, history_type: str) -> list[Line]:
        lines = []
        phones = self.tracked.phone_fields(record)
        if history_type == "~" and previous is not None:
            phones_before = self.tracked.phone_fields(previous)
            for model_field in self.fields:
                old = getattr(previous, model_field.attname)
                new = getattr(record, model_field.attname)
                if old != new:
                    old_text = _display(
                        model_field, old, model_field.name in phones_before
                    )
                    new_text = _display(model_field, new, model_field.name in phones)
                    lines.append(Line(_label(model_field), f"{old_text} → {new_text}"))
            for label, values in self.m2m.items():
                old, new = values[previous.history_id], values[record.history_id]
                changes = []
                if added := [name for key, name in new.items() if key not in old]:
                    changes.append(
                        gettext("added %(names)s") % {"names": ", ".join(sorted(added))}
                    )
                if removed := [name for key, name in old.items() if key not in new]:
                    changes.append(
                        gettext("removed %(names)s")
                        % {"names": ", ".join(sorted(removed))}
                    )
                if changes:
                    lines.append(Line(label, "; ".join(changes)))
            return lines
        for model_field in self.fields:
            value = getattr(record, model_field.attname)
            if value not in (None, ""):
                text = _display(model_field, value, model_field.name in phones)
                lines.append(Line(_label(model_field), text))
        # A deleted object's related rows are gone before its last record is
        # written: what it had is in the record before.
        source = previous if history_type == "-" and previous else record
        for label, values in self.m2m.items():
            if names := sorted(values[source.history_id].values()):
                lines.append(Line(label, ", ".join(names)))
        return lines


def _shown_fields(tracked: TrackedModel) -> list[models.Field]:
    model = tracked.live_model
    hidden = NOISE_FIELDS | set(tracked.hidden_fields)
    # Fields the history leaves out (excluded_fields) have no past values to show.
    kept = {field.attname for field in tracked.history_model._meta.concrete_fields}
    return [
        model_field
        for model_field in model._meta.concrete_fields
        if model_field.attname in kept
        and model_field.name not in hidden
        and model_field.attname not in hidden
        and model_field.attname != tracked.customer_field
        and not model_field.primary_key
    ]


def _m2m_values(history, history_ids: list[int]) -> dict[str, dict]:
    """For each many-to-many field with history: label -> {history_id: {pk: name}},
    one query per field."""
    result = {}
    for m2m_field in getattr(history, "_history_m2m_fields", []):
        m2m_history = HistoricalRecords.m2m_models[m2m_field]
        target = get_m2m_reverse_field_name(m2m_field)
        values: dict[int, dict] = defaultdict(dict)
        rows = m2m_history.objects.filter(history_id__in=history_ids).select_related(
            target
        )
        for row in rows:
            related = getattr(row, target)
            key = getattr(row, f"{target}_id")
            values[row.history_id][key] = (
                str(related)
                if related is not None
                else gettext("deleted #%(id)s") % {"id": key}
            )
        result[_label(m2m_field)] = values
    return result


def _who(user_id: int | None, users: dict) -> str:
    if user_id is None:
        return str(SYSTEM_NAME)
    user = users.get(user_id)
    return user_display_name(user) if user is not None else str(DELETED_USER)


def _label(model_field) -> str:
    name = str(model_field.verbose_name)
    return name[:1].upper() + name[1:]


def _display(model_field, value, is_phone: bool = False) -> str:
    if value is None or value == "":
        return str(EMPTY)
    if is_phone:
        return format_phone_number(value)
    if isinstance(model_field, CountryField):
        return str(getattr(value, "name", "") or value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return (
            pgettext("a field's value", "yes")
            if value
            else pgettext("a field's value", "no")
        )
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal):
        return formats.number_format(value, force_grouping=True)
    return str(value)
