import pytest
from django.urls import reverse

from tests.customers.factories import AddressFactory, CustomerFactory

pytestmark = pytest.mark.django_db
URL = reverse("customers:list")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("viewer", 200), ("editor", 200), ("manager", 200), ("outsider", 403)],
)
def test_access_by_persona(request, client_for, persona, status):
    response = client_for(request.getfixturevalue(persona)).get(URL)
    assert response.status_code == status


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_shows_number_name_and_billing_city_and_country(client_for, viewer):
    customer = CustomerFactory(name="Fjord Foods B.V.")
    AddressFactory(customer=customer, city="Utrecht", country="NL")
    AddressFactory(customer=customer, kind="shipping", city="Delft", country="NL")
    content = client_for(viewer).get(URL).content.decode()
    assert customer.number in content
    assert "Fjord Foods B.V." in content
    assert "Utrecht" in content
    assert "Netherlands" in content
    assert "Delft" not in content  # only the billing address is listed


def test_it_is_sorted_by_name(client_for, viewer):
    for name in ["Zephyr", "Aurora", "Meridian"]:
        CustomerFactory(name=name)
    customers = client_for(viewer).get(URL).context["customer_list"]
    assert [c.name for c in customers] == ["Aurora", "Meridian", "Zephyr"]


@pytest.mark.parametrize("term", ["fjord", "C0", "utrecht"])
def test_it_searches_name_number_and_city(client_for, viewer, term):
    fjord = CustomerFactory(name="Fjord Foods")
    AddressFactory(customer=fjord, city="Utrecht")
    other = CustomerFactory(name="Granite Ltd")
    AddressFactory(customer=other, city="London", country="GB")
    if term == "C0":
        term = fjord.number
    found = client_for(viewer).get(URL, {"q": term}).context["customer_list"]
    assert list(found) == [fjord]


def test_it_paginates_25_a_page(client_for, viewer):
    CustomerFactory.create_batch(30)
    client = client_for(viewer)
    assert len(client.get(URL).context["customer_list"]) == 25
    assert len(client.get(URL, {"page": 2}).context["customer_list"]) == 5


def _customers_with_addresses(count):
    for customer in CustomerFactory.create_batch(count):
        AddressFactory(customer=customer)
        AddressFactory(customer=customer, kind="shipping")


@pytest.mark.parametrize("count", [5, 60])
def test_query_count_does_not_grow_with_customers(
    client_for, viewer, django_assert_num_queries, count
):
    _customers_with_addresses(count)
    client = client_for(viewer)
    # 1 session, 2 user, 3-4 the user's own and group permissions, 5 the count for
    # the paginator, 6 the page of customers with billing city and country annotated.
    with django_assert_num_queries(6):
        response = client.get(URL)
    assert len(response.context["customer_list"]) == min(count, 25)
