"""Bounces and complaints arrive through django-anymail's tracking webhooks (here
Postmark's, as a company would configure it) and suppress the address."""

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from communications.models import Delivery, DeliveryEvent, Suppression
from tests.communications.factories import make_deliveries

pytestmark = pytest.mark.django_db

AUTH = "Basic " + base64.b64encode(b"provider:webhook-secret").decode()
URL = reverse("communications:anymail:postmark_tracking_webhook")
WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def post(client, event: dict, *, auth: str = AUTH):
    return client.post(
        URL,
        data=json.dumps(event),
        content_type="application/json",
        HTTP_AUTHORIZATION=auth,
    )


def bounce(
    email: str, *, kind: str = "HardBounce", event_id: int = 1, when=WHEN, message_id=""
):
    return {
        "RecordType": "Bounce",
        "Type": kind,
        "ID": event_id,
        "Email": email,
        "MessageID": message_id,
        "BouncedAt": when.isoformat(),
        "Description": "The server was unable to deliver your message",
        "Details": "smtp;550 5.1.1 The email account does not exist",
    }


def sent_delivery(email="ana@example.com") -> Delivery:
    (delivery,) = make_deliveries(email=email)
    Delivery.objects.filter(pk=delivery.pk).update(
        status="sent", provider_message_id="pm-0001"
    )
    delivery.refresh_from_db()
    return delivery


def test_a_hard_bounce_marks_the_delivery_bounced_and_suppresses_the_address(client):
    delivery = sent_delivery()
    response = post(client, bounce("Ana@Example.com", message_id="pm-0001"))
    assert response.status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == "bounced"
    suppression = Suppression.objects.get()
    assert (suppression.email, suppression.reason) == ("ana@example.com", "hard_bounce")
    assert suppression.customer == delivery.customer
    assert DeliveryEvent.objects.get().delivery == delivery


def test_a_replayed_event_changes_state_once(client):
    delivery = sent_delivery()
    for _ in range(100):
        assert (
            post(client, bounce("ana@example.com", message_id="pm-0001")).status_code
            == 200
        )
    assert DeliveryEvent.objects.count() == 1
    assert Suppression.objects.count() == 1
    assert Suppression.history.count() == 1
    # Created, then bounced once.
    assert delivery.history.count() == 2


def test_an_event_for_an_address_we_never_sent_to_still_suppresses_it(client):
    post(client, bounce("stranger@example.com"))
    suppression = Suppression.objects.get()
    assert suppression.email == "stranger@example.com"
    assert suppression.customer is None


def test_a_complaint_suppresses_at_once(client):
    post(
        client,
        {
            "RecordType": "SpamComplaint",
            "Type": "SpamComplaint",
            "ID": 9,
            "Email": "ana@example.com",
            "BouncedAt": WHEN.isoformat(),
        },
    )
    assert Suppression.objects.get().reason == "complaint"


def test_three_soft_bounces_within_seven_days_suppress(client):
    for n, days in enumerate((0, 3, 6), start=1):
        post(
            client,
            bounce(
                "ana@example.com",
                kind="Transient",
                event_id=n,
                when=WHEN + timedelta(days=days),
            ),
        )
        assert Suppression.objects.exists() is (n == 3)
    assert Suppression.objects.get().reason == "soft_bounces"


def test_soft_bounces_spread_over_more_than_seven_days_do_not(client):
    for n, days in enumerate((0, 4, 8), start=1):
        post(
            client,
            bounce(
                "ana@example.com",
                kind="Transient",
                event_id=n,
                when=WHEN + timedelta(days=days),
            ),
        )
    assert not Suppression.objects.exists()
    assert DeliveryEvent.objects.filter(is_soft_bounce=True).count() == 3


def test_a_post_without_the_secret_is_refused_and_changes_nothing(client):
    response = post(
        client,
        bounce("ana@example.com"),
        auth="Basic " + base64.b64encode(b"x:y").decode(),
    )
    assert response.status_code == 400
    assert not DeliveryEvent.objects.exists()
    assert not Suppression.objects.exists()
