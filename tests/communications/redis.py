"""The real Redis for the outbox's tests on django-tasks-rq: OUTBOX_TEST_REDIS_URL
(CI sets it, .ci/run; unset: those tests are skipped), and a queue of this run's
own, so parallel runs never share one; removed afterwards."""

import os
import uuid

import pytest

REDIS_URL = os.environ.get("OUTBOX_TEST_REDIS_URL", "")

needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="set OUTBOX_TEST_REDIS_URL to run on django-tasks-rq"
)


@pytest.fixture
def rq_queue(settings):
    """The tasks go to Redis (django-tasks-rq) in a queue named for this test."""
    import django_rq

    name = f"outbox-test-{uuid.uuid4().hex[:12]}"
    settings.RQ_QUEUES = {name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [name]}
    }
    settings.COMMUNICATIONS_QUEUE = name
    yield name
    # Its jobs and their results, then the queue's own keys; the workers' keys
    # expire by themselves (RQ sets them a time to live when a worker stops).
    queue = django_rq.get_queue(name)
    redis = queue.connection
    for registry in (
        queue.finished_job_registry,
        queue.started_job_registry,
        queue.failed_job_registry,
    ):
        for job_id in registry.get_job_ids():
            redis.delete(f"rq:job:{job_id}", f"rq:results:{job_id}")
    for job_id in queue.job_ids:
        redis.delete(f"rq:job:{job_id}", f"rq:results:{job_id}")
    for key in redis.scan_iter(match=f"*{name}*"):
        redis.delete(key)
    redis.srem("rq:queues", queue.key)
