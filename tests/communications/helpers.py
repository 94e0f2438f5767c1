"""What the communications tests (and the sales tests that read the emails) share."""

from communications.models import Delivery
from communications.outbox import deliveries_send


def deliver_outbox() -> list[Delivery]:
    """Run what a worker runs for every waiting delivery, now, in this thread:
    with the test settings' mail backend the emails land in `mail.outbox`."""
    ids = list(
        Delivery.objects.filter(status__in=Delivery.WAITING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    deliveries_send(ids=ids)
    return list(Delivery.objects.filter(pk__in=ids).order_by("pk"))
