"""New on a list of documents: choose the customer by a search, then its New form."""

import pytest
from django.urls import reverse

from sales.models import Invoice, SalesOrder, Shipment
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db

KINDS = [SalesOrder, Invoice, Shipment]


def choose_url(kind):
    return reverse(f"sales:{kind.KIND}_choose_customer")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("persona", "status"),
    [("outsider", 403), ("viewer", 403), ("editor", 200), ("manager", 200)],
)
def test_access_by_persona(request, client_for, kind, persona, status):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(choose_url(kind)).status_code == status


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(choose_url(Invoice))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("kind", KINDS)
def test_the_search_lists_customers_each_leading_to_its_new_form(
    client_for, editor, kind
):
    fjord = CustomerFactory(name="Fjord Foods")
    billing_address(fjord, "NL", city="Utrecht")
    CustomerFactory(name="Granite Ltd")
    response = client_for(editor).get(choose_url(kind), {"q": "fjord"})
    assert response.context["customers"] == [fjord]
    page = response.content.decode()
    assert reverse(f"sales:{kind.KIND}_create", args=[fjord.pk]) in page
    assert "Utrecht" in page
    assert "Granite Ltd" not in page


def test_without_a_search_no_customers_are_read(
    client_for, editor, django_assert_num_queries
):
    CustomerFactory.create_batch(3)
    client = client_for(editor)
    # 1 session, 2 user, 3-4 the user's own and group permissions: no customers.
    with django_assert_num_queries(4):
        response = client.get(choose_url(Invoice))
    assert response.context["customers"] == []


def test_it_lists_at_most_twenty_and_says_there_are_more(client_for, editor):
    for number in range(25):
        CustomerFactory(name=f"Fjord {number:02d}")
    response = client_for(editor).get(choose_url(Invoice), {"q": "fjord"})
    assert len(response.context["customers"]) == 20
    assert response.context["has_more"]
    assert "More customers match" in response.content.decode()


def test_nothing_found_says_so(client_for, editor):
    response = client_for(editor).get(choose_url(Invoice), {"q": "nobody"})
    assert "No customer matches “nobody”." in response.content.decode()
