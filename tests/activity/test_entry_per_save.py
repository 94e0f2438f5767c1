"""One entry of the Activity Log per save: what one request, command run or task wrote
(core.history_groups), with every change inside it."""

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse

from contacts.models import Contact, ContactDetail, ContactRole
from contacts.selectors import contact_card_version
from contacts.services.card import contact_detail_create
from core.history_groups import current_history_group, history_group, new_history_group
from core.worker import Worker
from customers.models import Customer
from tests.activity.helpers import lines, log_entries
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db


def test_a_group_is_a_uuid7_ordered_by_its_moment():
    moment = datetime(2026, 12, 6, 1, 0, tzinfo=UTC)
    later = [moment + timedelta(microseconds=n) for n in (0, 1, 999, 1000, 10**6)]
    groups = [new_history_group(each) for each in later]
    assert all(group.version == 7 for group in groups)
    assert all(group.variant == uuid.RFC_4122 for group in groups)
    assert groups == sorted(groups)
    assert len({new_history_group(moment) for _ in range(100)}) == 100
    assert new_history_group() > groups[-1]


def test_records_written_inside_a_group_share_it_and_outside_get_their_own():
    with history_group() as group:
        assert current_history_group() == group
        customer = CustomerFactory(name="Fjord")
        contact_detail_create(customer=customer, kind="email", value="a@x.example")
    assert {
        *Customer.history.values_list("history_group", flat=True),
        *customer.contact_details.model.history.values_list("history_group", flat=True),
    } == {group}
    customer.name = "Fjord Foods"
    customer.save()
    assert current_history_group() != current_history_group()
    assert Customer.history.latest().history_group != group


def test_one_card_save_of_three_changes_is_one_entry_listing_them_all(
    client_for, editor
):
    customer = CustomerFactory(name="Fjord Foods")
    billing_address(customer, country="NL")
    contact_detail_create(customer=customer, kind="email", value="info@fjord.example")
    data = {
        "version": contact_card_version(customer=customer),
        "email": "sales@fjord.example",
        "email_description": "",
        "telephone": "020 123 4567",
        "telephone_description": "",
        "mobile": "",
        "mobile_description": "",
        "website": "fjord.example",
        "website_description": "",
        "additional-TOTAL_FORMS": "0",
        "additional-INITIAL_FORMS": "0",
        "additional-MIN_NUM_FORMS": "0",
        "additional-MAX_NUM_FORMS": "1000",
    }
    before = len(log_entries(customer))
    response = client_for(editor).post(
        reverse("contacts:contact_details_edit", args=[customer.pk]), data
    )
    assert response.status_code == 302
    log = log_entries(customer)
    assert len(log) == before + 1
    entry = log[0]
    assert entry.who == editor.get_full_name()
    assert [(change.action, change.object) for change in entry.changes] == [
        ("Changed", "Email Address sales@fjord.example"),
        ("Created", "Telephone +31 20 123 4567"),
        ("Created", "Website https://fjord.example"),
    ]
    assert lines(entry.changes[0]) == [
        "Value: info@fjord.example → sales@fjord.example"
    ]


def test_adding_a_contact_with_roles_is_one_created_entry_with_its_roles(
    client_for, editor
):
    customer = CustomerFactory(name="Fjord Foods")
    billing_address(customer, country="NL")
    roles = ContactRole.objects.filter(code__in=["order", "invoice"])
    response = client_for(editor).post(
        reverse("contacts:create", args=[customer.pk]),
        {
            "first_name": "Anna",
            "last_name": "de Vries",
            "email": "anna@fjord.example",
            "phone": "06 12345678",
            "job_title": "Buyer",
            "department": "Purchasing",
            "roles": [str(role.pk) for role in roles],
        },
    )
    assert response.status_code == 302
    # Two records (the contact, then its roles), one save, one change.
    assert Contact.history.count() == 2
    [entry] = log_entries(customer)[:1]
    [change] = entry.changes
    assert (change.action, change.object) == ("Created", "Contact Anna de Vries")
    assert "Roles: " + ", ".join(sorted(str(role) for role in roles)) in lines(change)


def test_what_one_worker_task_writes_is_one_group():
    def task():
        customer = CustomerFactory(name="Fjord")
        contact_detail_create(customer=customer, kind="email", value="a@x.example")
        return True

    Worker.run_one_task(SimpleNamespace(_run_one_task=task))
    Worker.run_one_task(SimpleNamespace(_run_one_task=task))
    customers = Customer.history.order_by("history_id")
    details = ContactDetail.history.order_by("history_id")
    assert [record.history_group for record in customers] == [
        record.history_group for record in details
    ]
    assert customers[0].history_group != customers[1].history_group
