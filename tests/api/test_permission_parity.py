"""The objects a token sees are exactly those its user sees in the pages, for
every persona and every resource: each object's page is opened with the user's
session, and the API is asked with the user's token.

A resource is compared through its entry in PARITY: where its objects are shown
in the pages. `test_every_resource_is_compared` fails for a resource without one.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from api.urls import router
from contacts.models import Person
from contacts.services.card import contact_detail_create
from sales.models import DOCUMENT_KINDS
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory, billing_address
from tests.factories import UserFactory
from tests.sales.factories import make_document

pytestmark = pytest.mark.django_db


def shows(response, marker: str) -> bool:
    return response.status_code == 200 and marker in response.content.decode()


CONTACT_CARD = 'aria-labelledby="contact-card-title"'
BILLING_CARD = 'aria-labelledby="billing-card-title"'


@dataclass(frozen=True)
class Parity:
    objects: Callable  # the seeded objects of the resource
    page: Callable  # the URL of the page that shows one
    # Whether that page (the user's answer) shows the object.
    shown: Callable = lambda response, obj: response.status_code == 200
    # Fields of the API's object that the page shows only to some users: field ->
    # whether the page showed what the field holds.
    fields: dict = None


def document_parity(kind):
    return Parity(
        objects=lambda seeded: seeded["documents"][kind],
        page=lambda obj: obj.get_absolute_url(),
    )


PARITY = {
    "customers": Parity(
        objects=lambda seeded: seeded["customers"],
        page=lambda customer: reverse("customers:detail", args=[customer.pk]),
        fields={
            "billing_address": lambda response: shows(response, BILLING_CARD),
            "contact_card": lambda response: shows(response, CONTACT_CARD),
        },
    ),
    # A detail is shown on its customer's Overview, in the Contact card.
    "contact-details": Parity(
        objects=lambda seeded: seeded["details"],
        page=lambda detail: reverse("customers:detail", args=[detail.customer_id]),
        shown=lambda response, detail: (
            shows(response, CONTACT_CARD)
            and detail.display_value in response.content.decode()
        ),
    ),
    # A contact is shown on its customer's Contacts tab.
    "contacts": Parity(
        objects=lambda seeded: seeded["contacts"],
        page=lambda contact: reverse("contacts:list", args=[contact.customer_id]),
        shown=lambda response, contact: shows(response, contact.email),
    ),
    # A person is shown on their page, while they are a contact of a customer.
    "persons": Parity(
        objects=lambda seeded: seeded["persons"],
        page=lambda person: reverse("persons:detail", args=[person.pk]),
    ),
    "orders": document_parity(DOCUMENT_KINDS[0]),
    "invoices": document_parity(DOCUMENT_KINDS[1]),
    "shipments": document_parity(DOCUMENT_KINDS[2]),
}


def partial_user():
    """Permissions no default group combines: customers without their addresses
    or cards, and a kind of document without the customers."""
    user = UserFactory(username="partial")
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_customer", "view_contact", "view_invoice"]
        )
        | Permission.objects.filter(codename__in=["view_salesorder", "view_address"])
    )
    return user


def cards_only_user():
    user = UserFactory(username="cards-only")
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_contactdetail", "view_shipment"])
    )
    return user


PERSONAS = {
    "manager": lambda request: request.getfixturevalue("manager"),
    "editor": lambda request: request.getfixturevalue("editor"),
    "viewer": lambda request: request.getfixturevalue("viewer"),
    "outsider": lambda request: request.getfixturevalue("outsider"),
    "partial": lambda request: partial_user(),
    "cards only": lambda request: cards_only_user(),
}


@pytest.fixture
def seeded():
    customers = [CustomerFactory(name="Fjord Foods"), CustomerFactory(name="Aurora")]
    billing_address(customers[0], country="NL")
    details = [
        contact_detail_create(
            customer=customers[0], kind="mobile", value="06 12345678"
        ),
        contact_detail_create(
            customer=customers[1], kind="email", value="info@aurora.example.com"
        ),
    ]
    contact = ContactFactory(customer=customers[0], roles=["invoice"])
    other = ContactFactory(customer=customers[1], roles=["primary"])
    # A person whose last link ended (an admin's, an erasure's leftover): no page.
    unlinked = Person.objects.create(first_name="Nobody")
    documents = {
        kind: [
            make_document(kind, customer, contact if customer == customers[0] else None)
            for customer in customers
        ]
        for kind in DOCUMENT_KINDS
    }
    return {
        "customers": customers,
        "details": details,
        "contacts": [contact, other],
        "persons": [contact.person, other.person, unlinked],
        "documents": documents,
    }


def test_every_resource_is_compared():
    resources = {prefix for prefix, _viewset, _basename in router.registry}
    assert resources == set(PARITY), "Add the resource to PARITY."


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("resource", PARITY)
def test_the_api_shows_a_persona_exactly_what_the_pages_show(
    request, client, api_for, seeded, persona, resource
):
    user = PERSONAS[persona](request)
    client.force_login(user)
    api = api_for(user)
    parity = PARITY[resource]
    objects = parity.objects(seeded)

    pages = {obj.pk: client.get(parity.page(obj)) for obj in objects}
    in_pages = {
        pk
        for pk, response in pages.items()
        if parity.shown(response, next(o for o in objects if o.pk == pk))
    }
    listed = api.get(f"/api/v1/{resource}/")
    in_list = (
        {row["id"] for row in listed.json()["results"]}
        if listed.status_code == 200
        else set()
    )
    answers = {obj.pk: api.get(f"/api/v1/{resource}/{obj.pk}/") for obj in objects}
    readable = {pk for pk, response in answers.items() if response.status_code == 200}

    assert in_list == readable == in_pages, (
        f"{persona}: pages show {sorted(in_pages)}, the API lists {sorted(in_list)} "
        f"and reads {sorted(readable)}"
    )
    # Refused (403), or no such object for anyone (404: a person without a link).
    assert {answers[pk].status_code for pk in set(answers) - readable} <= {403, 404}
    assert {pk for pk in set(answers) - readable if answers[pk].status_code == 404} == {
        pk for pk, response in pages.items() if response.status_code == 404
    }
    for field, page_shows in (parity.fields or {}).items():
        for pk in readable:
            assert (field in answers[pk].json()) == page_shows(pages[pk]), (
                f"{persona}: {resource} {pk}'s {field}"
            )
