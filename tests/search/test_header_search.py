"""The header search: "who is calling?" — a number typed in any format, a name, an
email address."""

import pytest
from django.db import connection
from django.urls import reverse

from contacts.services.card import contact_detail_create
from contacts.services.links import contact_create
from search.selectors import RESULT_LIMIT
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db

URL = reverse("search:results")

# country, customer, the number stored (E.164), the ways people type it.
NUMBERS = [
    (
        "NL",
        "Aurora Trading B.V.",
        "+31612345678",
        [
            "06 1234 5678",
            "+31 (0)6-12345678",
            "0031612345678",
            "612345678",
            "+31612345678",
        ],
    ),
    (
        "DE",
        "Müller GmbH",
        "+491711234567",
        ["0171 1234567", "+49 171 1234567", "0049 171 1234567", "171 1234567"],
    ),
    (
        "BE",
        "Peeters NV",
        "+32470123456",
        ["0470 12 34 56", "+32 470 12 34 56", "0032470123456", "470 12 34 56"],
    ),
    (
        "US",
        "Smith Supplies Inc.",
        "+12125550123",
        ["(212) 555-0123", "212-555-0123", "+1 212 555 0123", "001 212 555 0123"],
    ),
    (
        "GB",
        "Taylor & Sons Ltd",
        "+447911123456",
        ["07911 123456", "+44 7911 123456", "0044 7911 123456", "7911 123456"],
    ),
]


@pytest.fixture
def world():
    """A customer per country with a contact person and a mobile detail that both
    have the country's number."""
    made = {}
    for country, name, number, _ in NUMBERS:
        customer = CustomerFactory(name=name)
        billing_address(customer, country=country)
        contact = contact_create(
            customer=customer, first_name="Anna", last_name=country, phone=number
        )
        contact_detail_create(customer=customer, kind="mobile", value=number)
        made[country] = (customer, contact)
    return made


def search(client, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    return response.context["results"]


def hits(results, label):
    section = next((s for s in results.sections if s.label == label), None)
    return [(hit.title, hit.matched, hit.context) for hit in section.hits]


@pytest.mark.parametrize(
    ("country", "name", "number", "typed"),
    [
        (country, name, number, typed)
        for country, name, number, formats in NUMBERS
        for typed in formats
    ],
)
def test_a_number_in_any_format_finds_the_contact_and_the_card_detail(
    client_for, viewer, world, country, name, number, typed
):
    results = search(client_for(viewer), typed)

    assert number in results.as_phone
    shown = world[country][1].phone
    assert shown == number
    contacts = hits(results, "Contact persons")
    assert [hit[0] for hit in contacts] == [f"Anna {country}"]
    assert contacts[0][2] == f"contact of {name}"
    details = hits(results, "Contact details")
    assert [hit[0] for hit in details] == [f"Mobile Phone of {name}"]


def test_the_page_says_what_matched(client_for, viewer, world):
    response = client_for(viewer).get(URL, {"q": "06 1234 5678"})
    page = " ".join(response.content.decode().split())
    assert "Mobile Phone of Aurora Trading B.V." in page
    assert "Mobile Phone +31 6 12345678" in page
    assert "Phone number +31 6 12345678" in page
    assert "contact of Aurora Trading B.V." in page


def test_a_name_an_email_or_a_customer_is_found_by_its_words(client_for, viewer, world):
    client = client_for(viewer)
    customer, contact = world["NL"]
    contact_detail_create(customer=customer, kind="email", value="info@aurora.example")

    assert hits(search(client, "anna aurora"), "Contact persons") == []
    assert hits(search(client, "anna aurora.example"), "Contact persons") == []
    assert hits(search(client, "aurora trading"), "Customers") == [
        ("Aurora Trading B.V.", f"Customer {customer.number}", "")
    ]
    assert hits(search(client, "info@aurora"), "Contact details") == [
        (
            "Email Address of Aurora Trading B.V.",
            "Email Address info@aurora.example",
            "",
        )
    ]


def test_only_what_the_user_may_view_is_searched(client_for, outsider, world):
    from django.contrib.auth.models import Permission

    assert client_for(outsider).get(URL, {"q": "Anna"}).status_code == 403
    outsider.user_permissions.add(
        Permission.objects.get(codename="view_customer"),
        Permission.objects.get(codename="view_contact"),
    )
    results = search(client_for(outsider), "06 1234 5678")
    assert [section.label for section in results.sections] == ["Contact persons"]


def test_the_header_has_the_search_box_on_every_page(client_for, viewer):
    page = client_for(viewer).get(reverse("customers:list")).content.decode()
    assert f'action="{URL}"' in page and 'role="search"' in page


def test_it_says_when_there_are_more_than_it_shows(client_for, viewer):
    customer = CustomerFactory(name="Big Customer")
    billing_address(customer, country="NL")
    for n in range(RESULT_LIMIT + 1):
        contact_create(customer=customer, first_name="Zoë", last_name=f"Z{n:02d}")
    results = search(client_for(viewer), "zoë")
    section = next(s for s in results.sections if s.label == "Contact persons")
    assert len(section.hits) == RESULT_LIMIT and section.more
    page = client_for(viewer).get(URL, {"q": "zoë"}).content.decode()
    assert f"More than {RESULT_LIMIT} match" in page


def test_a_search_costs_a_fixed_number_of_queries(
    client_for, viewer, world, django_assert_num_queries
):
    client = client_for(viewer)
    # The time limit: a savepoint and its release, and on PostgreSQL the
    # statement_timeout set for it.
    limit = 3 if connection.vendor == "postgresql" else 2
    # session, user, the user's and its groups' permissions (4); the billing
    # countries (1, then cached); the persons, then their first customers (2);
    # the details (1), each with its customer.
    with django_assert_num_queries(8 + limit):
        client.get(URL, {"q": "06 1234 5678"})
    with django_assert_num_queries(7 + limit):
        client.get(URL, {"q": "0171 1234567"})
    # As text: the customers, the persons and their customers, the details (4).
    with django_assert_num_queries(8 + limit):
        client.get(URL, {"q": "Anna"})
    # A person of many customers costs the same.
    _, anna = world["NL"]
    for customer, _ in world.values():
        if customer != anna.customer:
            contact_create(customer=customer, person=anna.person)
    with django_assert_num_queries(8 + limit):
        client.get(URL, {"q": "Anna"})


def test_too_short_a_query_searches_nothing(client_for, viewer):
    response = client_for(viewer).get(URL, {"q": "a"})
    assert "Type at least 2 characters." in response.content.decode()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="EXPLAIN of PostgreSQL's plans"
)
def test_the_number_and_email_lookups_read_an_index(world):
    from contacts.models import Contact, ContactDetail

    numbers = ["+31612345678", "+49612345678"]
    # The tables are tiny here, where a scan is cheapest: with table scans and
    # plain index scans off, the planner is left with the bitmap scans of the
    # indexes that answer the condition (a plan without one would still show a
    # disabled scan, never the index named).
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
    plans = [
        Contact.objects.filter(phone__in=numbers).explain(),
        ContactDetail.objects.filter(
            kind__in=["telephone", "mobile"], value__in=numbers
        ).explain(),
        Contact.objects.filter(email__iexact="anna@x.example").explain(),
        Contact.objects.filter(first_name__icontains="ann").explain(),
        ContactDetail.objects.filter(value__icontains="aurora").explain(),
    ]
    for plan, index in zip(
        plans,
        [
            "contact_phone",
            "contactdetail_value",
            "contact_email_upper",
            "contact_first_name_trgm",
            "contactdetail_value_trgm",
        ],
        strict=True,
    ):
        assert index in plan, plan


def test_words_no_index_can_serve_are_left_out_of_a_longer_query(
    client_for, viewer, world
):
    client = client_for(viewer)
    # "nl" has no trigram: the query is read as "anna", every Anna.
    everyone = {hit[0] for hit in hits(search(client, "anna"), "Contact persons")}
    assert len(everyone) == len(NUMBERS)
    found = {hit[0] for hit in hits(search(client, "anna nl"), "Contact persons")}
    assert found == everyone
    # Only signs and short words: nothing is searched, and the page says why.
    response = client.get(URL, {"q": ". " * 100})
    assert response.status_code == 200
    assert response.context["results"].sections == []
    assert "Type a word of at least 3 characters." in response.content.decode()


def test_a_query_keeps_at_most_five_words():
    from search.selectors import search_words

    assert search_words("one two three four five six seven") == [
        "one",
        "two",
        "three",
        "four",
        "five",
    ]
    assert search_words("ab") == ["ab"]
    assert search_words("ab cd") == []


def test_a_search_that_runs_too_long_is_stopped_with_a_message(
    client_for, viewer, world, settings, monkeypatch
):
    import search.selectors

    settings.SEARCH_TIMEOUT_MS = 200
    slow = (
        "SELECT pg_sleep(5)"
        if connection.vendor == "postgresql"
        else "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
        "WHERE i < 100000000) SELECT count(*) FROM n"
    )
    found_customers = search.selectors._customers

    def slow_customers(words):
        with connection.cursor() as cursor:
            cursor.execute(slow)
        return found_customers(words)

    monkeypatch.setattr(search.selectors, "_customers", slow_customers)
    response = client_for(viewer).get(URL, {"q": "anna"})
    assert response.status_code == 200
    assert response.context["results"].timed_out
    assert "This search took too long and was stopped." in response.content.decode()
