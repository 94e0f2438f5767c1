import pytest
from django.urls import reverse

from customers.models import Customer
from tests.customers.factories import AddressFactory, CustomerFactory

pytestmark = pytest.mark.django_db

INLINE = "addresses"


def inline_management(total, initial=0):
    return {
        f"{INLINE}-TOTAL_FORMS": str(total),
        f"{INLINE}-INITIAL_FORMS": str(initial),
        f"{INLINE}-MIN_NUM_FORMS": "0",
        f"{INLINE}-MAX_NUM_FORMS": "1000",
        # The contacts and contact details inlines, left empty.
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "contact_details-TOTAL_FORMS": "0",
        "contact_details-INITIAL_FORMS": "0",
    }


def address_row(index, kind, city):
    return {
        f"{INLINE}-{index}-kind": kind,
        f"{INLINE}-{index}-street_line_1": f"Street {index}",
        f"{INLINE}-{index}-city": city,
        f"{INLINE}-{index}-country": "NL",
    }


def test_the_admin_adds_a_customer_with_an_address_and_a_number(admin_client):
    data = {"name": "Admin Customer", "is_active": "on", **inline_management(1)}
    data.update(address_row(0, "billing", "Leiden"))
    response = admin_client.post(reverse("admin:customers_customer_add"), data)
    assert response.status_code == 302
    customer = Customer.objects.get(name="Admin Customer")
    assert customer.number.startswith("C")
    assert customer.addresses.get().city == "Leiden"


def test_two_billing_rows_in_one_admin_save_give_a_form_error(admin_client):
    data = {"name": "Admin Customer", "is_active": "on", **inline_management(2)}
    data.update(address_row(0, "billing", "Leiden"))
    data.update(address_row(1, "billing", "Delft"))
    response = admin_client.post(reverse("admin:customers_customer_add"), data)
    assert response.status_code == 200
    assert "This customer already has a billing address." in response.content.decode()
    assert not Customer.objects.exists()


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:customers_customer_changelist",
        "admin:customers_address_changelist",
        "admin:auth_user_changelist",
        "admin:auth_group_changelist",
    ],
)
def test_admin_lists_open_with_search(admin_client, url_name):
    AddressFactory(customer=CustomerFactory(name="Fjord"))
    response = admin_client.get(reverse(url_name), {"q": "Fjord"})
    assert response.status_code == 200


def test_the_admin_shows_a_customers_history(admin_client):
    customer = CustomerFactory()
    url = reverse("admin:customers_customer_history", args=[customer.pk])
    assert admin_client.get(url).status_code == 200
