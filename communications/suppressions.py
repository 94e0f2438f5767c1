"""Bounces, complaints and suppressions.

django-anymail's tracking webhooks parse each provider's posts into normalised
events and send its `tracking` signal; `delivery_event_record` stores each event
once (a replayed post finds its event stored and changes nothing) and applies it:
a hard bounce, a provider's refusal or a complaint suppresses the address at once,
three soft bounces within seven days suppress it too, whether or not we ever sent to
it. A suppressed address is skipped by the routing and by the worker.
"""

import hashlib
import json
import re
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from communications.models import Delivery, DeliveryEvent, Suppression
from contacts.validators import normalize_email_address
from customers.models import Customer

SOFT_BOUNCE_LIMIT = 3
SOFT_BOUNCE_WINDOW = timedelta(days=7)

# anymail's event types that speak of an address's deliverability.
BOUNCED, REJECTED, DEFERRED, COMPLAINED = (
    "bounced",
    "rejected",
    "deferred",
    "complained",
)
DELIVERED = "delivered"
# An enhanced status (4.2.2) or reply code (421) of a temporary refusal, at the start
# of the receiving server's answer or after its code.
_TEMPORARY = re.compile(r"(^|\s)(4\d\d|4\.\d{1,3}\.\d{1,3})(\s|$|-)")


def is_soft_bounce(event_type: str, mta_response: str) -> bool:
    """A `deferred` event, or a bounce whose server reply says the refusal is
    temporary (4xx); any other bounce is hard."""
    if event_type == DEFERRED:
        return True
    return event_type == BOUNCED and bool(_TEMPORARY.search(mta_response or ""))


@transaction.atomic
def delivery_event_record(*, provider: str, event) -> DeliveryEvent | None:
    """Store one tracking event (anymail's AnymailTrackingEvent) once and apply
    it; None when it was stored before (a replay) or names no address."""
    address = _address(event.recipient)
    if not address:
        return None
    response = " ".join(
        part for part in (event.mta_response, event.description) if part
    )
    delivery = _delivery_of(event.message_id, address)
    record = DeliveryEvent(
        provider=provider[:50],
        event_id=_event_id(event),
        event_type=(event.event_type or "unknown")[:20],
        is_soft_bounce=is_soft_bounce(event.event_type, response),
        email=address,
        delivery=delivery,
        occurred_at=event.timestamp or timezone.now(),
        description=response,
    )
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        return None  # stored before: it changed what it changes once
    _apply(record)
    return record


def _apply(event: DeliveryEvent) -> None:
    hard = event.event_type == BOUNCED and not event.is_soft_bounce
    if event.delivery is not None and (hard or event.event_type == REJECTED):
        _mark(event.delivery, Delivery.Status.BOUNCED, event)
    reason = None
    if hard:
        reason = Suppression.Reason.HARD_BOUNCE
    elif event.event_type == REJECTED:
        reason = Suppression.Reason.REJECTED
    elif event.event_type == COMPLAINED:
        reason = Suppression.Reason.COMPLAINT
    elif event.is_soft_bounce and _soft_bounces(event) >= SOFT_BOUNCE_LIMIT:
        reason = Suppression.Reason.SOFT_BOUNCES
    if reason is not None:
        suppression_create(
            email=event.email,
            reason=reason,
            detail=event.description,
            customer=event.delivery.customer if event.delivery else None,
        )


def _soft_bounces(event: DeliveryEvent) -> int:
    since = event.occurred_at - SOFT_BOUNCE_WINDOW
    return DeliveryEvent.objects.filter(
        email=event.email,
        is_soft_bounce=True,
        occurred_at__gt=since,
        occurred_at__lte=event.occurred_at,
    ).count()


def _mark(delivery: Delivery, status: str, event: DeliveryEvent) -> None:
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status == status:
        return
    delivery.status = status
    delivery.status_changed_at = event.occurred_at
    delivery.last_error = event.description
    delivery.save()


def _delivery_of(message_id: str | None, address: str) -> Delivery | None:
    """The delivery the event is about: by the provider's message id, else by our
    Message-ID (both are unique to one delivery, which went to one address)."""
    if not message_id:
        return None
    return (
        Delivery.objects.filter(provider_message_id=message_id, email__iexact=address)
        .order_by("-pk")
        .first()
        or Delivery.objects.filter(message_id=message_id).first()
    )


def _event_id(event) -> str:
    """The provider's id of the event; for a provider that gives none, a digest of
    what it posted (a replay posts the same)."""
    if event.event_id:
        return str(event.event_id)[:255]
    raw = json.dumps(
        [
            event.event_type,
            event.message_id,
            event.recipient,
            str(event.timestamp),
            event.mta_response,
            event.description,
        ],
        sort_keys=True,
        default=str,
    )
    return "sha256:" + hashlib.sha256(raw.encode()).hexdigest()


def _address(recipient: str | None) -> str:
    if not recipient:
        return ""
    try:
        return normalize_email_address(recipient).lower()
    except ValidationError:
        return recipient.strip().lower()[:254]


@transaction.atomic
def suppression_create(
    *, email: str, reason: str, detail: str = "", customer: Customer | None = None
) -> Suppression:
    """Suppress the address (lower case) unless it is already: the standing
    suppression is returned either way."""
    address = email.lower()
    standing = (
        Suppression.objects.select_for_update()
        .filter(email=address, lifted_at__isnull=True)
        .first()
    )
    if standing is not None:
        return standing
    suppression = Suppression(
        email=address, reason=reason, detail=detail, customer=customer
    )
    suppression.full_clean()
    try:
        with transaction.atomic():
            suppression.save()
    except IntegrityError:
        # Another event suppressed it this very moment.
        return Suppression.objects.get(email=address, lifted_at__isnull=True)
    return suppression


@transaction.atomic
def suppression_lift(
    *,
    suppression: Suppression,
    reason: str,
    lifted_by: AbstractBaseUser,
    customer: Customer,
    now: datetime | None = None,
) -> Suppression:
    """Lift a standing suppression by hand, with the reason, told in the
    customer's Activity Log (the customer whose page it was lifted from)."""
    current = Suppression.objects.select_for_update().filter(pk=suppression.pk).first()
    if current is None or current.lifted_at is not None:
        raise ValidationError(
            gettext("This suppression was already lifted."), code="lifted"
        )
    if not reason.strip():
        raise ValidationError(
            {"lift_reason": gettext("Say why the suppression is lifted.")},
        )
    current.lifted_at = now or timezone.now()
    current.lifted_by = lifted_by
    current.lift_reason = reason.strip()
    current.customer = customer
    current.full_clean()
    current.save()
    return current
