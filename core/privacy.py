"""The registry of personal data: which fields of which models hold a person's data,
and what becomes of each when the person asks for a copy or to be erased.

Each app registers its own models from its `AppConfig.ready()` (in its
`privacy.py`), as it registers its tabs and its Activity Log entries:

    personal_data.register(
        PersonalModel(
            model="contacts.Contact",
            kind="contacts",
            rows=lambda rows, subject: rows.filter(id__in=subject.contact_ids),
            fields=(PersonalField("first_name", ERASE, replacement=ERASED_NAME), …),
        )
    )

`rows` picks the rows about a person from a queryset of the model or of its history
model (simple-history's records repeat the model's fields, so one filter serves
both). A field is **erase** (replaced by its `replacement` when the person is
erased), **retain** (kept while the law requires: an issued document's copy of its
recipient) or **export only** (in the person's copy, not personal on its own: a
document's number). Every text field of every model is either registered or
declared not personal (`declare_not_personal`); `tests/privacy/test_registry.py`
fails on one that is neither, so a field added later is not forgotten.

The privacy app (above every other) finds the person, erases and exports through
this registry; no app names another's models here.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models

ERASE = "erase"
RETAIN = "retain"
EXPORT_ONLY = "export only"
CATEGORIES = (ERASE, RETAIN, EXPORT_ONLY)

# What an erased name reads as wherever a name is required; emails and phones
# become blank.
ERASED_NAME = "[erased]"

# Fields simple-history adds to every history model. The change reason of a record
# about a person may quote them (a merge names the values it dropped): erased with
# the record's other fields. The rest is bookkeeping.
HISTORY_REASON_FIELD = "history_change_reason"
HISTORY_OWN_FIELDS = ("history_type", HISTORY_REASON_FIELD)


@dataclass(frozen=True)
class DataSubject:
    """Whom an export or an erasure is about, as the rows that hold their data:
    a person (`contacts.Person`) with their links to customers, or, for an email
    address no person has, what was sent to it. (Not named Person: that is the
    model.)"""

    person_ids: frozenset[int]
    # Their links, and links since deleted (merged away) that were theirs.
    contact_ids: frozenset[int]
    customer_ids: frozenset[int]  # of the links that exist
    emails: frozenset[str]  # lower case
    phones: frozenset[str]  # E.164
    # Their names, earlier ones included: a change reason may quote them.
    names: frozenset[str]
    identifier: str  # what they were found by: an email address or "person 12"


@dataclass(frozen=True)
class PersonalField:
    name: str
    category: str
    # The value (or expression) an erased row gets; "" unless given.
    replacement: Any = ""

    def __post_init__(self):
        if self.category not in CATEGORIES:
            raise ValueError(f"Unknown category {self.category!r} of {self.name}.")


RowsOf = Callable[[models.QuerySet, DataSubject], models.QuerySet]


@dataclass(frozen=True)
class PersonalModel:
    model: str  # "app_label.ModelName"
    kind: str  # how the erasure log and the export name its rows: "contacts"
    rows: RowsOf
    fields: tuple[PersonalField, ...]
    # Instead of replacing the erase fields: how the rows are erased (deleted,
    # say); returns how many rows it changed. History rows are still replaced.
    erase: Callable[[models.QuerySet, DataSubject], int] | None = None
    # Of the rows, those that keep their retain fields; the others are erased
    # whole. Their retention is counted from the date field `retained_from`.
    retained: Callable[[models.QuerySet], models.QuerySet] | None = None
    retained_from: str = ""
    # Whether a change reason of its records may quote another person's values
    # (a merge's record names the contact merged away and the values dropped):
    # the erasure then also removes such reasons from others' records.
    reasons_quote_others: bool = False

    @property
    def live_model(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def history_model(self) -> type[models.Model] | None:
        history = getattr(self.live_model._meta, "simple_history_manager_attribute", "")
        if not history:
            return None
        return getattr(self.live_model, history).model

    def fields_of(self, *categories: str) -> list[PersonalField]:
        return [f for f in self.fields if f.category in categories]

    def history_fields_of(self, *categories: str) -> list[PersonalField]:
        """What a history record of the model erases: the model's fields that its
        history keeps, and the change reason."""
        history = self.history_model
        if history is None:
            return []
        kept = {f.name for f in history._meta.get_fields()}
        fields = [f for f in self.fields_of(*categories) if f.name in kept]
        if ERASE in categories:
            fields.append(PersonalField(HISTORY_REASON_FIELD, ERASE, replacement=None))
        return fields


@dataclass(frozen=True)
class NotPersonal:
    model: str
    fields: tuple[str, ...] | None  # None: the whole model
    why: str


# Checks that may refuse an erasure: each returns the reasons, in words.
ErasureCheck = Callable[[DataSubject], list[str]]


@dataclass
class PersonalDataRegistry:
    models: dict[str, PersonalModel] = field(default_factory=dict)
    not_personal: list[NotPersonal] = field(default_factory=list)
    erasure_checks: dict[str, ErasureCheck] = field(default_factory=dict)

    def register(self, personal: PersonalModel) -> None:
        """Register (or, when ready() runs again, replace) a model's fields."""
        self.models[personal.model] = personal

    def declare_not_personal(
        self, model: str, *, fields: Iterable[str] | None = None, why: str
    ) -> None:
        declared = NotPersonal(model, tuple(fields) if fields else None, why)
        if declared not in self.not_personal:
            self.not_personal.append(declared)

    def register_erasure_check(self, name: str, check: ErasureCheck) -> None:
        self.erasure_checks[name] = check

    def is_not_personal(self, model: str, field_name: str) -> bool:
        return any(
            declared.model == model
            and (declared.fields is None or field_name in declared.fields)
            # "": the model as a whole.
            for declared in self.not_personal
        )

    def in_order(self) -> list[PersonalModel]:
        return list(self.models.values())


personal_data = PersonalDataRegistry()


def replace_fields(
    rows: models.QuerySet, fields: Iterable[PersonalField], *categories: str
) -> int:
    """Replace the fields of `categories` (erase unless given) in `rows`, with a
    queryset update: no history is written, no signal sent. Returns the rows
    changed."""
    values = {
        f.name: f.replacement for f in fields if f.category in (categories or (ERASE,))
    }
    if not values:
        return 0
    # By key: the update must not carry the filter's annotations.
    keys = list(rows.values_list("pk", flat=True))
    return rows.model._default_manager.filter(pk__in=keys).update(**values)


TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def _history_of(model: type[models.Model]) -> type[models.Model] | None:
    """The model a simple-history record model keeps the history of."""
    return getattr(model, "instance_type", None)


def unclassified_fields(
    all_models: Iterable[type[models.Model]] | None = None,
) -> list[str]:
    """Every text field (char, text, email, phone, JSON) of every model that the
    registry neither lists nor declares not personal, as `app.Model.field`. A
    history model's field follows its model's; its change reason is erased with a
    registered model's records, and needs its model declared otherwise."""
    unclassified = []
    for model in all_models if all_models is not None else apps.get_models():
        live = _history_of(model) or model
        label = live._meta.label
        registered = personal_data.models.get(label)
        listed = {f.name for f in registered.fields} if registered else set()
        for model_field in model._meta.get_fields():
            if not isinstance(model_field, TEXT_FIELDS) or model_field.model is None:
                continue
            name = model_field.name
            if live is not model and name in HISTORY_OWN_FIELDS:
                if name == "history_type" or registered:
                    continue
                if personal_data.is_not_personal(label, ""):
                    continue
            elif name in listed or personal_data.is_not_personal(label, name):
                continue
            unclassified.append(f"{model._meta.label}.{name}")
    return unclassified
