import threading

import pytest
from django.db import connection
from django.urls import reverse

from customers.models import Customer
from customers.services import customer_create
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db
CREATE_URL = reverse("customers:create")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("manager", 200), ("editor", 403), ("viewer", 403), ("outsider", 403)],
)
def test_create_access_by_persona(request, client_for, persona, status):
    response = client_for(request.getfixturevalue(persona)).get(CREATE_URL)
    assert response.status_code == status


def test_a_manager_creates_a_customer_with_a_generated_number(client_for, manager):
    client = client_for(manager)
    response = client.post(CREATE_URL, {"name": "Tidal Foods", "is_active": "on"})
    customer = Customer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == customer.get_absolute_url()
    assert customer.number == "C00001"
    message = client.get(response["Location"]).content.decode()
    assert "Customer Tidal Foods (C00001) was created." in message


def test_the_name_is_required(client_for, manager):
    response = client_for(manager).post(CREATE_URL, {"name": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["This field is required."]
    assert not Customer.objects.exists()


def test_a_name_past_its_limit_is_refused_not_cut(client_for, manager):
    response = client_for(manager).post(CREATE_URL, {"name": "x" * 201})
    assert "at most 200 characters" in response.context["form"].errors["name"][0]
    assert not Customer.objects.exists()


def test_numbers_follow_each_other():
    numbers = [customer_create(name=f"Customer {i}").number for i in range(3)]
    assert numbers == ["C00001", "C00002", "C00003"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two real connections at once need PostgreSQL",
)
def test_customers_created_at_the_same_moment_get_different_numbers():
    barrier = threading.Barrier(4)
    numbers, errors = [], []

    def create(index):
        try:
            barrier.wait()
            numbers.append(customer_create(name=f"Concurrent {index}").number)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == ["C00001", "C00002", "C00003", "C00004"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("manager", 200), ("editor", 403), ("viewer", 403), ("outsider", 403)],
)
def test_update_access_by_persona(request, client_for, persona, status):
    customer = CustomerFactory()
    url = reverse("customers:update", args=[customer.pk])
    response = client_for(request.getfixturevalue(persona)).get(url)
    assert response.status_code == status


def test_a_manager_changes_a_customer(client_for, manager):
    customer = CustomerFactory(name="Old name")
    url = reverse("customers:update", args=[customer.pk])
    response = client_for(manager).post(
        url, {"name": "New name", "notes": "VIP", "version": customer.version}
    )
    customer.refresh_from_db()
    assert response.status_code == 302
    assert (customer.name, customer.notes, customer.is_active) == (
        "New name",
        "VIP",
        False,
    )


def test_changes_are_recorded_with_the_user(client_for, manager):
    customer = CustomerFactory(name="Old name")
    url = reverse("customers:update", args=[customer.pk])
    client_for(manager).post(
        url, {"name": "New name", "is_active": "on", "version": customer.version}
    )
    latest = customer.history.first()
    assert latest.history_user == manager
    assert latest.name == "New name"


def test_a_missing_customer_is_404(client_for, manager):
    url = reverse("customers:update", args=[999])
    assert client_for(manager).get(url).status_code == 404
