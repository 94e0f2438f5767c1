"""Finding a person, exporting what is held about them, erasing them, and erasing
the copies issued documents kept once the retention period is over. Everything goes
through core.privacy's registry: this module names no app's fields."""

import csv
import io
import json
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact
from core.privacy import (
    ERASE,
    EXPORT_ONLY,
    HISTORY_OWN_FIELDS,
    RETAIN,
    Person,
    PersonalModel,
    personal_data,
    replace_fields,
)
from privacy.models import ErasureLog, ExportLog, RetainedCopy

# The Activity Log entry of each customer the person was linked to: no data.
ERASURE_REASON = "A person's data was erased."

HISTORY_EXPORT_FIELDS = ("history_id", "history_date", "history_user_id")


class PersonNotFound(ValidationError):
    pass


class ErasureRefused(ValidationError):
    """The erasure is refused; `messages` says why, each in words."""


def find_person(*, email: str = "", contact_id: int | None = None) -> Person:
    """The person found by an email address (every contact with it, and whatever
    was sent to it) or by a contact's id."""
    if contact_id is not None:
        contacts = list(Contact.objects.filter(pk=contact_id))
        if not contacts:
            raise PersonNotFound(
                _("There is no contact %(id)s."),
                code="not_found",
                params={"id": contact_id},
            )
        identifier = f"contact {contact_id}"
    else:
        email = email.strip().lower()
        if "@" not in email:
            raise PersonNotFound(
                _("Enter the person's email address."), code="invalid_email"
            )
        contacts = list(
            Contact.objects.annotate(_email=Lower("email")).filter(_email=email)
        )
        identifier = email
    emails = {contact.email.lower() for contact in contacts if contact.email}
    if email:
        emails.add(email)
    return Person(
        contact_ids=frozenset(contact.pk for contact in contacts),
        customer_ids=frozenset(contact.customer_id for contact in contacts),
        emails=frozenset(emails),
        phones=frozenset(contact.phone for contact in contacts if contact.phone),
        names=frozenset(contact.full_name for contact in contacts if contact.full_name),
        identifier=identifier,
    )


def mask(identifier: str) -> str:
    """`e***@example.nl`: enough to find the erasure again when the person asks,
    not enough to read their address."""
    local, at, domain = identifier.partition("@")
    if not at:
        return identifier
    return f"{local[:1]}***@{domain}"


@dataclass
class Found:
    """A registered model's rows about a person, live and in its history."""

    personal: PersonalModel
    keys: list[int]
    history_keys: list[int]

    @property
    def model(self) -> type[models.Model]:
        return self.personal.live_model

    def rows(self) -> models.QuerySet:
        return self.model._default_manager.filter(pk__in=self.keys)

    def history_rows(self) -> models.QuerySet:
        history = self.personal.history_model
        assert history is not None
        return history._default_manager.filter(pk__in=self.history_keys)


def _keys(rows: models.QuerySet) -> list[int]:
    return list(rows.order_by("pk").values_list("pk", flat=True))


def _find(personal: PersonalModel, person: Person) -> Found:
    history = personal.history_model
    return Found(
        personal=personal,
        keys=_keys(personal.rows(personal.live_model._default_manager.all(), person)),
        history_keys=(
            _keys(personal.rows(history._default_manager.all(), person))
            if history is not None
            else []
        ),
    )


def person_found(person: Person) -> dict[str, tuple[int, int]]:
    """How many rows of each kind hold the person's data: (rows, history rows)."""
    found = [_find(personal, person) for personal in personal_data.in_order()]
    return {f.personal.kind: (len(f.keys), len(f.history_keys)) for f in found}


def _nothing_held(person: Person) -> None:
    if not any(any(counts) for counts in person_found(person).values()):
        raise PersonNotFound(
            _("Nothing is held about %(person)s."),
            code="nothing_held",
            params={"person": person.identifier},
        )


def erasure_refusals(person: Person) -> list[str]:
    """Why the person cannot be erased now, in words; empty when they can."""
    return [
        reason
        for check in personal_data.erasure_checks.values()
        for reason in check(person)
    ]


@transaction.atomic
def person_erase(*, person: Person, user: Any) -> ErasureLog:
    """Erase the person in one transaction: every field the registry marks erase,
    in the rows and their history (an update: no new history); issued documents
    keep their copy (RetainedCopy) until the retention job. One Activity Log
    entry per customer they were linked to; the erasure log keeps the counts."""
    # The contacts first, as Send, assigning and deleting lock them: a draft
    # being given this contact at this moment waits, and is then refused or seen.
    list(Contact.objects.select_for_update().filter(pk__in=person.contact_ids))
    _nothing_held(person)
    refusals = erasure_refusals(person)
    if refusals:
        raise ErasureRefused(refusals, code="refused")
    log = ErasureLog.objects.create(
        identifier=mask(person.identifier), requested_by=user
    )
    counts: dict[str, int] = defaultdict(int)
    for personal in personal_data.in_order():
        found = _find(personal, person)
        erased, retained = _erase_rows(found, person, log)
        counts[personal.kind] += erased
        counts[f"{personal.kind} (kept for the retention period)"] += retained
        # After the rows: erasing them may have written history (a deletion).
        found = _find(personal, person) if personal.history_model else found
        if found.history_keys:
            counts[f"{personal.kind} (history)"] += _erase_history(found)
    _record_in_activity_logs(person, user)
    log.counts = {kind: count for kind, count in counts.items() if count}
    log.save(update_fields=["counts", "updated_at"])
    return log


def _erase_rows(found: Found, person: Person, log: ErasureLog) -> tuple[int, int]:
    """Erase the rows; returns how many were erased and how many keep a copy."""
    personal = found.personal
    if not found.keys:
        return 0, 0
    rows = found.rows()
    retained: set[int] = set()
    if personal.retained is not None:
        kept = personal.retained(rows)
        RetainedCopy.objects.bulk_create(
            [
                RetainedCopy(
                    erasure=log,
                    model=personal.model,
                    object_id=pk,
                    retained_from=retained_from,
                )
                for pk, retained_from in kept.values_list("pk", personal.retained_from)
            ],
            ignore_conflicts=True,
        )
        retained = set(kept.values_list("pk", flat=True))
        # What is not kept goes whole, retained fields too.
        replace_fields(rows.exclude(pk__in=retained), personal.fields, ERASE, RETAIN)
    if personal.erase is not None:
        return personal.erase(rows, person), len(retained)
    erased = replace_fields(rows, personal.fields, ERASE)
    if personal.retained is not None:
        erased = len(found.keys) - len(retained)
    return erased, len(retained)


def _erase_history(found: Found) -> int:
    personal = found.personal
    rows = found.history_rows()
    if personal.retained is not None:
        retained = RetainedCopy.objects.filter(model=personal.model).values("object_id")
        replace_fields(
            rows.exclude(id__in=retained),
            personal.history_fields_of(RETAIN),
            RETAIN,
        )
    return replace_fields(rows, personal.history_fields_of(ERASE), ERASE)


def _record_in_activity_logs(person: Person, user: Any) -> None:
    """One history record per customer, on one of the person's (now erased)
    contacts there, saying what happened and nothing of whom."""
    seen: set[int] = set()
    for contact in Contact.objects.filter(pk__in=person.contact_ids).order_by("pk"):
        if contact.customer_id in seen:
            continue
        seen.add(contact.customer_id)
        contact._change_reason = ERASURE_REASON
        if user is not None:
            contact._history_user = user
        contact.save()


def erase_expired_copies(*, today: date | None = None) -> int:
    """Erase the retained copies whose retention period is over (a daily job of
    the worker). Returns how many rows it erased."""
    today = today or timezone.localdate()
    years = settings.PRIVACY_RETENTION_YEARS
    try:
        until = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        until = today.replace(year=today.year - years, day=28)
    expired = RetainedCopy.objects.filter(retained_from__lt=until)
    erased = 0
    by_model: dict[str, list[int]] = defaultdict(list)
    for model, object_id in expired.values_list("model", "object_id"):
        by_model[model].append(object_id)
    with transaction.atomic():
        for model, keys in by_model.items():
            personal = personal_data.models.get(model)
            if personal is None:
                continue
            erased += replace_fields(
                personal.live_model._default_manager.filter(pk__in=keys),
                personal.fields,
                RETAIN,
            )
            if personal.history_model is not None:
                replace_fields(
                    personal.history_model._default_manager.filter(id__in=keys),
                    personal.history_fields_of(RETAIN),
                    RETAIN,
                )
        expired.delete()
    return erased


# Export ------------------------------------------------------------------------------


def _value(row: models.Model, name: str) -> Any:
    field = row._meta.get_field(name)
    return field.value_from_object(row)


def _export_rows(found: Found) -> tuple[list[str], list[dict], list[str], list[dict]]:
    personal = found.personal
    names = ["id", *(f.name for f in personal.fields)]
    rows = [
        {name: _value(row, name) for name in names}
        for row in found.rows().order_by("pk")
    ]
    history_names: list[str] = []
    history: list[dict] = []
    if found.history_keys:
        history_names = [
            *HISTORY_EXPORT_FIELDS,
            *HISTORY_OWN_FIELDS,
            "id",
            *(f.name for f in personal.history_fields_of(ERASE, RETAIN, EXPORT_ONLY)),
        ]
        history_names = list(dict.fromkeys(history_names))
        history = [
            {name: _value(row, name) for name in history_names}
            for row in found.history_rows().order_by("history_date", "pk")
        ]
    return names, rows, history_names, history


def _csv(names: list[str], rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=names)
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                name: json.loads(json.dumps(value, cls=DjangoJSONEncoder))
                for name, value in row.items()
            }
        )
    return out.getvalue()


def person_export(*, person: Person, user: Any) -> bytes:
    """A ZIP of everything the registry lists about the person: `person.json`
    (every kind, its rows and their history) and one CSV per kind and history.
    The export is recorded (who, when), without the data."""
    _nothing_held(person)
    data: dict[str, Any] = {}
    files: dict[str, str] = {}
    for personal in personal_data.in_order():
        found = _find(personal, person)
        if not found.keys and not found.history_keys:
            continue
        names, rows, history_names, history = _export_rows(found)
        data[personal.kind] = {
            "model": personal.model,
            "rows": rows,
            "history": history,
        }
        stem = personal.kind.replace(" ", "-")
        if rows:
            files[f"{stem}.csv"] = _csv(names, rows)
        if history:
            files[f"{stem}-history.csv"] = _csv(history_names, history)
    exported_at = timezone.now()
    document = {
        "person": person.identifier,
        "exported_at": exported_at,
        "note": gettext(
            "Everything this application holds about the person, by kind: the "
            "rows, and their history with earlier values."
        ),
        "data": data,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "person.json",
            json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        )
        for name, text in files.items():
            archive.writestr(name, text)
    ExportLog.objects.create(identifier=mask(person.identifier), requested_by=user)
    return buffer.getvalue()
