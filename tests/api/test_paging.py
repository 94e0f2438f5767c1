"""Lists page by cursor: 50 rows unless asked for up to 200, and rows inserted or
removed while a program pages never make another row repeat or go missing."""

import threading

import pytest
from django.db import connection

from customers.models import Customer
from customers.services import customer_create
from tests.api.conftest import codes
from tests.customers.factories import CustomerFactory

CUSTOMERS = "/api/v1/customers/"


def page(api, url, params=None):
    response = api.get(url, params)
    assert response.status_code == 200, response.json()
    return response.json()


def all_pages(api, first_params, between=lambda number: None):
    """Every row of every page, following `next`; `between(n)` runs after page n."""
    seen, data, number = [], page(api, CUSTOMERS, first_params), 1
    while True:
        seen += [row["id"] for row in data["results"]]
        between(number)
        if not data["next"]:
            return seen
        data, number = page(api, data["next"]), number + 1


@pytest.mark.django_db
def test_a_page_holds_50_rows_unless_asked_for_up_to_200(api_for, viewer):
    CustomerFactory.create_batch(210)
    api = api_for(viewer)

    assert len(page(api, CUSTOMERS)["results"]) == 50
    assert len(page(api, CUSTOMERS, {"page_size": 120})["results"]) == 120
    assert len(page(api, CUSTOMERS, {"page_size": 1000})["results"]) == 200


@pytest.mark.django_db
def test_a_mangled_cursor_is_refused_at_its_parameter(api_for, viewer):
    response = api_for(viewer).get(CUSTOMERS, {"cursor": "not-a-cursor"})

    assert response.status_code == 400
    assert codes(response) == [("cursor", "invalid_cursor")]


@pytest.mark.django_db
def test_rows_inserted_and_removed_while_paging_skip_or_repeat_no_other_row(
    api_for, viewer
):
    existing = [customer.pk for customer in CustomerFactory.create_batch(23)]
    api = api_for(viewer)
    added = []

    def meanwhile(number):
        # Names that sort first and last: the order is by key, not by name.
        for name in ("Aaron & Co", "Zyx"):
            added.append(customer_create(name=f"{name} {number}").pk)
        if number == 1:
            Customer.objects.filter(pk=existing[3]).delete()  # already read
            Customer.objects.filter(pk=existing[-1]).delete()  # not yet read

    seen = all_pages(api, {"page_size": 5}, meanwhile)

    assert len(seen) == len(set(seen)), "a row came twice"
    kept = [pk for pk in existing if pk != existing[-1]]
    assert [pk for pk in seen if pk in existing] == kept
    assert set(seen) - set(existing) <= set(added)


@pytest.mark.django_db(transaction=True)
def test_rows_committed_by_another_connection_while_paging_skip_or_repeat_none(
    api_for, viewer
):
    """The inserts come from another thread, on its own database connection, and
    commit between the pages (on PostgreSQL: a real second connection)."""
    existing = [customer.pk for customer in CustomerFactory.create_batch(12)]
    api = api_for(viewer)

    def insert_elsewhere(number):
        def insert():
            try:
                for index in range(3):
                    customer_create(name=f"Elsewhere {number}.{index}")
            finally:
                connection.close()

        thread = threading.Thread(target=insert)
        thread.start()
        thread.join()

    seen = all_pages(api, {"page_size": 5}, insert_elsewhere)

    assert len(seen) == len(set(seen))
    assert [pk for pk in seen if pk in existing] == existing
