"""The outbox's background work, as django-tasks tasks. A task only wakes the
outbox up: what to send, and whether it was, is in the outbox's tables."""

from django_tasks import task

from communications import outbox


@task()
def send_deliveries(delivery_ids: list[int]) -> None:
    """Send these deliveries, those still waiting (communications.outbox)."""
    outbox.deliveries_send(ids=delivery_ids)
