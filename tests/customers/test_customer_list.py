import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.urls import reverse

from contacts.models import ContactDetail
from customers import selectors
from customers.list_columns import LIST_COLUMNS, register_customer_list_column
from customers.models import Customer
from tests.contacts.factories import ContactDetailFactory
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


def _names(response):
    return [customer.name for customer in response.context["customer_list"]]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Aurora", "Meridian", "Nomad", "Zephyr"]),
        ("-name", ["Zephyr", "Nomad", "Meridian", "Aurora"]),
        ("number", ["Zephyr", "Aurora", "Meridian", "Nomad"]),
        ("-number", ["Nomad", "Meridian", "Aurora", "Zephyr"]),
        # Customers without a billing address count as after Z.
        ("city", ["Meridian", "Zephyr", "Aurora", "Nomad"]),
        ("-city", ["Nomad", "Aurora", "Zephyr", "Meridian"]),
        ("country", ["Zephyr", "Aurora", "Meridian", "Nomad"]),
        ("-country", ["Nomad", "Meridian", "Aurora", "Zephyr"]),
    ],
)
def test_it_sorts_by_each_column_both_ways(client_for, viewer, sort, expected):
    zephyr = CustomerFactory(name="Zephyr")  # numbers in order of creation
    aurora = CustomerFactory(name="Aurora")
    meridian = CustomerFactory(name="Meridian")
    CustomerFactory(name="Nomad")  # no billing address
    AddressFactory(customer=zephyr, city="Berlin", country="DE")
    AddressFactory(customer=aurora, city="Utrecht", country="FR")
    AddressFactory(customer=meridian, city="Amsterdam", country="NL")
    response = client_for(viewer).get(URL, {"sort": sort})
    assert _names(response) == expected
    if sort == "name":
        assert 'aria-sort="ascending"' in response.content.decode()
    if sort == "-city":
        assert 'aria-sort="descending"' in response.content.decode()


def test_it_filters_by_billing_country_and_status(client_for, viewer):
    dutch = CustomerFactory(name="Dutch active")
    AddressFactory(customer=dutch, country="NL")
    inactive = CustomerFactory(name="Dutch inactive", is_active=False)
    AddressFactory(customer=inactive, country="NL")
    # A Dutch shipping address does not make a German customer Dutch.
    german = CustomerFactory(name="German")
    AddressFactory(customer=german, country="DE")
    AddressFactory(customer=german, kind="shipping", country="NL")
    client = client_for(viewer)
    assert _names(client.get(URL, {"country": "NL"})) == [
        "Dutch active",
        "Dutch inactive",
    ]
    assert _names(client.get(URL, {"country": "NL", "active": "yes"})) == [
        "Dutch active"
    ]
    assert _names(client.get(URL, {"active": "no"})) == ["Dutch inactive"]


@pytest.mark.parametrize(
    "query",
    [
        {"sort": "notes"},
        {"country": "XX"},
        {"active": "maybe"},
        {"page": "many"},
        {"page": "999"},
        {"q": "x" * 500},
    ],
)
def test_a_value_it_does_not_know_is_ignored_not_an_error(client_for, viewer, query):
    CustomerFactory.create_batch(3)
    response = client_for(viewer).get(URL, query)
    assert response.status_code == 200
    if "q" not in query:
        assert len(response.context["customer_list"]) == 3


def test_it_shows_the_exact_count(client_for, viewer):
    CustomerFactory.create_batch(3)
    AddressFactory(customer=CustomerFactory(name="Fjord"), city="Utrecht")
    client = client_for(viewer)
    assert "4 customers" in client.get(URL).content.decode()
    assert "1 customer" in client.get(URL, {"q": "utrecht"}).content.decode()


def test_a_narrowed_list_past_the_cap_says_more_than(client_for, viewer, monkeypatch):
    monkeypatch.setattr(selectors, "LIST_CAP", 3)
    for customer in CustomerFactory.create_batch(5):
        AddressFactory(customer=customer, country="NL")
    response = client_for(viewer).get(URL, {"country": "NL"})
    content = response.content.decode()
    assert "More than 3 customers match" in content
    # Only the rows within the cap can be paged through.
    assert response.context["page_obj"].paginator.count == 3


def test_an_unfiltered_list_past_the_cap_shows_an_estimate_on_postgresql(
    client_for, viewer, monkeypatch
):
    monkeypatch.setattr(selectors, "LIST_CAP", 3)
    CustomerFactory.create_batch(5)
    count = client_for(viewer).get(URL).context["count"]
    if connection.vendor == "postgresql":
        # pg_class.reltuples, never less than the rows the capped count saw.
        assert count.estimated and count.value >= 4
    else:
        assert count.capped and count.value == 3


def test_it_shows_the_primary_email_and_phone_from_the_contact_card(client_for, viewer):
    customer = CustomerFactory(name="Fjord")
    AddressFactory(customer=customer, country="NL")
    ContactDetailFactory(customer=customer, value="old@example.com", is_primary=False)
    ContactDetailFactory(customer=customer, value="info@fjord.example", is_primary=True)
    ContactDetailFactory(
        customer=customer, kind="mobile", value="+31612345678", is_primary=True
    )
    content = client_for(viewer).get(URL).content.decode()
    assert (
        '<a href="mailto:info@fjord.example">info<wbr>@fjord<wbr>.example</a>'
        in content
    )
    assert "old@example.com" not in content
    # No telephone: the mobile phone, in international format, on one line.
    assert '<a class="phone" href="tel:+31612345678">+31 6 12345678</a>' in content


def test_the_contact_columns_need_the_permission_to_view_details(client_for, viewer):
    customer = CustomerFactory(name="Fjord")
    ContactDetailFactory(customer=customer, value="info@fjord.example", is_primary=True)
    viewer.groups.clear()
    viewer.user_permissions.add(
        Permission.objects.get(
            codename="view_customer", content_type__app_label="customers"
        )
    )
    content = client_for(viewer).get(URL).content.decode()
    assert "Fjord" in content
    assert "info@fjord.example" not in content


@pytest.mark.parametrize(
    "query",
    [{}, {"q": "customer"}, {"sort": "-city"}, {"country": "NL", "active": "yes"}],
)
def test_each_kind_of_list_costs_the_same_queries_for_5_or_60_customers(
    client_for, viewer, django_assert_num_queries, query
):
    client = client_for(viewer)
    counts = []
    for count in (5, 55):
        _customers_with_addresses(count)
        for customer in Customer.objects.all():
            ContactDetailFactory(customer=customer, is_primary=True)
        client.get(URL, query)
        # 1 session, 2 user, 3-4 permissions, 5 the (capped) count, 6 the page with
        # billing city and country and the contact card's columns.
        with django_assert_num_queries(6):
            response = client.get(URL, query)
        counts.append(len(response.context["customer_list"]))
        ContactDetail.objects.all().delete()
    assert counts[-1] == 25 or query.get("q")


def test_a_registered_column_key_cannot_be_registered_twice():
    column = LIST_COLUMNS[0]
    with pytest.raises(ValueError, match="registered"):
        register_customer_list_column(column)


def test_the_country_filter_keeps_the_chosen_country_selected(client_for, viewer):
    content = client_for(viewer).get(URL, {"country": "NL"}).content.decode()
    assert '<option value="NL" selected>Netherlands</option>' in content
    # The list's own form (the header's language choice has a selected option too).
    form = content.split('id="customer-search"')[1]
    assert form.count(" selected>") == 1 + form.count('value="" selected>')
    content = client_for(viewer).get(URL).content.decode()
    assert '<option value="NL">Netherlands</option>' in content
    select = re.search(r"<select [^>]*>", content.split('id="customer-search"')[1])
    assert (
        'name="country"' in select.group() and 'id="customer-country"' in select.group()
    )


def test_a_search_it_cannot_use_is_named_not_an_error(client_for, viewer):
    CustomerFactory(name="Fjord")
    response = client_for(viewer).get(URL, {"q": "F" * 201})
    assert response.status_code == 200
    assert "The search was not used: Ensure this value has at most 200" in (
        response.content.decode()
    )
