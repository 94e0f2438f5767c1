"""The outbox on django-tasks-rq, against a real Redis: the same behaviour as on
the database backend, since the state is in the outbox's own tables."""

import pytest
from django.core import mail

from communications.models import Delivery
from communications.outbox import deliveries_requeue
from core.worker import Worker
from tests.communications.factories import make_deliveries
from tests.communications.redis import needs_redis, rq_queue  # noqa: F401

pytestmark = [pytest.mark.django_db, needs_redis]


def test_a_send_is_queued_in_redis_and_the_worker_sends_it(
    rq_queue,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    import django_rq

    with django_capture_on_commit_callbacks(execute=True):
        deliveries = make_deliveries(3)
    assert django_rq.get_queue(rq_queue).count == 1  # one task for the batch
    worker = Worker(interval=0.01)
    assert worker.run_one_task() is True
    assert worker.run_one_task() is False
    worker._rq.close()
    assert [Delivery.objects.get(pk=d.pk).status for d in deliveries] == ["sent"] * 3
    assert len(mail.outbox) == 3


def test_the_sweep_asks_redis_again_for_a_lost_task(
    rq_queue,  # noqa: F811
    django_capture_on_commit_callbacks,
    settings,
):
    import django_rq
    from django.utils import timezone

    settings.COMMUNICATIONS_REQUEUE_SECONDS = 0
    (delivery,) = make_deliveries()  # its task never reached Redis
    assert django_rq.get_queue(rq_queue).count == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_requeue(now=timezone.now()) == 1
    worker = Worker(interval=0.01)
    assert worker.run_one_task() is True
    worker._rq.close()
    delivery.refresh_from_db()
    assert delivery.status == "sent"
