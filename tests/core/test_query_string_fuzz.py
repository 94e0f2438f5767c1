"""Fuzzing what a list page reads from its address (search, page, filters): any
value is answered with the page or a 404, or, when it holds a control character or a
line break, with the 400 page that says so (`core.middleware`); never a server error.
The refusal itself, page by page: test_unusable_characters_in_addresses.py."""

import unicodedata

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.customers.factories import CustomerFactory
from tests.fuzz import any_characters, long_text

pytestmark = pytest.mark.django_db

ANY_VALUE = st.one_of(
    any_characters(40),
    long_text(200, 3000),
    st.sampled_from(["-1", "0", "99999999999999999999", "1.5", "last", "%", "_", "*"]),
)
PARAMETERS = ["q", "page", "kind", "user"]


def unusable_in_an_address(value: str) -> bool:
    """Control characters (NUL among them) and Unicode's line and paragraph
    separators."""
    return any(
        unicodedata.category(character) in ("Cc", "Zl", "Zp") for character in value
    )


@pytest.fixture
def list_urls():
    customer = CustomerFactory(name="Fjord Foods B.V.")
    return [
        reverse("customers:list"),
        reverse("sales:order_list"),
        reverse("sales:invoice_list"),
        reverse("sales:shipment_list"),
        reverse("contacts:list", args=[customer.pk]),
        reverse("activity:list", args=[customer.pk]),
    ]


def test_any_search_page_or_filter_value_is_answered(client_for, manager, list_urls):
    client = client_for(manager)
    answers = set()

    @given(
        url=st.sampled_from(list_urls),
        query=st.dictionaries(st.sampled_from(PARAMETERS), ANY_VALUE, max_size=3),
    )
    def request_anything(url, query):
        response = client.get(url, query)

        if any(unusable_in_an_address(value) for value in query.values()):
            assert response.status_code == 400, (url, query)
            assert "contains characters that cannot be" in response.content.decode()
        else:
            assert response.status_code in (200, 404), (url, query)
        answers.add(response.status_code)

    request_anything()
    # The examples reached both the pages and the refusal.
    assert {200, 400} <= answers, answers
