import pytest
from django.urls import reverse

from customers.models import Address
from tests.customers.factories import AddressFactory, CustomerFactory

pytestmark = pytest.mark.django_db

ADDRESS = {
    "kind": "billing",
    "street_line_1": "Marienplatz 1",
    "postal_code": "80331",
    "city": "München",
    "country": "DE",
}


@pytest.fixture
def customer():
    return CustomerFactory()


def urls(customer, address):
    return {
        "list": reverse("customers:addresses", args=[customer.pk]),
        "create": reverse("customers:address_create", args=[customer.pk]),
        "update": reverse("customers:address_update", args=[customer.pk, address.pk]),
        "delete": reverse("customers:address_delete", args=[customer.pk, address.pk]),
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("manager", {"list": 200, "create": 200, "update": 200, "delete": 200}),
        ("editor", {"list": 200, "create": 403, "update": 403, "delete": 403}),
        ("viewer", {"list": 200, "create": 403, "update": 403, "delete": 403}),
        ("outsider", {"list": 403, "create": 403, "update": 403, "delete": 403}),
    ],
)
def test_access_by_persona(request, client_for, customer, persona, expected):
    address = AddressFactory(customer=customer)
    client = client_for(request.getfixturevalue(persona))
    answers = {
        name: client.get(url).status_code
        for name, url in urls(customer, address).items()
    }
    assert answers == expected


def test_anonymous_is_sent_to_sign_in(client, customer):
    address = AddressFactory(customer=customer)
    for url in urls(customer, address).values():
        assert client.get(url).status_code == 302


def test_another_customers_address_is_404_through_this_customers_url(
    client_for, manager, customer
):
    elsewhere = AddressFactory(customer=CustomerFactory())
    client = client_for(manager)
    for name in ("update", "delete"):
        assert client.get(urls(customer, elsewhere)[name]).status_code == 404
    assert client.post(urls(customer, elsewhere)["delete"]).status_code == 404
    assert Address.objects.filter(pk=elsewhere.pk).exists()


def test_delete_is_refused_by_get_without_deleting(client_for, manager, customer):
    address = AddressFactory(customer=customer)
    client_for(manager).get(urls(customer, address)["delete"])
    assert Address.objects.filter(pk=address.pk).exists()


def test_a_manager_adds_an_address(client_for, manager, customer):
    client = client_for(manager)
    response = client.post(
        reverse("customers:address_create", args=[customer.pk]), ADDRESS
    )
    assert response.status_code == 302
    address = customer.addresses.get()
    assert (address.kind, address.city, address.country.code) == (
        "billing",
        "München",
        "DE",
    )
    assert "The address was added." in client.get(response["Location"]).content.decode()


def test_a_second_billing_address_is_refused_at_the_kind_field(
    client_for, manager, customer
):
    AddressFactory(customer=customer, kind="billing")
    response = client_for(manager).post(
        reverse("customers:address_create", args=[customer.pk]), ADDRESS
    )
    assert response.status_code == 200
    assert response.context["form"].errors["kind"] == [
        "This customer already has a billing address."
    ]
    assert customer.addresses.count() == 1
    # The form comes back as the user typed it.
    assert 'value="Marienplatz 1"' in response.content.decode()


def test_a_billing_address_may_be_changed_without_tripping_the_rule(
    client_for, manager, customer
):
    address = AddressFactory(customer=customer, kind="billing")
    response = client_for(manager).post(
        urls(customer, address)["update"], {**ADDRESS, "version": address.version}
    )
    address.refresh_from_db()
    assert response.status_code == 302
    assert address.city == "München"


def test_required_fields_and_unknown_countries_are_refused(
    client_for, manager, customer
):
    response = client_for(manager).post(
        reverse("customers:address_create", args=[customer.pk]),
        {"kind": "billing", "country": "XX"},
    )
    errors = response.context["form"].errors
    assert set(errors) == {"street_line_1", "city", "country"}
    assert not customer.addresses.exists()


def test_an_http_delete_is_refused_so_the_service_is_not_bypassed(
    client_for, manager, customer
):
    address = AddressFactory(customer=customer)
    response = client_for(manager).delete(urls(customer, address)["delete"])
    assert response.status_code == 405
    assert Address.objects.filter(pk=address.pk).exists()


def test_a_manager_deletes_an_address(client_for, manager, customer):
    address = AddressFactory(customer=customer)
    response = client_for(manager).post(urls(customer, address)["delete"])
    assert response.status_code == 302
    assert not customer.addresses.exists()
    assert address.history.filter(history_type="-").get().history_user == manager


def test_buttons_are_hidden_from_those_who_may_not_use_them(
    client_for, viewer, customer
):
    address = AddressFactory(customer=customer)
    content = client_for(viewer).get(urls(customer, address)["list"]).content.decode()
    assert "Add address" not in content
    assert urls(customer, address)["update"] not in content
    assert urls(customer, address)["delete"] not in content


def test_the_tab_is_hidden_from_users_without_address_permission(
    client_for, outsider, customer
):
    from django.contrib.auth.models import Permission

    outsider.user_permissions.add(Permission.objects.get(codename="view_customer"))
    content = client_for(outsider).get(customer.get_absolute_url()).content.decode()
    assert ">Addresses</a>" not in content


def test_changes_need_the_csrf_token(manager, customer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    response = client.post(
        reverse("customers:address_create", args=[customer.pk]), ADDRESS
    )
    assert response.status_code == 403
    assert not customer.addresses.exists()
