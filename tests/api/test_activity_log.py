"""A write through the API is in the customer's Activity Log under the token's
user, as the same write made on a page is under the signed-in user."""

import pytest
from django.urls import reverse

from customers.models import Customer
from tests.activity.helpers import entries, lines, page_text
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db


def test_a_change_of_a_customer_is_logged_under_the_tokens_user(
    api_for, manager, client
):
    customer = CustomerFactory(name="Fjord")
    api = api_for(manager)
    url = f"/api/v1/customers/{customer.pk}/"

    api.patch(url, {"name": "Fjord Foods"}, if_match=api.get(url)["ETag"])

    assert Customer.history.latest("history_id").history_user_id == manager.pk
    entry = entries(customer)[0]
    assert entry.who == manager.get_full_name()
    assert lines(entry) == ["Name: Fjord → Fjord Foods"]
    client.force_login(manager)
    log = page_text(client.get(reverse("activity:list", args=[customer.pk])))
    assert f"{manager.get_full_name()}" in log
    assert "Fjord → Fjord Foods" in log


def test_a_contact_detail_and_a_billing_address_written_by_the_api_are_logged(
    api_for, manager
):
    customer = CustomerFactory()
    billing_address(customer, city="Utrecht")
    api = api_for(manager)
    url = f"/api/v1/customers/{customer.pk}/"

    api.post(
        "/api/v1/contact-details/",
        {"customer": customer.pk, "kind": "email", "value": "info@example.com"},
    )
    api.patch(
        url, {"billing_address": {"city": "Delft"}}, if_match=api.get(url)["ETag"]
    )

    detail, address = (
        entries(customer, kind="contact_detail")[0],
        entries(customer, kind="address")[0],
    )
    assert (detail.action, detail.who) == ("Created", manager.get_full_name())
    assert (address.who, lines(address)) == (
        manager.get_full_name(),
        ["City: Utrecht → Delft"],
    )


def test_a_contact_added_changed_and_deleted_by_the_api_is_logged_under_the_token(
    api_for, editor
):
    customer = CustomerFactory()
    api = api_for(editor)

    added = api.post(
        "/api/v1/contacts/",
        {"customer": customer.pk, "first_name": "Jan", "roles": ["order"]},
    )
    url = f"/api/v1/contacts/{added.json()['id']}/"
    changed = api.patch(
        url, {"job_title": "Buyer", "roles": ["invoice"]}, if_match=added["ETag"]
    )
    api.delete(url, if_match=changed["ETag"])

    # Three requests, three entries: the contact and its roles are one change each.
    logged = entries(customer, kind="contact")
    assert {entry.who for entry in logged} == {editor.get_full_name()}
    assert [entry.action for entry in logged] == ["Deleted", "Changed", "Created"]
    assert "Roles: Order" in lines(logged[2])
    assert lines(logged[1]) == [
        "Job title: (empty) → Buyer",
        "Roles: added Invoice; removed Order",
    ]
