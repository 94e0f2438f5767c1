from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core.models import NumberSequence, TimeStampedModel

STALE = "stale"
GONE = "gone"
STALE_MESSAGE = _(
    "Someone else changed this %(object)s since you opened it, so nothing was saved. "
    "Review the current values below and make your changes again."
)
GONE_MESSAGE = _("This %(object)s no longer exists: someone else deleted it.")


class EditConflict(ValidationError):
    """What a form was opened on changed since (code `stale`) or is gone (code
    `gone`): the save is refused, so nobody overwrites values they have not seen.
    Views based on core.views.ServiceFormMixin show the current values again."""


def changed_since(current: str, opened: str | None) -> bool:
    """Whether what a form was opened on changed since: `opened` is the version the
    form carried back (None: a writer without a form, not checked). A version that
    is missing, empty or unreadable is no proof of anything, so it counts as
    changed: the save is refused like a stale one, never let through unchecked."""
    return opened is not None and opened != current


def lock_unchanged(
    instance: TimeStampedModel, *, version: str | None
) -> TimeStampedModel:
    """Lock the instance's row (against other edits only: `no_key`, so rows that
    point at it can still be added) and return it as stored now.

    `version` is the row's `version` when the form was opened (None: not checked,
    for writers without a form; `changed_since`). A row changed since, or gone,
    raises EditConflict.
    """
    model = type(instance)
    stored = (
        model._default_manager.select_for_update(no_key=True)
        .filter(pk=instance.pk)
        .first()
    )
    what = {"object": model._meta.verbose_name}
    if stored is None:
        raise EditConflict(GONE_MESSAGE, code=GONE, params=what)
    if changed_since(stored.version, version):
        raise EditConflict(STALE_MESSAGE, code=STALE, params=what)
    return stored


@transaction.atomic
def sequence_next_value(*, name: str) -> int:
    """Return the next value of the named sequence, starting at 1.

    The UPDATE takes the row's lock until the surrounding transaction ends, so a
    concurrent caller waits and then reads the value after ours.
    """
    NumberSequence.objects.get_or_create(name=name)
    NumberSequence.objects.filter(name=name).update(last_value=F("last_value") + 1)
    return NumberSequence.objects.values_list("last_value", flat=True).get(name=name)
