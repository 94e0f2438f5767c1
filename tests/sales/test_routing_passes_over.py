"""The routing passes over a suppressed address and a person who asked for no
notification emails, says so, and falls back to whom the rule names next."""

import html

import pytest

from communications.models import Delivery
from communications.suppressions import suppression_create
from sales.selectors import customer_who_receives_what, document_routing
from sales.services import document_send
from tests.activity.helpers import page_text
from tests.contacts.factories import ContactFactory
from tests.sales.factories import make_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def bo(customer):
    """The Primary contact: who receives an invoice when the Invoice role cannot."""
    return ContactFactory(
        customer=customer,
        first_name="Bo",
        last_name="Ek",
        email="bo@example.com",
        roles=["primary"],
    )


def test_a_suppressed_assigned_contact_is_passed_over_for_the_role(customer, ivy, bo):
    invoice = make_invoice(customer, contact=ivy)
    suppression_create(email="IVY@example.com", reason="hard_bounce")
    routing = document_routing(document=invoice)
    assert [r.email for r in routing.recipients] == ["bo@example.com"]
    [skipped] = routing.skipped
    assert (skipped.email, skipped.suppressed) == ("ivy@example.com", True)
    assert skipped.why == "address suppressed: hard bounce"


def test_a_person_who_wants_no_notification_emails_is_passed_over(customer, ivy, bo):
    ivy.no_notification_emails = True
    ivy.save()
    routing = document_routing(document=make_invoice(customer))
    assert [r.email for r in routing.recipients] == ["bo@example.com"]
    assert [(s.email, s.why, s.suppressed) for s in routing.skipped] == [
        ("ivy@example.com", "asked for no notification emails", False)
    ]


def test_send_records_the_suppressed_address_as_suppressed_and_sends_instead(
    customer, ivy, bo, editor
):
    suppression_create(email="ivy@example.com", reason="complaint")
    deliveries = document_send(document=make_invoice(customer), sent_by=editor)
    assert sorted((d.email, d.status) for d in deliveries) == [
        ("bo@example.com", "queued"),
        ("ivy@example.com", "suppressed"),
    ]
    assert Delivery.objects.get(email="ivy@example.com").next_attempt_at is None


def test_nobody_left_is_refused_with_what_to_add(customer, ivy, editor):
    from django.core.exceptions import ValidationError

    suppression_create(email="ivy@example.com", reason="hard_bounce")
    with pytest.raises(ValidationError):
        document_send(document=make_invoice(customer), sent_by=editor)
    assert not Delivery.objects.exists()


def test_who_receives_what_and_the_preview_say_who_is_passed_over(
    client_for, editor, customer, ivy, bo
):
    suppression_create(email="ivy@example.com", reason="hard_bounce")
    rows = customer_who_receives_what(customer=customer)
    invoices = next(row for row in rows if row.kind.KIND == "invoice")
    assert [r.email for r in invoices.recipients] == ["bo@example.com"]
    assert [s.email for s in invoices.skipped] == ["ivy@example.com"]

    contacts_tab = page_text(
        client_for(editor).get(f"/customers/{customer.pk}/contacts/")
    )
    assert "Not Ivy Lund: address suppressed: hard bounce" in contacts_tab
    preview = html.unescape(
        page_text(client_for(editor).get(make_invoice(customer).get_send_url()))
    )
    assert (
        "Passed over: Ivy Lund <ivy@example.com> (address suppressed: hard bounce)"
        in preview
    )
    assert "To Bo Ek <bo@example.com> (Primary contact)" in preview
