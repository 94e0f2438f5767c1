"""A suppressed address is marked where staff look, and a manager lifts it with a
reason that the Activity Log keeps."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from communications.models import Suppression
from communications.suppressions import suppression_create
from contacts.services.card import contact_detail_create
from contacts.services.links import contact_update
from tests.activity.helpers import entries, page_text
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def suppressed(ivy):
    return suppression_create(
        email="ivy@example.com", reason="hard_bounce", detail="550 5.1.1 unknown"
    )


def lift_url(customer, suppression):
    return reverse(
        "communications:suppression_lift",
        kwargs={"customer_pk": customer.pk, "pk": suppression.pk},
    )


def test_the_contacts_tab_marks_the_persons_email(
    client_for, viewer, customer, suppressed
):
    text = page_text(
        client_for(viewer).get(reverse("contacts:list", args=[customer.pk]))
    )
    # Below the address (a line break, which the text leaves out).
    assert "ivy@example.comSuppressed Nothing is sent to this address: Hard bou" in text
    assert "550 5.1.1 unknown." in text
    # Only a manager is offered to lift it.
    assert "Lift suppression" not in text


def test_a_manager_is_offered_to_lift_it(client_for, manager, customer, suppressed):
    page = client_for(manager).get(reverse("contacts:list", args=[customer.pk]))
    assert lift_url(customer, suppressed) in page.content.decode()


def test_the_contact_card_marks_its_address(client_for, viewer, customer):
    contact_detail_create(customer=customer, kind="email", value="info@fjord.example")
    suppression_create(email="info@fjord.example", reason="complaint")
    text = page_text(
        client_for(viewer).get(reverse("customers:detail", args=[customer.pk]))
    )
    assert (
        "info@fjord.example Suppressed Nothing is sent to this address: Spam complaint"
        in text
    )


def test_find_anyone_marks_it(client_for, viewer, suppressed):
    text = page_text(
        client_for(viewer).get(reverse("search:results"), {"q": "ivy@example"})
    )
    assert "Suppressed" in text


def test_check_contacts_lists_suppressed_addresses_in_use(customer, suppressed, capsys):
    with pytest.raises(CommandError):
        call_command("check_contacts")
    out = capsys.readouterr().out
    assert "Suppressed email addresses in use:" in out
    assert f"{customer.number} contact Ivy Lund: ivy@example.com (Hard bounce)" in out


def test_changing_the_address_clears_the_mark(
    client_for, viewer, customer, ivy, suppressed
):
    contact_update(contact=ivy, data={"email": "ivy.lund@example.com"})
    text = page_text(
        client_for(viewer).get(reverse("contacts:list", args=[customer.pk]))
    )
    assert "Suppressed" not in text
    # The old address stays suppressed: it still bounces.
    assert Suppression.objects.get().lifted_at is None


def test_a_manager_lifts_it_with_a_reason_kept_in_the_activity_log(
    client_for, manager, customer, suppressed
):
    client = client_for(manager)
    url = lift_url(customer, suppressed)
    assert client.get(url).status_code == 200
    refused = client.post(url, {"lift_reason": ""})
    assert refused.status_code == 200
    assert Suppression.objects.get().lifted_at is None
    response = client.post(url, {"lift_reason": "She fixed her mailbox."}, follow=True)
    assert "The suppression of ivy@example.com is lifted" in page_text(response)
    suppressed.refresh_from_db()
    assert (suppressed.lift_reason, suppressed.lifted_by) == (
        "She fixed her mailbox.",
        manager,
    )
    entry = next(
        e
        for e in entries(customer)
        if e.kind == "Suppression" and e.action == "Changed"
    )
    assert any("She fixed her mailbox." in str(line) for line in entry.lines)
    # Lifted: gone from the pages, and lifting again is not found.
    assert client.get(url).status_code == 404


def test_only_managers_lift_and_only_the_customers_addresses(
    client_for, editor, manager, customer, suppressed
):
    assert client_for(editor).get(lift_url(customer, suppressed)).status_code == 403
    other = ContactFactory(email="someone@elsewhere.example").customer
    assert client_for(manager).get(lift_url(other, suppressed)).status_code == 404
