from contextlib import contextmanager
from types import SimpleNamespace

from django.utils.html import strip_tags
from simple_history.models import HistoricalRecords

from activity.selectors import customer_activity_page


@contextmanager
def acting_as(user):
    """Writes inside the block are recorded as `user`'s, as they are during a request
    (simple-history's middleware sets the same thread-local request)."""
    HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        del HistoricalRecords.context.request


def log_entries(customer, **filters):
    """The first page of the customer's Activity Log, newest first: one entry per
    save, each with its changes."""
    return customer_activity_page(customer_id=customer.pk, **filters).object_list


def entries(customer, **filters):
    """The changes on the first page of the log, newest entry first, each with its
    entry's who and when. Outside a request (most tests call the services) every
    record is its own entry, so these are the entries."""
    return [
        SimpleNamespace(**vars(change), who=entry.who, when=entry.when)
        for entry in log_entries(customer, **filters)
        for change in entry.changes
    ]


def lines(entry) -> list[str]:
    return [str(line) for line in entry.lines]


def page_text(response) -> str:
    """The words of the page as a person reads them: no tags, single spaces."""
    return " ".join(strip_tags(response.content.decode()).split())
