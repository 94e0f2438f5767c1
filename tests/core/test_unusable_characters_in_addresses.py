"""A control character in a page's address (a NUL byte pasted into a search, a forged
filter) is answered with a page that says so, never a server error: PostgreSQL
refuses a NUL byte in any query, and the other characters could only find nothing.
"""

import pytest
from django.urls import reverse

from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db

SEARCHES = [
    "/customers/",
    "/sales/orders/",
    "/sales/invoices/",
    "/sales/shipments/",
    "/admin/customers/customer/",
    "/admin/contacts/contact/",
    "/admin/auth/user/",
]


@pytest.fixture
def customer():
    return CustomerFactory(name="Fjord Foods")


@pytest.mark.parametrize("path", SEARCHES)
@pytest.mark.parametrize("term", ["%00", "Fjord%00Foods", "Fjord%01", "Fjord%09Foods"])
def test_a_search_with_a_control_character_says_it_cannot_be_searched(
    admin_client, customer, path, term
):
    response = admin_client.get(f"{path}?q={term}")

    assert response.status_code == 400
    page = response.content.decode()
    assert "The search contains characters that cannot be searched" in page
    assert f'href="{path}"' in page  # back to the list, unsearched


def test_the_page_refuses_to_be_framed_like_every_page(admin_client, customer):
    response = admin_client.get("/customers/?q=Fjord%00")

    assert response.status_code == 400
    assert response["X-Frame-Options"] == "DENY"


def test_the_page_names_the_character(admin_client, customer):
    page = admin_client.get("/customers/?q=Fjord%00").content.decode()
    assert "a NUL byte" in page


@pytest.mark.parametrize(
    "address",
    [
        # The admin's filters, sorting, paging and autocomplete.
        "/admin/customers/customer/?addresses__country__exact=%00",
        "/admin/sales/invoice/?status__exact=%00",
        "/admin/sales/invoice/?date__gte=2026-01-01%00",
        "/admin/customers/customer/?o=%00",
        "/admin/autocomplete/?term=%00&app_label=sales&model_name=invoice"
        "&field_name=customer",
        # A parameter's name.
        "/customers/?%00=1",
        # Pages and filters of the application.
        "/customers/?page=%00",
        "/sales/invoices/?page=1%0A",
    ],
)
def test_a_forged_parameter_is_refused_with_a_page_that_says_so(
    admin_client, customer, address
):
    response = admin_client.get(address)

    assert response.status_code == 400
    assert "contains characters that cannot be" in response.content.decode()


def test_the_activity_tabs_filters_are_refused_too(admin_client, customer):
    url = reverse("activity:list", args=[customer.pk])
    response = admin_client.get(f"{url}?kind=%00&user=%00")
    assert response.status_code == 400


def test_a_control_character_in_the_path_is_refused(admin_client, customer):
    path = reverse("admin:customers_customer_change", args=[customer.pk])
    response = admin_client.get(path.replace("/change/", "/history/%00/"))

    assert response.status_code == 400
    page = response.content.decode()
    assert "The address of this page contains characters that cannot be used" in page
    assert "Back to Customers" in page  # the error pages' way back


def test_anonymous_visitors_get_the_same_answer(client):
    response = client.get("/customers/?q=%00")
    assert response.status_code == 400


@pytest.mark.parametrize("term", ["Fjord", "fjord foods", "Fjörd", "Fjord\u00a0Foods"])
def test_ordinary_searches_are_answered(admin_client, customer, term):
    assert admin_client.get(SEARCHES[0], {"q": term}).status_code == 200
    assert admin_client.get(SEARCHES[4], {"q": term}).status_code == 200
