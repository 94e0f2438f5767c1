"""Failed communications: every delivery that needs a person, filtered by status,
retried up to 100 at a time."""

import pytest
from django.urls import reverse

from communications.models import Delivery
from communications.suppressions import suppression_create
from sales.services import document_send
from tests.activity.helpers import page_text
from tests.communications.factories import make_deliveries
from tests.sales.factories import make_invoice

pytestmark = pytest.mark.django_db

URL = reverse("communications:failed")
RETRY = reverse("communications:retry")


def with_status(delivery: Delivery, status: str, error: str = "") -> Delivery:
    Delivery.objects.filter(pk=delivery.pk).update(status=status, last_error=error)
    delivery.refresh_from_db()
    return delivery


@pytest.fixture
def failed(customer, ivy, editor):
    """An invoice's email that failed, with its reason, customer, contact and
    document."""
    invoice = make_invoice(customer, reference="PO-1")
    (delivery,) = document_send(document=invoice, sent_by=editor)
    return with_status(delivery, "failed", "550 5.1.1 no such user")


def test_it_lists_what_needs_a_person_with_reason_customer_contact_and_document(
    client_for, viewer, failed, customer
):
    (sent,) = make_deliveries(customer=customer, email="fine{n}@example.com")
    with_status(sent, "sent")
    text = page_text(client_for(viewer).get(URL))
    assert "ivy@example.com Failed 550 5.1.1 no such user Fjord Foods Ivy Lund" in text
    assert f"Invoice {failed.about.number}" in text
    assert "fine0@example.com" not in text


def test_each_status_can_be_shown_alone(client_for, viewer, customer):
    deliveries = make_deliveries(4, customer=customer)
    for delivery, status in zip(
        deliveries, ["failed", "bounced", "suppressed", "unconfirmed"], strict=True
    ):
        with_status(delivery, status)
    client = client_for(viewer)
    for delivery in deliveries:
        shown = client.get(URL, {"status": delivery.status}).context["deliveries"]
        assert [d.pk for d in shown] == [delivery.pk]
    assert len(client.get(URL).context["deliveries"]) == 4
    # An unknown status shows them all rather than failing.
    assert len(client.get(URL, {"status": "sent"}).context["deliveries"]) == 4


def test_the_reason_of_a_suppressed_address_is_its_suppression(
    client_for, viewer, customer
):
    (delivery,) = make_deliveries(customer=customer)
    with_status(delivery, "suppressed")
    suppression_create(email=delivery.email, reason="complaint")
    assert "Spam complaint on" in page_text(client_for(viewer).get(URL))


def test_the_page_costs_the_same_whatever_the_number_of_rows(
    client_for, viewer, customer, ivy, editor, django_assert_num_queries
):
    for _ in range(3):
        for delivery in document_send(document=make_invoice(customer), sent_by=editor):
            with_status(delivery, "failed")
    client = client_for(viewer)
    client.get(URL)  # content types cached
    # 1 session, 2 user, 3-4 permissions, 5 the count, 6 the page of deliveries
    # with customer, contact and content type, 7 the invoices they are about, 8 the
    # standing suppressions of their addresses.
    with django_assert_num_queries(8):
        client.get(URL)


def test_staff_retry_what_they_select(
    client_for, editor, failed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(editor).post(
            RETRY, {"delivery": [failed.pk], "next": URL + "?status=failed"}
        )
    assert response.status_code == 302
    assert response["Location"] == URL + "?status=failed"
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == ("queued", 0, "")
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.get().args_kwargs["args"] == [[failed.pk]]


def test_a_retry_of_a_still_suppressed_address_is_refused_with_why(
    client_for, editor, customer
):
    (delivery,) = make_deliveries(customer=customer)
    with_status(delivery, "suppressed")
    suppression_create(email=delivery.email, reason="hard_bounce")
    response = client_for(editor).post(RETRY, {"delivery": [delivery.pk]}, follow=True)
    assert "still suppressed" in page_text(response)
    delivery.refresh_from_db()
    assert delivery.status == "suppressed"


def test_more_than_100_at_once_are_refused(client_for, editor, customer):
    deliveries = make_deliveries(101, customer=customer)
    Delivery.objects.update(status="failed")
    response = client_for(editor).post(
        RETRY, {"delivery": [d.pk for d in deliveries]}, follow=True
    )
    assert "Select at most 100 communications to retry at once." in page_text(response)
    assert not Delivery.objects.exclude(status="failed").exists()


def test_a_sent_delivery_is_not_queued_again(client_for, editor, customer):
    (delivery,) = make_deliveries(customer=customer)
    with_status(delivery, "sent")
    response = client_for(editor).post(RETRY, {"delivery": [delivery.pk]}, follow=True)
    assert "None of these communications needs a retry" in page_text(response)
    delivery.refresh_from_db()
    assert delivery.status == "sent"


def test_who_may_see_and_retry(client_for, viewer, outsider, failed):
    assert client_for(outsider).get(URL).status_code == 403
    viewer_page = client_for(viewer).get(URL)
    assert viewer_page.status_code == 200
    assert 'name="delivery"' not in viewer_page.content.decode()
    assert client_for(viewer).post(RETRY, {"delivery": [failed.pk]}).status_code == 403
    failed.refresh_from_db()
    assert failed.status == "failed"


def test_the_navigation_offers_it_to_those_who_may_see_documents(client_for, viewer):
    page = client_for(viewer).get("/customers/").content.decode()
    assert f'<a href="{URL}">Failed communications</a>' in page
