"""No way of writing skips the history: the form, the admin, the services and the
commands each leave an entry, with the user who made the change (or "system")."""

import pytest
from django.urls import reverse
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from contacts.models import ContactDetail
from contacts.services.card import contact_detail_create
from contacts.services.links import contact_create, contact_delete, contact_update
from customers import services as customer_services
from tests.activity.helpers import acting_as, entries, lines, log_entries
from tests.contacts.factories import ContactFactory
from tests.customers.factories import AddressFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def test_the_customer_form_records_the_signed_in_user(client_for, manager):
    customer = CustomerFactory(name="Fjord")
    response = client_for(manager).post(
        reverse("customers:update", kwargs={"pk": customer.pk}),
        {
            "name": "Fjord Foods",
            "is_active": "on",
            "notes": "",
            "version": customer.version,
        },
    )
    assert response.status_code == 302
    entry = entries(customer)[0]
    assert entry.who == manager.get_full_name()
    assert lines(entry) == ["Name: Fjord → Fjord Foods"]


def test_the_address_form_records_the_signed_in_user(client_for, manager):
    customer = CustomerFactory()
    response = client_for(manager).post(
        reverse("customers:address_create", kwargs={"customer_pk": customer.pk}),
        {"kind": "billing", "street_line_1": "Dam 1", "city": "Delft", "country": "NL"},
    )
    assert response.status_code == 302
    entry = entries(customer, kind="address")[0]
    assert (entry.action, entry.object) == ("Created", "Billing address Delft")
    assert entry.who == manager.get_full_name()


def test_the_admin_records_the_admin_user_for_the_customer_and_its_inlines(
    admin_client, admin_user
):
    customer = CustomerFactory(name="Fjord")
    address = AddressFactory(customer=customer, city="Leiden")
    data = {
        "name": "Fjord Foods",
        "is_active": "on",
        "notes": "",
        "version": customer.version,
        "addresses-TOTAL_FORMS": "1",
        "addresses-INITIAL_FORMS": "1",
        "addresses-MIN_NUM_FORMS": "0",
        "addresses-MAX_NUM_FORMS": "1000",
        "addresses-0-id": str(address.pk),
        "addresses-0-customer": str(customer.pk),
        "addresses-0-kind": "billing",
        "addresses-0-street_line_1": address.street_line_1,
        "addresses-0-postal_code": address.postal_code,
        "addresses-0-city": "Delft",
        "addresses-0-country": "NL",
        # The contacts and contact details inlines, left empty.
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "contact_details-TOTAL_FORMS": "0",
        "contact_details-INITIAL_FORMS": "0",
    }
    response = admin_client.post(
        reverse("admin:customers_customer_change", args=[customer.pk]), data
    )
    assert response.status_code == 302
    # One save of the admin's page: one entry, with the customer's change and its
    # address's.
    entry = log_entries(customer)[0]
    assert entry.who == admin_user.get_username()
    assert [(change.object, lines(change)) for change in entry.changes] == [
        ("Customer Fjord Foods", ["Name: Fjord → Fjord Foods"]),
        ("Billing address Delft", ["City: Leiden → Delft"]),
    ]


@pytest.mark.parametrize(
    "write",
    [
        lambda customer: customer_services.customer_update(
            customer=customer, data={"notes": "Changed"}
        ),
        lambda customer: customer_services.address_create(
            customer=customer,
            kind="shipping",
            street_line_1="Dam 1",
            city="Delft",
            country="NL",
        ),
        lambda customer: contact_create(customer=customer, first_name="Eva"),
        lambda customer: contact_update(
            contact=ContactFactory(customer=customer), data={"job_title": "Buyer"}
        ),
        lambda customer: contact_delete(contact=ContactFactory(customer=customer)),
        lambda customer: contact_detail_create(
            customer=customer, kind="telephone", value="+31 20 123 4567"
        ),
    ],
    ids=[
        "customer_update",
        "address_create",
        "contact_create",
        "contact_update",
        "contact_delete",
        "contact_detail_create",
    ],
)
def test_each_service_records_the_user_of_the_request(editor, write):
    customer = CustomerFactory()
    with acting_as(editor):
        write(customer)
    assert entries(customer)[0].who == editor.get_full_name()


def test_the_same_service_outside_a_request_is_the_system():
    customer = CustomerFactory()
    contact_detail_create(customer=customer, kind="email", value="info@x.example")
    assert entries(customer)[0].who == "system"


def test_bulk_writes_through_the_history_helpers_leave_entries(editor):
    """What imports must use: simple-history's bulk helpers, which keep the user."""
    customer = CustomerFactory()
    details = bulk_create_with_history(
        [
            ContactDetail(customer=customer, kind="email", value="a@x.example"),
            ContactDetail(customer=customer, kind="website", value="https://x.example"),
        ],
        ContactDetail,
        default_user=editor,
    )
    for detail in details:
        detail.description = "Imported"
    bulk_update_with_history(
        details, ContactDetail, ["description"], default_user=editor
    )
    log = entries(customer, kind="contact_detail")
    assert [entry.action for entry in log] == ["Changed"] * 2 + ["Created"] * 2
    assert {entry.who for entry in log} == {editor.get_full_name()}
    assert lines(log[0]) == ["Description: (empty) → Imported"]
