"""A customer deleted in the admin while an invoice is made for one of its contacts,
on two real database connections (PostgreSQL only: see tests.concurrency).

Both take the customer's lock first. An invoice made first protects the customer:
the admin says it cannot be deleted. A deletion that comes first goes through and
the invoice is refused with a message. Never a foreign key error (a server error).
"""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from customers.models import Customer
from sales.models import Invoice
from sales.services import CUSTOMER_DELETED_MESSAGE, document_create
from tests.concurrency import RACE_TEST, one_after_the_other
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory

pytestmark = RACE_TEST


def _setup():
    customer = CustomerFactory()
    contact = ContactFactory(customer=customer, roles=[])
    admin = User.objects.create_superuser("root", "root@x.example", "pw")
    return customer, contact, admin


def _delete_in_the_admin(customer, admin):
    def call():
        client = Client()
        client.force_login(admin)
        url = reverse("admin:customers_customer_delete", args=[customer.pk])
        return client.post(url, {"post": "yes"})

    return call


def _create_invoice(customer, contact):
    return lambda: document_create(
        kind=Invoice, customer=customer, contact=contact, amount="10"
    )


def test_an_invoice_made_first_protects_the_customer_from_the_admins_delete():
    customer, contact, admin = _setup()
    made, response = one_after_the_other(
        _create_invoice(customer, contact), _delete_in_the_admin(customer, admin)
    )
    assert isinstance(made, Invoice), made
    assert response.status_code == 200, response
    assert "would require deleting the following protected" in (
        response.content.decode()
    )
    assert Customer.objects.filter(pk=customer.pk).exists()


def test_a_customer_deleted_first_in_the_admin_refuses_the_invoice():
    customer, contact, admin = _setup()
    response, made = one_after_the_other(
        _delete_in_the_admin(customer, admin), _create_invoice(customer, contact)
    )
    assert response.status_code == 302, response
    assert isinstance(made, ValidationError), made
    assert made.messages == [str(CUSTOMER_DELETED_MESSAGE)]
    assert not Customer.objects.filter(pk=customer.pk).exists()
    assert not Invoice.objects.exists()
