"""Fuzzing the address form (add and change): the answer is the form with its errors
or a saved address that passes every rule again; a customer keeps at most one
billing address; a refused form changes nothing."""

import pytest
from django.urls import reverse
from hypothesis import strategies as st

from customers.models import Address
from tests.customers.factories import AddressFactory, CustomerFactory
from tests.fuzz import (
    WITH_CONTROL_CHARACTERS,
    any_characters,
    any_text,
    assert_addresses_valid,
    assert_every_example_answered,
    control_characters_in,
    printable_text,
    spoiled,
)

pytestmark = pytest.mark.django_db

ONE_LINE_FIELDS = ["street_line_1", "street_line_2", "postal_code", "city", "region"]


@pytest.fixture
def customer():
    customer = CustomerFactory(name="Fjord Foods B.V.")
    AddressFactory(customer=customer, kind=Address.Kind.BILLING)
    AddressFactory(customer=customer, kind=Address.Kind.SHIPPING)
    return customer


def address_form_data():
    return spoiled(
        valid={
            "kind": st.sampled_from(["billing", "shipping"]),
            "street_line_1": st.just("Keizersgracht 1"),
            "street_line_2": st.one_of(st.just(""), printable_text(30)),
            "postal_code": st.sampled_from(["", "1012 AB", "10115"]),
            "city": st.one_of(
                st.just("Amsterdam"), printable_text(20).map("A{}".format)
            ),
            "region": st.just(""),
            "country": st.sampled_from(["NL", "DE", "US"]),
        },
        hostile={
            "kind": any_characters(12),
            **{name: any_text() for name in ONE_LINE_FIELDS},
            "country": st.one_of(
                st.sampled_from(["nl", "XX", "EU", "", "NLD"]), any_characters(4)
            ),
        },
    )


def post_address(client, customer, action, data):
    if action == "create":
        url = reverse("customers:address_create", args=[customer.pk])
    else:
        address = customer.addresses.get(kind=Address.Kind.SHIPPING)
        url = reverse("customers:address_update", args=[customer.pk, address.pk])
    return client.post(url, data)


def addresses_of(customer):
    return list(Address.objects.filter(customer=customer).order_by("pk").values())


def test_the_address_form_answers_and_stores_only_valid_addresses(
    client_for, manager, customer
):
    client = client_for(manager)

    assert_every_example_answered(
        strategies={
            "data": address_form_data(),
            "action": st.sampled_from(["create", "update"]),
        },
        send=lambda data, action: post_address(client, customer, action, data),
        check=lambda: assert_addresses_valid(customer),
        snapshot=lambda: addresses_of(customer),
    )


@pytest.mark.parametrize("value", WITH_CONTROL_CHARACTERS)
def test_no_control_character_is_stored_in_an_address(
    client_for, manager, customer, value
):
    data = {
        "kind": "shipping",
        "street_line_1": value,
        "city": value,
        "country": "NL",
    }

    post_address(client_for(manager), customer, "create", data)

    stored = Address.objects.filter(customer=customer).values_list(
        "street_line_1", "city"
    )
    assert control_characters_in(v for row in stored for v in row) == []
