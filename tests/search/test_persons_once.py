"""Find anyone shows a person once, with their customers, and leads to their page."""

import pytest
from django.urls import reverse

from contacts.services.links import contact_create
from search.selectors import RESULT_LIMIT, site_search
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db


def customer(name):
    made = CustomerFactory(name=name)
    billing_address(made, country="NL")
    return made


def persons_section(results):
    return next(s for s in results.sections if s.label == "Contact persons")


@pytest.fixture
def ingrid():
    """Ingrid Vos, a contact of five customers; her work email at one of them."""
    first = contact_create(
        customer=customer("Delta Dairy"), first_name="Ingrid", last_name="Vos"
    )
    for name in ("Alpha Audio", "Bravo Bakery", "Echo Energy"):
        contact_create(customer=customer(name), person=first.person)
    contact_create(
        customer=customer("Charlie Cars"),
        person=first.person,
        email="ingrid@charlie.example",
        phone="06 12345678",
    )
    return first.person


def test_a_person_of_five_customers_is_one_hit_naming_three_and_counting_two(
    ingrid, manager
):
    section = persons_section(site_search(query="ingrid vos", user=manager))

    assert [hit.title for hit in section.hits] == ["Ingrid Vos"]
    hit = section.hits[0]
    assert hit.url == reverse("persons:detail", args=[ingrid.pk])
    assert (
        hit.context == "contact of Alpha Audio, Bravo Bakery, Charlie Cars and 2 more"
    )
    assert hit.matched == "Name"


@pytest.mark.parametrize(
    ("query", "matched"),
    [
        ("ingrid@charlie", "Email address ingrid@charlie.example"),
        ("06 12345678", "Phone number +31 6 12345678"),
    ],
)
def test_the_customer_where_they_matched_comes_first(ingrid, manager, query, matched):
    hit = persons_section(site_search(query=query, user=manager)).hits[0]

    assert hit.matched == matched
    assert hit.context.startswith("contact of Charlie Cars, Alpha Audio, Bravo")
    assert hit.email == "ingrid@charlie.example"


def test_the_page_shows_the_person_once_linked_to_their_page(
    ingrid, client_for, viewer
):
    page = client_for(viewer).get(reverse("search:results"), {"q": "Ingrid"})

    text = page.content.decode()
    assert text.count(">Ingrid Vos</a>") == 1
    assert f'href="{reverse("persons:detail", args=[ingrid.pk])}"' in text


def test_the_limit_counts_persons_not_links(manager):
    customers = [customer(f"Customer {n}") for n in range(3)]
    for n in range(RESULT_LIMIT):
        person = contact_create(
            customer=customers[0], first_name="Zora", last_name=f"Z{n:02d}"
        ).person
        for other in customers[1:]:
            contact_create(customer=other, person=person)

    section = persons_section(site_search(query="zora", user=manager))

    assert len(section.hits) == RESULT_LIMIT and not section.more
    assert len({hit.url for hit in section.hits}) == RESULT_LIMIT
