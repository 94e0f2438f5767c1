"""Merging two contacts of one customer: the preview's defaults and the merge, all or
nothing."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from contacts.models import (
    CONTACT_PERSON_FIELDS,
    Contact,
    ContactRole,
)
from contacts.selectors import outliving_relations, rows_pointing_at
from contacts.services.duplicates import possible_duplicates_refresh
from contacts.services.links import (
    ContactChanged,
    lock_contacts,
    person_delete_if_unlinked,
    person_follows,
)
from core.history import step_reason
from core.services import changed_since
from customers.services import lock_customers

STALE_MERGE_MESSAGE = _(
    "One of the two contacts changed since you opened the preview, so nothing was "
    "merged. Review the current values below and merge again."
)


def merge_defaults(*, keep: Contact, merge_away: Contact) -> dict[str, str]:
    """The value each field keeps unless the user picks the other: the non-empty
    one, and of two, the value of the contact in use longer — the one more rows
    point at (documents, emails: `outliving_relations`), then the older — so a
    newly typed "Davi Smith" does not rename the established "David Smith"."""
    pointing = rows_pointing_at(contact_ids=[keep.pk, merge_away.pk])
    established, other = sorted(
        (keep, merge_away),
        key=lambda contact: (-pointing.get(contact.pk, 0), contact.created_at),
    )
    return {
        name: getattr(established, name) or getattr(other, name)
        for name in CONTACT_PERSON_FIELDS
    }


def merge_summary(*, keep: Contact, merge_away: Contact) -> str:
    """What the merge did, as the Activity Log stores it: in English, whatever the
    language of the user who merged (contacts.views says it in the user's)."""
    return f"Merged {merge_away.full_name} into {keep.full_name}"


@transaction.atomic
def contacts_merge(
    *,
    keep: Contact,
    merge_away: Contact,
    values: Mapping[str, str],
    user: Any = None,
    keep_version: str | None = None,
    merge_away_version: str | None = None,
) -> Contact:
    """Merge `merge_away` into `keep`, two contacts of one customer, all or nothing.

    - `values` are the field values the user picked, each one of the two contacts'
      values for that field; a field left out takes `merge_defaults`.
    - The roles of both are kept (their union).
    - Whatever outlives a deleted contact (a foreign key with SET_NULL: the sales
      documents) now points to `keep`, with its history; the documents' snapshots
      (the contact's name, email and phone when assigned) are left exactly as they
      were. Rows that die with a contact (CASCADE: its possible-duplicate pairs) go
      with `merge_away`, which is deleted.
    - The kept contact's history record carries the one Activity Log entry: "Merged
      Ana Berg into Anna Berg", with the values that were dropped. The other records
      the merge writes are marked as its steps (core.history.step_reason).
    - The customer and both contacts are locked; `keep_version` and
      `merge_away_version` (the contacts' `version` in the preview) refuse a merge
      of contacts that changed since, with ContactChanged.
    """
    if keep.pk == merge_away.pk:
        raise ValidationError(_("A contact cannot be merged into itself."), code="same")
    if keep.customer_id != merge_away.customer_id:
        raise ValidationError(
            _("Only contacts of one customer can be merged."), code="other_customer"
        )
    lock_customers([keep.customer_id])
    stored = lock_contacts([keep, merge_away], to_delete=True)
    keep, merge_away = stored[keep.pk], stored[merge_away.pk]
    if keep.customer_id != merge_away.customer_id:
        raise ContactChanged(STALE_MERGE_MESSAGE, code="stale_merge")
    for contact, version in ((keep, keep_version), (merge_away, merge_away_version)):
        if changed_since(contact.version, version):
            raise ContactChanged(STALE_MERGE_MESSAGE, code="stale_merge")
    chosen, dropped = _merge_choices(keep=keep, merge_away=merge_away, values=values)
    _merge_write(
        keep=keep, merge_away=merge_away, chosen=chosen, dropped=dropped, user=user
    )
    possible_duplicates_refresh(customer_ids=[keep.customer_id], changed=[keep.pk])
    return keep


def _merge_write(
    *,
    keep: Contact,
    merge_away: Contact,
    chosen: dict[str, str],
    dropped: list[str],
    user: Any,
) -> None:
    """The merge's writes, under its locks: the references moved, `merge_away`
    deleted, `keep` saved with the chosen values and the united roles, and the one
    history record that says what happened."""
    summary = merge_summary(keep=keep, merge_away=merge_away)
    step = step_reason(f"merging contact {merge_away.pk} into contact {keep.pk}")
    moved = _repoint_references(merge_away=merge_away, keep=keep, user=user, step=step)
    roles = {*keep.roles.all(), *merge_away.roles.all()}
    merge_away._change_reason = step
    if user is not None:
        merge_away._history_user = keep._history_user = user
    merge_away.delete()
    if merge_away.person_id != keep.person_id:
        person_delete_if_unlinked(merge_away.person_id)
    for name in CONTACT_PERSON_FIELDS:
        setattr(keep, name, chosen[name])
    # Both are of one customer, so at most one of them held Primary.
    keep.is_primary = any(role.code == ContactRole.PRIMARY for role in roles)
    keep.full_clean()
    # The roles are written without a record of their own: the merge's one record,
    # saved next, lists them.
    keep.skip_history_when_saving = True
    try:
        keep.roles.set(roles)
    finally:
        del keep.skip_history_when_saving
    lines = [f"{summary}."]
    if dropped:
        lines.append("Dropped: " + "; ".join(dropped) + ".")
    if moved:
        lines.append(f"{moved} document(s) now point to {keep.full_name}.")
    # The merge's one Activity Log entry.
    keep._change_reason = "\n".join(lines)
    keep.save()
    del keep._change_reason
    # The chosen name is the person's, and their other links', too.
    person_follows(keep)


def _merge_choices(
    *, keep: Contact, merge_away: Contact, values: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """The value each field keeps (the user's pick, else `merge_defaults`), and the
    values the merge drops ("Email address: ana@x.example"). A pick that is neither
    contact's value now means a contact changed since the preview."""
    chosen = {**merge_defaults(keep=keep, merge_away=merge_away), **values}
    unknown = set(chosen) - set(CONTACT_PERSON_FIELDS)
    if unknown:
        raise ValueError(f"Not a field a merge chooses: {', '.join(sorted(unknown))}.")
    dropped = []
    for name in CONTACT_PERSON_FIELDS:
        offered = {getattr(keep, name), getattr(merge_away, name)}
        if chosen[name] not in offered:
            raise ContactChanged(STALE_MERGE_MESSAGE, code="stale_merge")
        # Stored in the history: in English, whoever reads it later.
        with translation.override("en"):
            label = str(Contact._meta.get_field(name).verbose_name).capitalize()
        dropped += [
            f"{label}: {value}" for value in sorted(offered - {"", chosen[name]})
        ]
    return chosen, dropped


def _repoint_references(
    *, merge_away: Contact, keep: Contact, user: Any, step: str
) -> int:
    """Point every row that would outlive `merge_away` (a foreign key to Contact
    with on_delete=SET_NULL) at `keep`: only the key and the row's updated_at are
    written, with a history record marked as a step of the merge. Returns how many
    rows moved."""
    moved = 0
    for relation in outliving_relations():
        model, field = relation.related_model, relation.field
        rows = list(
            model._default_manager.select_for_update()
            .filter(**{field.name: merge_away})
            .order_by("pk")
        )
        if not rows:
            continue
        fields = [field.name]
        for row in rows:
            setattr(row, field.name, keep)
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            fields.append("updated_at")
            now = timezone.now()
            for row in rows:
                row.updated_at = now
        if hasattr(model._meta, "simple_history_manager_attribute"):
            bulk_update_with_history(
                rows, model, fields, default_user=user, default_change_reason=step
            )
        else:
            model._default_manager.bulk_update(rows, fields)
        moved += len(rows)
    return moved
