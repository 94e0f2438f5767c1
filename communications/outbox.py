"""The outbox's writes: recording deliveries in the sender's transaction, claiming
one, speaking to the mail server, recording what it answered, retrying, and the
sweep that re-queues what is due and marks lapsed claims.

Never twice: a worker claims a delivery (marks it `sending`, with a token and a
time until which the claim holds) and commits *before* it speaks to the mail server.
A claim that lapses while `sending` means the worker died mid-send: the email may or
may not have left, so it is not sent again automatically but becomes `unconfirmed`,
for a person to check and retry.
"""

import contextlib
import random
import smtplib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import formataddr, make_msgid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext

from communications.models import Delivery
from communications.selectors import standing_suppressions
from customers.models import Customer

# About 1 min, 5 min, 30 min, 2 h, 6 h and 12 h after each failed attempt, give or
# take a tenth (so a mail server that came back is not hit by every retry at once);
# after the last, the delivery has failed.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=12),
)
RETRY_JITTER = 0.1


def claim_lifetime() -> timedelta:
    """How long a claim holds: longer than any one SMTP conversation can take."""
    return timedelta(seconds=settings.COMMUNICATIONS_CLAIM_SECONDS)


@dataclass(frozen=True)
class OutgoingEmail:
    """One email to one address, as the sender wrote it (in the address's
    language). `suppressed`: the address is known to be undeliverable, so it is
    recorded but never sent."""

    email: str
    name: str
    reason: str
    language: str
    subject: str
    text: str
    html: str = ""
    contact_id: int | None = None
    suppressed: bool = False


def deliveries_create(
    *,
    about: models.Model,
    customer: Customer,
    emails: Sequence[OutgoingEmail],
    requested_by: AbstractBaseUser | None,
    now: datetime | None = None,
) -> list[Delivery]:
    """Record one delivery per email, in the caller's transaction, and ask a worker
    to send them once it commits (a rolled-back transaction leaves nothing, and
    asks nobody). No mail server is spoken to here."""
    now = now or timezone.now()
    user = requested_by if requested_by and requested_by.is_authenticated else None
    deliveries = []
    for email in emails:
        status = (
            Delivery.Status.SUPPRESSED if email.suppressed else Delivery.Status.QUEUED
        )
        delivery = Delivery(
            about=about,
            customer=customer,
            contact_id=email.contact_id,
            requested_by=user,
            email=email.email,
            name=email.name,
            reason=email.reason,
            language=email.language,
            from_email=settings.DEFAULT_FROM_EMAIL,
            subject=email.subject,
            text=email.text,
            html=email.html,
            message_id=new_message_id(),
            status=status,
            status_changed_at=now,
            next_attempt_at=None if email.suppressed else now,
            enqueued_at=None if email.suppressed else now,
        )
        delivery.full_clean()
        delivery.save()
        deliveries.append(delivery)
    enqueue_on_commit([d.pk for d in deliveries if d.status == Delivery.Status.QUEUED])
    return deliveries


def new_message_id() -> str:
    """A Message-ID in the from-address's domain, unique to one delivery."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or None
    return make_msgid(domain=domain)


def enqueue_on_commit(delivery_ids: list[int]) -> None:
    """Once the transaction commits, ask a worker to send these deliveries (in
    batches). If the task backend is unreachable, the sweep finds them later."""
    if delivery_ids:
        transaction.on_commit(lambda: _enqueue(delivery_ids), robust=True)


def _enqueue(delivery_ids: list[int]) -> None:
    from communications.tasks import send_deliveries

    task = send_deliveries.using(queue_name=settings.COMMUNICATIONS_QUEUE)
    size = settings.COMMUNICATIONS_BATCH_SIZE
    for start in range(0, len(delivery_ids), size):
        task.enqueue(delivery_ids[start : start + size])


def deliveries_send(*, ids: Iterable[int]) -> None:
    """Send the deliveries that are still waiting, one claim at a time, over one
    connection to the mail server. What a task runs."""
    ids = list(ids)
    suppressed = standing_suppressions(
        addresses=Delivery.objects.filter(pk__in=ids).values_list("email", flat=True)
    )
    mail = get_connection()
    try:
        for pk in ids:
            delivery = delivery_claim(pk=pk)
            if delivery is None:
                continue  # sent already, or claimed by another worker
            if delivery.email.lower() in suppressed:
                delivery_record(delivery=delivery, outcome=SUPPRESSED)
                continue
            outcome = delivery_transmit(delivery=delivery, connection=mail)
            delivery_record(delivery=delivery, outcome=outcome)
    finally:
        _close_quietly(mail)


def delivery_claim(*, pk: int, now: datetime | None = None) -> Delivery | None:
    """Claim a due delivery for this worker and commit: `sending`, with a token and
    a time the claim lapses. None when it is not waiting or not due, or another
    worker holds it (PostgreSQL skips a row another claim has locked; on SQLite a
    write transaction locks the database, so claims queue up)."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    changes = {
        "status": Delivery.Status.SENDING,
        "status_changed_at": now,
        "claim": token,
        "claimed_until": now + claim_lifetime(),
    }
    with transaction.atomic():
        waiting = Delivery.objects.filter(
            pk=pk, status__in=Delivery.WAITING, next_attempt_at__lte=now
        )
        skip_locked = connection.features.has_select_for_update_skip_locked
        delivery = waiting.select_for_update(skip_locked=skip_locked).first()
        if delivery is None:
            return None
        # The claim is the worker's bookkeeping, not the customer's history: an
        # update, compare-and-set on the status, writes no history record.
        if not waiting.update(**changes, attempts=F("attempts") + 1):
            return None
    for field, value in changes.items():
        setattr(delivery, field, value)
    delivery.attempts += 1
    return delivery


@dataclass(frozen=True)
class Outcome:
    """What became of one attempt."""

    status: str  # sent, deferred (if a retry is left), failed, suppressed
    error: str = ""
    provider_message_id: str = ""


SENT = Outcome(Delivery.Status.SENT)
SUPPRESSED = Outcome(Delivery.Status.SUPPRESSED)


def delivery_transmit(*, delivery: Delivery, connection) -> Outcome:
    """Hand the delivery's email to the mail backend, and say how it went: sent, a
    temporary failure (4xx replies, refused connections, time-outs: retried), or a
    permanent one (5xx replies: failed at once)."""
    message = EmailMultiAlternatives(
        subject=delivery.subject,
        body=delivery.text,
        from_email=delivery.from_email,
        to=[formataddr((delivery.name, delivery.email))],
        headers={"Message-ID": delivery.message_id},
        connection=connection,
    )
    if delivery.html:
        message.attach_alternative(delivery.html, "text/html")
    try:
        message.send(fail_silently=False)
    except Exception as error:  # every failure is recorded
        _close_quietly(connection)
        permanent, words = classify_failure(error)
        status = Delivery.Status.FAILED if permanent else Delivery.Status.DEFERRED
        return Outcome(status, error=words)
    status = getattr(message, "anymail_status", None)
    return Outcome(
        Delivery.Status.SENT,
        provider_message_id=(getattr(status, "message_id", None) or "")
        if status
        else "",
    )


def classify_failure(error: Exception) -> tuple[bool, str]:
    """(permanent, what went wrong): a 5xx reply is permanent; 4xx replies,
    refused or dropped connections and time-outs are temporary, as is anything the
    backend raises that says no more."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply in error.recipients.values()]
        replies = "; ".join(
            f"{code} {_text(reply)}" for code, reply in error.recipients.values()
        )
        return any(code >= 500 for code in codes), replies
    if isinstance(error, smtplib.SMTPResponseException):
        code = error.smtp_code
        return 500 <= code < 600, f"{code} {_text(error.smtp_error)}"
    status_code = getattr(error, "status_code", None)  # anymail's API errors
    if type(error).__name__ == "AnymailRecipientsRefused":
        return True, str(error)
    if isinstance(status_code, int) and 400 <= status_code < 500:
        return status_code != 429, str(error)
    return False, f"{type(error).__name__}: {error}".rstrip(": ")


def _text(reply) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def retry_at(
    *, attempts: int, now: datetime, rng: random.Random = random
) -> datetime | None:
    """When to try again after `attempts` failed attempts; None when no retry is
    left."""
    if attempts > len(RETRY_DELAYS):
        return None
    delay = RETRY_DELAYS[attempts - 1]
    return now + delay * rng.uniform(1 - RETRY_JITTER, 1 + RETRY_JITTER)


def delivery_record(
    *, delivery: Delivery, outcome: Outcome, now: datetime | None = None
) -> Delivery | None:
    """Record what became of the claimed delivery, if it is still this worker's
    claim: a claim that lapsed meanwhile (a slow worker, `unconfirmed`) still
    learns what happened; a delivery a person retried since is theirs. A temporary
    failure with no retry left fails."""
    now = now or timezone.now()
    with transaction.atomic():
        current = (
            Delivery.objects.select_for_update()
            .filter(pk=delivery.pk, claim=delivery.claim)
            .exclude(claim="")
            .first()
        )
        if current is None:
            return None
        status = outcome.status
        current.next_attempt_at = None
        if status == Delivery.Status.DEFERRED:
            current.next_attempt_at = retry_at(attempts=current.attempts, now=now)
            if current.next_attempt_at is None:
                status = Delivery.Status.FAILED
            else:
                current.enqueued_at = None  # the sweep asks for it when due
        if status == Delivery.Status.SENT:
            current.sent_at = now
            current.provider_message_id = outcome.provider_message_id
        current.status = status
        current.status_changed_at = now
        current.last_error = outcome.error
        current.claim = ""
        current.claimed_until = None
        current.save()
    return current


def deliveries_lapse(*, now: datetime | None = None) -> int:
    """Mark `unconfirmed` every delivery whose claim lapsed while `sending`: its
    worker stopped mid-send, so nobody knows whether it left. Never sent again by
    itself."""
    now = now or timezone.now()
    lapsed = 0
    with transaction.atomic():
        for delivery in Delivery.objects.select_for_update().filter(
            status=Delivery.Status.SENDING, claimed_until__lt=now
        ):
            delivery.status = Delivery.Status.UNCONFIRMED
            delivery.status_changed_at = now
            delivery.next_attempt_at = None
            # The claim's token stays: a worker that was only slow still records
            # what happened (delivery_record).
            delivery.claimed_until = None
            delivery.save()
            lapsed += 1
    return lapsed


def deliveries_requeue(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Ask a worker for every due delivery that no task was asked for recently:
    retries that came due, and deliveries whose task was lost (a worker killed, a
    broker down when they were recorded)."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.COMMUNICATIONS_REQUEUE_SECONDS)
    with transaction.atomic():
        due = Delivery.objects.filter(
            Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale),
            status__in=Delivery.WAITING,
            next_attempt_at__lte=now,
        ).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        # Bookkeeping, not history (as the claim).
        Delivery.objects.filter(pk__in=ids).update(enqueued_at=now)
        enqueue_on_commit(ids)
    return len(ids)


def outbox_sweep() -> None:
    """The worker's periodic job: lapsed claims become `unconfirmed`, due
    deliveries are asked for."""
    deliveries_lapse()
    deliveries_requeue()


RETRY_LIMIT = 100


@transaction.atomic
def deliveries_retry(
    *, ids: Sequence[int], now: datetime | None = None
) -> tuple[list[Delivery], list[Delivery]]:
    """Queue again deliveries that need a person (at most RETRY_LIMIT at once).
    Returns those queued, and those left alone because their address is still
    suppressed (lift the suppression first)."""
    if len(ids) > RETRY_LIMIT:
        raise ValidationError(
            gettext("Select at most %(limit)s communications to retry at once.")
            % {"limit": RETRY_LIMIT},
            code="too_many",
        )
    now = now or timezone.now()
    deliveries = list(
        Delivery.objects.select_for_update()
        .filter(pk__in=ids, status__in=Delivery.NEEDS_A_PERSON)
        .order_by("pk")
    )
    suppressed = standing_suppressions(addresses=[d.email for d in deliveries])
    queued, refused = [], []
    for delivery in deliveries:
        if delivery.email.lower() in suppressed:
            refused.append(delivery)
            continue
        delivery.status = Delivery.Status.QUEUED
        delivery.status_changed_at = now
        delivery.next_attempt_at = now
        delivery.enqueued_at = now
        delivery.attempts = 0
        delivery.last_error = ""
        delivery.claim = ""
        delivery.claimed_until = None
        delivery.save()
        queued.append(delivery)
    enqueue_on_commit([delivery.pk for delivery in queued])
    return queued, refused


def _close_quietly(mail) -> None:
    # A broken connection is opened anew for the next delivery.
    with contextlib.suppress(Exception):
        mail.close()
