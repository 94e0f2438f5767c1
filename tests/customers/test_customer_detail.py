import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.customers.factories import AddressFactory, CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status"),
    [("viewer", 200), ("editor", 200), ("manager", 200), ("outsider", 403)],
)
def test_access_by_persona(request, client_for, persona, status):
    customer = CustomerFactory()
    url = reverse("customers:detail", args=[customer.pk])
    response = client_for(request.getfixturevalue(persona)).get(url)
    assert response.status_code == status


def test_anonymous_is_sent_to_sign_in(client):
    customer = CustomerFactory()
    response = client.get(reverse("customers:detail", args=[customer.pk]))
    assert response.status_code == 302


def test_the_overview_shows_name_number_tabs_and_billing_address(client_for, viewer):
    customer = CustomerFactory(name="Harbor Systems")
    AddressFactory(customer=customer, street_line_1="Coolsingel 1", city="Rotterdam")
    content = client_for(viewer).get(customer.get_absolute_url()).content.decode()
    assert "Harbor Systems" in content
    assert customer.number in content
    assert ">Overview</a>" in content
    assert ">Addresses</a>" in content
    assert "Coolsingel 1" in content


def test_the_billing_address_shows_only_to_those_who_may_view_addresses(
    client_for, outsider
):
    """As the Addresses tab: a user who may view customers but not addresses sees
    the Overview without the billing address."""
    customer = CustomerFactory(name="Harbor Systems")
    AddressFactory(customer=customer, street_line_1="Coolsingel 1", city="Rotterdam")
    outsider.user_permissions.add(
        Permission.objects.get(
            codename="view_customer", content_type__app_label="customers"
        )
    )
    client = client_for(outsider)

    content = client.get(customer.get_absolute_url()).content.decode()

    assert "Harbor Systems" in content
    assert "Coolsingel 1" not in content
    assert (
        client.get(reverse("customers:addresses", args=[customer.pk])).status_code
        == 403
    )


def test_the_change_button_shows_only_to_those_who_may_change(
    client_for, viewer, manager
):
    customer = CustomerFactory()
    change_url = reverse("customers:update", args=[customer.pk])
    assert (
        change_url
        not in client_for(viewer).get(customer.get_absolute_url()).content.decode()
    )
    assert (
        change_url
        in client_for(manager).get(customer.get_absolute_url()).content.decode()
    )


def test_an_unknown_customer_is_404(client_for, viewer):
    assert (
        client_for(viewer).get(reverse("customers:detail", args=[4242])).status_code
        == 404
    )
