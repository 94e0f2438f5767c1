"""Send never speaks to the mail server: with one that accepts the connection and
never answers, Send still answers at once, and the worker's time-out is a
temporary failure, retried."""

import time

import pytest
from django.urls import reverse

from communications.models import Delivery
from communications.outbox import deliveries_send
from tests.communications.smtp import hung_mail_server
from tests.sales.factories import make_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_to(settings):
    def use(port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_TIMEOUT = 1

    return use


def test_send_answers_at_once_and_opens_no_connection(
    client_for, editor, customer, ivy, smtp_to, django_capture_on_commit_callbacks
):
    invoice = make_invoice(customer)
    with hung_mail_server() as (port, connections):
        smtp_to(port)
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(editor).post(
                reverse("sales:invoice_send", args=[customer.pk, invoice.pk])
            )
        answered_in = time.monotonic() - started
        assert response.status_code == 302
        assert connections == []
    assert answered_in < 1.0
    assert Delivery.objects.get().status == "queued"


def test_the_workers_time_out_is_retried(customer, ivy, editor, smtp_to):
    from sales.services import document_send

    (delivery,) = document_send(document=make_invoice(customer), sent_by=editor)
    with hung_mail_server() as (port, connections):
        smtp_to(port)
        deliveries_send(ids=[delivery.pk])
        assert len(connections) == 1
    delivery.refresh_from_db()
    assert delivery.status == "deferred"
    assert "timed out" in delivery.last_error.lower()
