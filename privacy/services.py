"""Finding a person, exporting what is held about them, erasing them, and erasing
the copies issued documents kept once the retention period is over. Everything goes
through core.privacy's registry: this module names no app's fields."""

import contextlib
import csv
import io
import json
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact, Person
from core.privacy import (
    ERASE,
    ERASED_NAME,
    EXPORT_ONLY,
    HISTORY_OWN_FIELDS,
    HISTORY_REASON_FIELD,
    RETAIN,
    DataSubject,
    PersonalModel,
    personal_data,
    replace_fields,
)
from customers.models import Customer
from customers.services import lock_customers
from privacy.models import ErasureLog, ExportLog, RetainedCopy

# The Activity Log entry of each customer the person was linked to: no data.
ERASURE_REASON = "A person's data was erased."

HISTORY_EXPORT_FIELDS = ("history_id", "history_date", "history_user_id")


class PersonNotFound(ValidationError):
    pass


class ErasureRefused(ValidationError):
    """The erasure is refused; `messages` says why, each in words."""


class SeveralPersons(PersonNotFound):
    """An email address that more than one person has: each is exported or erased
    by their own id, never several at once by a shared address."""


def find_subject(
    *, email: str = "", person_id: int | None = None, contact_id: int | None = None
) -> DataSubject:
    """Whom an export or erasure is about: a person by their id, the person a
    contact links, or the one person whose own email address or any link's work
    address is `email` (without case). An address no person has is still a
    subject: what was sent to it, and the links it was on that are gone."""
    if contact_id is not None:
        person_id = (
            Contact.objects.filter(pk=contact_id)
            .values_list("person_id", flat=True)
            .first()
        )
        if person_id is None:
            raise PersonNotFound(
                _("There is no contact %(id)s."),
                code="not_found",
                params={"id": contact_id},
            )
    if person_id is not None:
        if not Person.objects.filter(pk=person_id).exists():
            raise PersonNotFound(
                _("There is no person %(id)s."),
                code="not_found",
                params={"id": person_id},
            )
        return _subject([person_id], identifier=f"person {person_id}")
    email = email.strip().lower()
    if "@" not in email:
        raise PersonNotFound(
            _("Enter the person's email address."), code="invalid_email"
        )
    persons = list(
        Person.objects.annotate(_email=Lower("personal_email"))
        .filter(Q(_email=email) | Q(pk__in=_work_address(email).values("person_id")))
        .order_by("pk")
    )
    if len(persons) > 1:
        raise SeveralPersons(
            _(
                "%(email)s is the address of several persons: %(persons)s. Export "
                "or erase each by their id."
            ),
            code="several_persons",
            params={
                "email": email,
                "persons": ", ".join(
                    f"{person.pk} ({person.full_name})" for person in persons
                ),
            },
        )
    return _subject([person.pk for person in persons], identifier=email, email=email)


def _work_address(email: str) -> models.QuerySet:
    return Contact.objects.annotate(_email=Lower("email")).filter(_email=email)


def _subject(person_ids: list[int], *, identifier: str, email: str = "") -> DataSubject:
    """The persons' rows and what they say of them: their own and their links'
    addresses and numbers, and every name they and their links had (a change
    reason may quote an earlier one)."""
    persons = list(Person.objects.filter(pk__in=person_ids))
    links = list(Contact.objects.filter(person_id__in=person_ids))
    # Persons since joined into theirs (persons_join): their links were moved
    # here, and their rows are gone but for their history.
    joined = set(
        Contact.history.filter(id__in=[link.pk for link in links]).values_list(
            "person_id", flat=True
        )
    ) - set(person_ids)
    joined -= set(Person.objects.filter(pk__in=joined).values_list("pk", flat=True))
    person_ids = [*person_ids, *sorted(joined)]
    earlier = Contact.history.filter(person_id__in=person_ids)
    if not person_ids and email:
        # No person has the address now: the links that had it and are gone.
        earlier = (
            Contact.history.annotate(_email=Lower("email"))
            .filter(_email=email)
            .exclude(id__in=Contact.objects.values("pk"))
        )
    earlier_links = list(earlier.values_list("id", "first_name", "last_name"))
    earlier_persons = Person.history.filter(id__in=person_ids).values_list(
        "first_name", "last_name"
    )
    emails = {
        address.lower()
        for address in (
            email,
            *(person.personal_email for person in persons),
            *(link.email for link in links),
        )
        if address
    }
    phones = {
        phone
        for phone in (
            *(person.personal_phone for person in persons),
            *(link.phone for link in links),
        )
        if phone
    }
    names = {
        " ".join(part for part in (first, last) if part)
        for first, last in (
            *((person.first_name, person.last_name) for person in persons),
            *((link.first_name, link.last_name) for link in links),
            *((first, last) for _, first, last in earlier_links),
            *earlier_persons,
        )
    } - {"", ERASED_NAME}
    return DataSubject(
        person_ids=frozenset(person_ids),
        contact_ids=frozenset(
            [link.pk for link in links] + [pk for pk, _, _ in earlier_links]
        ),
        customer_ids=frozenset(link.customer_id for link in links),
        emails=frozenset(emails),
        phones=frozenset(phones),
        names=frozenset(names),
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
    """A registered model's rows about a subject (a person), live and in its history."""

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


def _find(personal: PersonalModel, subject: DataSubject) -> Found:
    history = personal.history_model
    return Found(
        personal=personal,
        keys=_keys(personal.rows(personal.live_model._default_manager.all(), subject)),
        history_keys=(
            _keys(personal.rows(history._default_manager.all(), subject))
            if history is not None
            else []
        ),
    )


# The kind of the history records of others whose change reason quotes the
# person: a merge's record names the contact merged away and the values it dropped.
QUOTING_REASONS = gettext_noop("change reasons quoting the person")
NEEDLES_A_QUERY = 50


def _quoting_reasons(
    subject: DataSubject, found: list[Found]
) -> list[tuple[PersonalModel, list[int]]]:
    """Per model whose reasons may quote others (`reasons_quote_others`): its
    records, other than the person's own (erased whole), whose change reason
    names the person, their address or number as a word. The database finds the
    candidates, Python the whole words ("Anna Berg" is not in "Hanna Bergman")."""
    needles = sorted(subject.names | subject.emails | subject.phones)
    if not needles:
        return []
    words = re.compile(
        "|".join(rf"(?<!\w){re.escape(needle)}(?!\w)" for needle in needles),
        re.IGNORECASE,
    )
    quoting = []
    for each in found:
        history = each.personal.history_model
        if history is None or not each.personal.reasons_quote_others:
            continue
        own = set(each.history_keys)
        keys = set()
        # A few needles a query: a person with many earlier names stays within
        # the database's limits on one expression.
        for start in range(0, len(needles), NEEDLES_A_QUERY):
            mentions = Q()
            for needle in needles[start : start + NEEDLES_A_QUERY]:
                mentions |= Q(**{f"{HISTORY_REASON_FIELD}__icontains": needle})
            candidates = history._default_manager.filter(mentions).values_list(
                "pk", HISTORY_REASON_FIELD
            )
            keys.update(
                pk
                for pk, reason in candidates
                if pk not in own and words.search(reason)
            )
        if keys:
            quoting.append((each.personal, sorted(keys)))
    return quoting


def person_found(subject: DataSubject) -> dict[str, tuple[int, int]]:
    """How many rows of each kind hold the person's data: (rows, history rows)."""
    found = [_find(personal, subject) for personal in personal_data.in_order()]
    counts = {f.personal.kind: (len(f.keys), len(f.history_keys)) for f in found}
    counts[QUOTING_REASONS] = (
        0,
        sum(len(keys) for _, keys in _quoting_reasons(subject, found)),
    )
    return counts


def _nothing_held(subject: DataSubject) -> None:
    if not any(any(counts) for counts in person_found(subject).values()):
        raise PersonNotFound(
            _("Nothing is held about %(person)s."),
            code="nothing_held",
            params={"person": subject.identifier},
        )


def erasure_refusals(subject: DataSubject) -> list[str]:
    """Why the person cannot be erased now, in words; empty when they can."""
    return [
        reason
        for check in personal_data.erasure_checks.values()
        for reason in check(subject)
    ]


@transaction.atomic
def person_erase(*, subject: DataSubject, user: Any) -> ErasureLog:
    """Erase the person in one transaction: every field the registry marks erase,
    in the rows and their history (an update: no new history); issued documents
    keep their copy (RetainedCopy) until the retention job. One Activity Log
    entry per customer they were linked to; the erasure log keeps the counts."""
    # In the order every writer takes (docs/architecture.md): the customers, then
    # the contacts, as Send, assigning and deleting lock them (a draft being given
    # this contact at this moment waits, and is then refused or seen), then the
    # persons, as a rename (person_update) and a new link (contact_create) do: a
    # link made meanwhile is read here, a later one waits and finds them erased.
    # A customer deleted meanwhile went with its contacts: the others are locked.
    with contextlib.suppress(Customer.DoesNotExist):
        lock_customers(subject.customer_ids)
    list(Contact.objects.select_for_update().filter(pk__in=subject.contact_ids))
    if subject.person_ids:
        list(Person.objects.select_for_update().filter(pk__in=subject.person_ids))
        subject = _subject(
            sorted(subject.person_ids),
            identifier=subject.identifier,
            email=subject.identifier if "@" in subject.identifier else "",
        )
    _nothing_held(subject)
    refusals = erasure_refusals(subject)
    if refusals:
        raise ErasureRefused(refusals, code="refused")
    log = ErasureLog.objects.create(
        identifier=mask(subject.identifier), requested_by=user
    )
    counts: dict[str, int] = defaultdict(int)
    # Read before the person's own records are erased (they would no longer
    # name them, and would be counted twice).
    quoting = _quoting_reasons(
        subject, [_find(personal, subject) for personal in personal_data.in_order()]
    )
    for personal in personal_data.in_order():
        found = _find(personal, subject)
        erased, retained = _erase_rows(found, subject, log)
        counts[personal.kind] += erased
        counts[f"{personal.kind} (kept for the retention period)"] += retained
        # After the rows: erasing them may have written history (a deletion).
        found = _find(personal, subject) if personal.history_model else found
        if found.history_keys:
            counts[f"{personal.kind} (history)"] += _erase_history(found)
    for personal, keys in quoting:
        history = personal.history_model
        assert history is not None
        counts[QUOTING_REASONS] += history._default_manager.filter(pk__in=keys).update(
            **{HISTORY_REASON_FIELD: None}
        )
    _record_in_activity_logs(subject, user)
    log.counts = {kind: count for kind, count in counts.items() if count}
    log.save(update_fields=["counts", "updated_at"])
    return log


def _erase_rows(found: Found, subject: DataSubject, log: ErasureLog) -> tuple[int, int]:
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
        return personal.erase(rows, subject), len(retained)
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


def _record_in_activity_logs(subject: DataSubject, user: Any) -> None:
    """One history record per customer, on one of the person's (now erased)
    contacts there, saying what happened and nothing of whom."""
    seen: set[int] = set()
    for contact in Contact.objects.filter(pk__in=subject.contact_ids).order_by("pk"):
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


def person_export(*, subject: DataSubject, user: Any) -> bytes:
    """A ZIP of everything the registry lists about the person: `person.json`
    (every kind, its rows and their history) and one CSV per kind and history.
    The export is recorded (who, when), without the data."""
    _nothing_held(subject)
    data: dict[str, Any] = {}
    files: dict[str, str] = {}
    everything = [_find(personal, subject) for personal in personal_data.in_order()]
    for found in everything:
        personal = found.personal
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
    quoted = [
        {"model": personal.model, **row}
        for personal, keys in _quoting_reasons(subject, everything)
        for row in personal.history_model._default_manager.filter(  # type: ignore[union-attr]
            pk__in=keys
        )
        .order_by("history_date")
        .values(*HISTORY_EXPORT_FIELDS, HISTORY_REASON_FIELD)
    ]
    if quoted:
        names = ["model", *HISTORY_EXPORT_FIELDS, HISTORY_REASON_FIELD]
        data[QUOTING_REASONS] = {"rows": quoted}
        files[f"{QUOTING_REASONS.replace(' ', '-')}.csv"] = _csv(names, quoted)
    exported_at = timezone.now()
    document = {
        "person": subject.identifier,
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
    ExportLog.objects.create(identifier=mask(subject.identifier), requested_by=user)
    return buffer.getvalue()
