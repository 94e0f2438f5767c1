"""The outbox's worker side: claims, what each answer of the mail server does, the
retry schedule on a controlled clock, lapsed claims and the sweep."""

import random
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from communications import outbox
from communications.models import Delivery
from communications.outbox import (
    RETRY_DELAYS,
    Outcome,
    deliveries_lapse,
    deliveries_requeue,
    deliveries_send,
    delivery_claim,
    delivery_record,
    retry_at,
)
from communications.suppressions import suppression_create
from tests.communications.factories import make_deliveries

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def refused_with(error):
    """A mail backend whose every send raises `error`."""

    def send(self, fail_silently=False):
        raise error

    return send


def test_a_claim_marks_the_delivery_sending_and_a_second_claim_gets_nothing():
    (delivery,) = make_deliveries(now=NOW)
    claimed = delivery_claim(pk=delivery.pk, now=NOW)
    assert (claimed.status, claimed.attempts) == ("sending", 1)
    assert claimed.claim
    assert claimed.claimed_until == NOW + timedelta(seconds=300)
    assert delivery_claim(pk=delivery.pk, now=NOW) is None
    # The claim is bookkeeping: the history holds only its creation.
    assert claimed.history.count() == 1


def test_a_delivery_not_yet_due_is_not_claimed():
    (delivery,) = make_deliveries(now=NOW + timedelta(minutes=1))
    assert delivery_claim(pk=delivery.pk, now=NOW) is None


def test_sent_once_however_often_a_worker_is_asked():
    (delivery,) = make_deliveries()
    deliveries_send(ids=[delivery.pk])
    deliveries_send(ids=[delivery.pk, delivery.pk])
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPResponseException(421, b"4.7.0 try again later"),
        smtplib.SMTPRecipientsRefused({"person0@example.com": (450, b"mailbox busy")}),
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        ConnectionRefusedError(111, "Connection refused"),
        TimeoutError("timed out"),
    ],
    ids=["421", "450 recipient", "disconnected", "refused", "time-out"],
)
def test_a_temporary_failure_is_retried_about_a_minute_later(monkeypatch, error):
    (delivery,) = make_deliveries()
    monkeypatch.setattr(
        "django.core.mail.EmailMultiAlternatives.send", refused_with(error)
    )
    before = timezone.now()
    deliveries_send(ids=[delivery.pk])
    delivery.refresh_from_db()
    assert delivery.status == "deferred"
    assert delivery.last_error
    wait = delivery.next_attempt_at - before
    assert timedelta(seconds=50) < wait < timedelta(seconds=70)


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPRecipientsRefused({"person0@example.com": (550, b"no such user")}),
        smtplib.SMTPDataError(554, b"5.7.1 message refused"),
        smtplib.SMTPSenderRefused(553, b"sender refused", "sales@example.com"),
    ],
    ids=["550 recipient", "554 data", "553 sender"],
)
def test_a_permanent_failure_fails_at_once(monkeypatch, error):
    (delivery,) = make_deliveries()
    monkeypatch.setattr(
        "django.core.mail.EmailMultiAlternatives.send", refused_with(error)
    )
    deliveries_send(ids=[delivery.pk])
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert delivery.next_attempt_at is None
    assert delivery.last_error.startswith("55")


def test_the_retry_schedule_on_a_controlled_clock():
    """About 1 min, 5 min, 30 min, 2 h, 6 h and 12 h after each failed attempt,
    within a tenth either way; then failed."""
    (delivery,) = make_deliveries(now=NOW)
    clock = NOW
    waits = []
    for _attempt in range(len(RETRY_DELAYS) + 1):
        claimed = delivery_claim(pk=delivery.pk, now=clock)
        assert claimed is not None, f"not due at {clock}"
        recorded = delivery_record(
            delivery=claimed,
            outcome=Outcome(Delivery.Status.DEFERRED, error="421 later"),
            now=clock,
        )
        if recorded.status == Delivery.Status.FAILED:
            break
        waits.append(recorded.next_attempt_at - clock)
        assert (
            delivery_claim(
                pk=delivery.pk, now=recorded.next_attempt_at - timedelta(seconds=1)
            )
            is None
        )
        clock = recorded.next_attempt_at
    assert recorded.status == "failed"
    assert recorded.attempts == 7
    assert len(waits) == 6
    for wait, delay in zip(waits, RETRY_DELAYS, strict=True):
        assert delay * 0.9 <= wait <= delay * 1.1


def test_the_jitter_spreads_retries():
    rng = random.Random(7)
    times = {retry_at(attempts=1, now=NOW, rng=rng) for _ in range(20)}
    assert len(times) > 1
    assert retry_at(attempts=7, now=NOW) is None


def test_a_lapsed_claim_becomes_unconfirmed_and_is_never_sent_again():
    (delivery,) = make_deliveries(now=NOW)
    assert delivery_claim(pk=delivery.pk, now=NOW) is not None
    # The worker died here, mid-send.
    assert deliveries_lapse(now=NOW + timedelta(seconds=299)) == 0
    assert deliveries_lapse(now=NOW + timedelta(seconds=301)) == 1
    delivery.refresh_from_db()
    assert delivery.status == "unconfirmed"
    assert deliveries_requeue(now=NOW + timedelta(days=1)) == 0
    deliveries_send(ids=[delivery.pk])
    assert mail.outbox == []


def test_a_worker_that_was_only_slow_still_records_what_happened():
    (delivery,) = make_deliveries(now=NOW)
    claimed = delivery_claim(pk=delivery.pk, now=NOW)
    deliveries_lapse(now=NOW + timedelta(minutes=6))
    recorded = delivery_record(delivery=claimed, outcome=Outcome("sent"))
    assert recorded.status == "sent"


def test_a_delivery_retried_by_a_person_meanwhile_is_theirs():
    from communications.outbox import deliveries_retry

    (delivery,) = make_deliveries(now=NOW)
    claimed = delivery_claim(pk=delivery.pk, now=NOW)
    deliveries_lapse(now=NOW + timedelta(minutes=6))
    deliveries_retry(ids=[delivery.pk])
    assert delivery_record(delivery=claimed, outcome=Outcome("sent")) is None
    delivery.refresh_from_db()
    assert delivery.status == "queued"


def test_the_sweep_asks_again_for_due_deliveries_whose_task_got_lost(
    django_capture_on_commit_callbacks, settings
):
    settings.COMMUNICATIONS_REQUEUE_SECONDS = 120
    deliveries = make_deliveries(2, now=NOW)
    # Asked for when recorded: not again within the grace.
    assert deliveries_requeue(now=NOW + timedelta(seconds=60)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_requeue(now=NOW + timedelta(seconds=121)) == 2
    from django_tasks_db.models import DBTaskResult

    [task] = DBTaskResult.objects.all()
    assert task.args_kwargs["args"] == [[d.pk for d in deliveries]]
    # Asked for again: not a second time at once.
    assert deliveries_requeue(now=NOW + timedelta(seconds=122)) == 0


def test_a_retry_that_came_due_is_asked_for_by_the_sweep():
    (delivery,) = make_deliveries(now=NOW)
    claimed = delivery_claim(pk=delivery.pk, now=NOW)
    recorded = delivery_record(
        delivery=claimed, outcome=Outcome(Delivery.Status.DEFERRED), now=NOW
    )
    assert deliveries_requeue(now=recorded.next_attempt_at - timedelta(seconds=1)) == 0
    assert deliveries_requeue(now=recorded.next_attempt_at) == 1


def test_an_address_suppressed_after_send_is_not_sent_to():
    (delivery,) = make_deliveries()
    suppression_create(email="Person0@Example.com", reason="hard_bounce")
    deliveries_send(ids=[delivery.pk])
    assert mail.outbox == []
    delivery.refresh_from_db()
    assert delivery.status == "suppressed"


def test_one_connection_serves_a_batch_and_a_broken_one_is_opened_anew(monkeypatch):
    deliveries = make_deliveries(3)
    calls = []
    original = mail.EmailMultiAlternatives.send

    def flaky(self, fail_silently=False):
        calls.append(self.to)
        if len(calls) == 2:
            raise smtplib.SMTPServerDisconnected("dropped")
        return original(self, fail_silently=fail_silently)

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", flaky)
    deliveries_send(ids=[d.pk for d in deliveries])
    statuses = [Delivery.objects.get(pk=d.pk).status for d in deliveries]
    assert statuses == ["sent", "deferred", "sent"]


def test_the_worker_runs_the_send_task_and_the_sweep(
    django_capture_on_commit_callbacks,
):
    from core.worker import Worker

    with django_capture_on_commit_callbacks(execute=True):
        (delivery,) = make_deliveries()
    worker = Worker(interval=0.01)
    assert worker.run_once() is True  # the sweep, then the task
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert len(mail.outbox) == 1
    from core.models import PeriodicJobRun

    assert PeriodicJobRun.objects.filter(name="outbox-sweep").exists()


def api_error(status_code: int):
    from types import SimpleNamespace

    from anymail.exceptions import AnymailAPIError

    response = SimpleNamespace(reason="reason", text="", status_code=status_code)
    return AnymailAPIError(
        "the provider said no", status_code=status_code, response=response
    )


@pytest.mark.parametrize(
    ("status_code", "permanent"), [(400, True), (429, False), (503, False)]
)
def test_a_providers_api_error_is_permanent_only_for_a_refused_request(
    status_code, permanent
):
    assert outbox.classify_failure(api_error(status_code))[0] is permanent


def test_a_providers_refusal_of_the_recipient_is_permanent():
    from anymail.exceptions import AnymailRecipientsRefused

    assert outbox.classify_failure(AnymailRecipientsRefused("refused"))[0] is True


def test_the_readiness_reading_is_how_long_the_oldest_due_delivery_waited():
    from communications.selectors import oldest_due_delivery

    assert oldest_due_delivery(now=NOW) is None
    make_deliveries(now=NOW - timedelta(minutes=3))
    make_deliveries(now=NOW - timedelta(minutes=1))
    make_deliveries(now=NOW + timedelta(minutes=1))  # not due yet
    assert oldest_due_delivery(now=NOW) == timedelta(minutes=3)
