from django.db import transaction
from django.db.models import F

from core.models import NumberSequence


@transaction.atomic
def sequence_next_value(*, name: str) -> int:
    """Return the next value of the named sequence, starting at 1.

    The UPDATE takes the row's lock until the surrounding transaction ends, so a
    concurrent caller waits and then reads the value after ours.
    """
    NumberSequence.objects.get_or_create(name=name)
    NumberSequence.objects.filter(name=name).update(last_value=F("last_value") + 1)
    return NumberSequence.objects.values_list("last_value", flat=True).get(name=name)
