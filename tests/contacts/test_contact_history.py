import pytest
from django.urls import reverse

from contacts.models import ContactRole
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db


def roles_in(record) -> set[str]:
    return {
        ContactRole.objects.get(pk=row.contactrole_id).code
        for row in record.roles.all()
    }


def test_the_history_records_a_role_change_with_the_user(client_for, editor):
    customer = CustomerFactory()
    billing_address(customer)
    contact = ContactFactory(customer=customer, first_name="Anna", roles=["primary"])
    order, invoice = (
        ContactRole.objects.get(code=code).pk for code in ("order", "invoice")
    )
    response = client_for(editor).post(
        reverse("contacts:update", args=[customer.pk, contact.pk]),
        {"first_name": "Anna", "roles": [order, invoice], "version": contact.version},
    )
    assert response.status_code == 302
    latest = contact.history.latest()
    assert latest.history_user == editor
    assert roles_in(latest) == {"order", "invoice"}
    assert roles_in(contact.history.earliest()) == set()
    assert any(roles_in(record) == {"primary"} for record in contact.history.all())


def test_the_history_records_who_added_and_deleted_a_contact(client_for, editor):
    customer = CustomerFactory()
    client = client_for(editor)
    client.post(
        reverse("contacts:create", args=[customer.pk]),
        {"first_name": "Anna", "roles": [ContactRole.objects.get(code="primary").pk]},
    )
    contact = customer.contacts.get()
    assert contact.history.earliest().history_user == editor
    assert contact.history.earliest().history_type == "+"
    assert roles_in(contact.history.latest()) == {"primary"}
    client.post(reverse("contacts:delete", args=[customer.pk, contact.pk]))
    deleted = contact.history.model.objects.filter(id=contact.pk).latest()
    assert deleted.history_type == "-"
    assert deleted.history_user == editor
    assert deleted.first_name == "Anna"
