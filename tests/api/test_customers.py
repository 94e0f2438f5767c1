"""The customers resource: read with the billing address and the contact card,
found by email or phone number as Find anyone finds them, written through the
customers' services."""

import pytest
from django.contrib.auth.models import Permission

from contacts.services.card import contact_detail_create
from customers.models import Address, Customer
from tests.api.conftest import codes
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory, billing_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CUSTOMERS = "/api/v1/customers/"


def url(customer) -> str:
    return f"{CUSTOMERS}{customer.pk}/"


def user_with(*codenames):
    user = UserFactory()
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def test_a_customer_reads_with_its_billing_address_and_its_contact_card(
    api_for, viewer
):
    customer = CustomerFactory(name="Fjord Foods", notes="Mondays")
    billing_address(customer, country="NL", city="Utrecht")
    Address.objects.create(
        customer=customer,
        kind="shipping",
        street_line_1="Dock 1",
        city="Rotterdam",
        country="NL",
    )
    contact_detail_create(customer=customer, kind="telephone", value="030 123 4567")

    data = api_for(viewer).get(url(customer)).json()

    assert data["number"] == customer.number
    assert (data["name"], data["notes"], data["is_active"]) == (
        "Fjord Foods",
        "Mondays",
        True,
    )
    assert data["billing_address"]["city"] == "Utrecht"
    assert data["billing_address"]["country"] == "NL"
    [detail] = data["contact_card"]
    assert detail["value"] == "+31301234567"
    assert detail["display_value"] == "+31 30 123 4567"
    assert detail["is_primary"] is True


def test_what_the_user_may_not_view_is_left_out(api_for):
    customer = CustomerFactory()
    billing_address(customer)
    user = user_with("view_customer")

    data = api_for(user).get(url(customer)).json()

    assert "billing_address" not in data
    assert "contact_card" not in data
    assert data["name"] == customer.name


def test_the_list_costs_the_same_queries_whatever_the_number_of_customers(
    api_for, viewer, django_assert_num_queries
):
    api = api_for(viewer)

    def add_customers(count):
        for _ in range(count):
            customer = CustomerFactory()
            billing_address(customer)
            contact_detail_create(
                customer=customer, kind="email", value=f"a{customer.pk}@example.com"
            )

    add_customers(2)
    api.get(CUSTOMERS)  # the token's last use written
    # The token (with its user), the user's own and groups' permissions, the page,
    # the billing addresses, the contact cards.
    with django_assert_num_queries(6):
        assert len(api.get(CUSTOMERS).json()["results"]) == 2
    add_customers(8)
    with django_assert_num_queries(6):
        assert len(api.get(CUSTOMERS).json()["results"]) == 10


@pytest.mark.parametrize(
    "typed",
    ["06 12345678", "+31 6 1234 5678", "0031612345678", "(06) 1234-5678"],
)
def test_a_customer_is_found_by_a_phone_number_typed_in_any_format(
    api_for, viewer, typed
):
    dutch = CustomerFactory()
    billing_address(dutch, country="NL")
    contact_detail_create(customer=dutch, kind="mobile", value="06 12345678")
    other = CustomerFactory()
    billing_address(other, country="NL")

    found = api_for(viewer).get(CUSTOMERS, {"phone": typed}).json()["results"]

    assert [row["id"] for row in found] == [dutch.pk]


def test_a_customer_is_found_by_its_contact_persons_phone_number(api_for, viewer):
    customer = CustomerFactory()
    billing_address(customer, country="BE")
    ContactFactory(customer=customer, phone="+32470123456")

    found = api_for(viewer).get(CUSTOMERS, {"phone": "0470 12 34 56"}).json()

    assert [row["id"] for row in found["results"]] == [customer.pk]


def test_a_customer_is_found_by_email_on_its_card_or_of_a_contact_person(
    api_for, viewer
):
    by_card, by_person, neither = (
        CustomerFactory(),
        CustomerFactory(),
        CustomerFactory(),
    )
    contact_detail_create(
        customer=by_card, kind="email", value="Info@Fjord.example.com"
    )
    ContactFactory(customer=by_person, email="info@fjord.example.com")
    ContactFactory(customer=neither, email="sales@fjord.example.com")

    found = api_for(viewer).get(CUSTOMERS, {"email": "INFO@fjord.example.com"})

    assert {row["id"] for row in found.json()["results"]} == {by_card.pk, by_person.pk}


def test_the_lookup_finds_only_through_what_the_user_may_view(api_for):
    customer = CustomerFactory()
    ContactFactory(customer=customer, email="anna@example.com")
    user = user_with("view_customer", "view_contactdetail")  # not view_contact

    found = api_for(user).get(CUSTOMERS, {"email": "anna@example.com"}).json()

    assert found["results"] == []


def test_a_phone_lookup_that_is_no_phone_number_is_refused_at_its_field(
    api_for, viewer
):
    response = api_for(viewer).get(CUSTOMERS, {"phone": "Fjord"})

    assert response.status_code == 400
    assert codes(response) == [("phone", "not_a_phone_number")]


def test_the_list_is_searched_and_filtered(api_for, viewer):
    fjord = CustomerFactory(name="Fjord Foods")
    billing_address(fjord, city="Bergen", country="NO")
    closed = CustomerFactory(name="Closed Fjordic", is_active=False)
    CustomerFactory(name="Aurora")
    api = api_for(viewer)

    def ids(params):
        return [row["id"] for row in api.get(CUSTOMERS, params).json()["results"]]

    assert ids({"search": "fjord"}) == [fjord.pk, closed.pk]
    assert ids({"search": "bergen"}) == [fjord.pk]
    assert ids({"search": "fjord", "is_active": "false"}) == [closed.pk]
    assert ids({"number": fjord.number}) == [fjord.pk]


def test_a_manager_adds_a_customer_with_its_billing_address(api_for, manager):
    response = api_for(manager).post(
        CUSTOMERS,
        {
            "name": "Nordlys AS",
            "billing_address": {
                "street_line_1": "Bryggen 1",
                "city": "Bergen",
                "country": "NO",
            },
        },
    )

    assert response.status_code == 201, response.json()
    customer = Customer.objects.get(name="Nordlys AS")
    assert response["Location"].endswith(url(customer))
    assert response["ETag"]
    assert response.json()["number"] == customer.number != ""
    address = customer.addresses.get()
    assert (address.kind, address.city, address.country) == ("billing", "Bergen", "NO")


def test_a_customer_with_a_refused_billing_address_is_not_added(api_for, manager):
    response = api_for(manager).post(
        CUSTOMERS,
        {
            "name": "Nordlys AS",
            "billing_address": {
                "street_line_1": "Bryggen 1",
                "city": "",
                "country": "NO",
            },
        },
    )

    assert response.status_code == 400
    assert ("billing_address.city", "blank") in codes(response)
    assert not Customer.objects.exists()


def test_a_service_rule_is_refused_at_the_nested_field(api_for, manager):
    response = api_for(manager).post(
        CUSTOMERS,
        {
            "name": "Nordlys AS",
            "billing_address": {
                "street_line_1": "Bryggen\n1",
                "city": "Bergen",
                "country": "NO",
            },
        },
    )

    assert response.status_code == 400
    # core.validators' rule, applied by every model's full_clean in the service.
    assert codes(response) == [("billing_address.street_line_1", "line_break")]
    assert not Customer.objects.exists()


def test_a_manager_changes_the_name_and_the_billing_address(api_for, manager):
    customer = CustomerFactory(name="Old")
    billing_address(customer, city="Utrecht")
    api = api_for(manager)
    etag = api.get(url(customer))["ETag"]

    response = api.patch(
        url(customer),
        {"name": "New", "billing_address": {"city": "Amersfoort"}},
        if_match=etag,
    )

    assert response.status_code == 200, response.json()
    customer.refresh_from_db()
    assert customer.name == "New"
    assert customer.addresses.get().city == "Amersfoort"
    assert response["ETag"] != etag
    assert response.json()["billing_address"]["city"] == "Amersfoort"


def test_null_removes_the_billing_address(api_for, manager):
    customer = CustomerFactory()
    billing_address(customer)
    api = api_for(manager)

    response = api.patch(
        url(customer),
        {"billing_address": None},
        if_match=api.get(url(customer))["ETag"],
    )

    assert response.status_code == 200
    assert response.json()["billing_address"] is None
    assert not customer.addresses.exists()


@pytest.mark.parametrize(
    "body",
    [{"name": "Mine"}, {"billing_address": {"city": "Elsewhere"}}],
    ids=["the customer", "its billing address"],
)
def test_an_editor_may_not_change_a_customer(api_for, editor, body):
    customer = CustomerFactory(name="Theirs")
    billing_address(customer, city="Utrecht")
    api = api_for(editor)

    response = api.patch(url(customer), body, if_match=api.get(url(customer))["ETag"])

    assert response.status_code == 403
    customer.refresh_from_db()
    assert (customer.name, customer.addresses.get().city) == ("Theirs", "Utrecht")


def test_an_editor_may_not_add_a_customer(api_for, editor):
    response = api_for(editor).post(CUSTOMERS, {"name": "Mine"})

    assert response.status_code == 403
    assert not Customer.objects.exists()


def test_input_for_a_field_the_user_may_not_view_is_refused_not_ignored(api_for):
    customer = CustomerFactory(name="Old")
    user = user_with("view_customer", "change_customer", "change_address")
    api = api_for(user)

    response = api.patch(
        url(customer),
        {"name": "New", "billing_address": {"city": "Bergen"}},
        if_match=api.get(url(customer))["ETag"],
    )

    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.name == "Old"


def test_a_user_who_may_not_view_addresses_changes_the_customer_alone(api_for):
    customer = CustomerFactory(name="Old")
    billing_address(customer, city="Utrecht")
    api = api_for(user_with("view_customer", "change_customer"))

    response = api.patch(
        url(customer), {"name": "New"}, if_match=api.get(url(customer))["ETag"]
    )

    assert response.status_code == 200
    assert "billing_address" not in response.json()
    customer.refresh_from_db()
    assert (customer.name, customer.addresses.get().city) == ("New", "Utrecht")
