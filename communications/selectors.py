"""Reads of the outbox: standing suppressions, a document's deliveries, the
Failed communications list, and how far behind the outbox is."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from communications.models import Delivery, Suppression


def standing_suppressions(*, addresses: Iterable[str]) -> dict[str, Suppression]:
    """The standing suppression of each of the addresses that has one, by the
    address in lower case: one query, whatever the number of addresses."""
    wanted = {address.lower() for address in addresses if address}
    if not wanted:
        return {}
    return {
        suppression.email: suppression
        for suppression in Suppression.objects.filter(
            email__in=wanted, lifted_at__isnull=True
        )
    }


def about_deliveries(*, about: models.Model) -> QuerySet:
    """The deliveries of what was sent about this object (a document), newest
    first, with who sent them."""
    return (
        Delivery.objects.filter(
            about_type=ContentType.objects.get_for_model(about), about_id=about.pk
        )
        .select_related("requested_by")
        .order_by("-created_at", "-pk")
    )


def failed_deliveries(*, status: str = "") -> QuerySet:
    """Every delivery that needs a person (failed, bounced, suppressed,
    unconfirmed), or those of one of these statuses; the newest change first, with
    their customer and contact; what they are about is prefetched by the page."""
    statuses = (
        [status] if status in Delivery.NEEDS_A_PERSON else Delivery.NEEDS_A_PERSON
    )
    return (
        Delivery.objects.filter(status__in=statuses)
        .select_related("customer", "contact", "about_type")
        .order_by("-status_changed_at", "-pk")
    )


def oldest_due_delivery(*, now: datetime | None = None) -> timedelta | None:
    """How long the longest-waiting due delivery has waited (None: none is due):
    what the readiness check compares with its limit."""
    now = now or timezone.now()
    due = (
        Delivery.objects.filter(status__in=Delivery.WAITING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    return None if due is None else now - due
