"""/readyz fails when the outbox stalls: its oldest due email waited too long."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.communications.factories import make_deliveries
from tests.core.test_health import worker_seen

pytestmark = pytest.mark.django_db(transaction=True)


def outbox_check(client) -> tuple[int, str]:
    response = client.get("/readyz")
    return response.status_code, json.loads(response.content)["checks"]["outbox"]


def test_readiness_passes_while_due_emails_are_young(client, settings):
    settings.READINESS_OUTBOX_WAIT_SECONDS = 300
    worker_seen(seconds_ago=0)
    make_deliveries(2, now=timezone.now() - timedelta(seconds=60))
    assert outbox_check(client) == (200, "ok")


def test_readiness_is_503_when_the_oldest_due_email_waited_too_long(client, settings):
    settings.READINESS_OUTBOX_WAIT_SECONDS = 300
    worker_seen(seconds_ago=0)
    make_deliveries(1, now=timezone.now() - timedelta(seconds=400))
    status, outcome = outbox_check(client)
    assert status == 503
    assert re.fullmatch(
        r"Unavailable: The oldest due email has waited 40\d s \(the limit is 300 s\)\.",
        outcome,
    )


def test_a_limit_of_zero_turns_the_outbox_check_off(client, settings):
    settings.READINESS_OUTBOX_WAIT_SECONDS = 0
    worker_seen(seconds_ago=0)
    make_deliveries(1, now=timezone.now() - timedelta(days=1))
    response = client.get("/readyz")
    assert "outbox" not in json.loads(response.content)["checks"]
