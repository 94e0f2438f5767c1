"""Fuzzing the contact form (Add contact, and changing a contact): whatever is typed,
the answer is the form with its errors or a saved contact that passes every rule
again; a refused form changes nothing."""

import itertools

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from contacts.models import Contact, ContactRole
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory, billing_address
from tests.fuzz import (
    VALID_EMAILS,
    VALID_PHONES,
    WITH_CONTROL_CHARACTERS,
    any_text,
    assert_answered,
    assert_contacts_valid,
    assert_every_example_answered,
    control_characters_in,
    email_like,
    phone_like,
    printable_text,
    rolled_back,
    spoiled,
)

pytestmark = pytest.mark.django_db

HOSTILE_ROLES = st.lists(
    st.sampled_from(["999", "-1", "x", "", "1.5", "1 OR 1=1", "\x00"]), max_size=4
)


@pytest.fixture
def customers():
    """One customer whose numbers are read as Dutch, one without a billing address;
    each with one contact to change."""
    dutch = CustomerFactory(name="Fjord Foods B.V.")
    billing_address(dutch, "NL")
    customers = {"NL": dutch, "none": CustomerFactory(name="Nowhere Ltd")}
    for customer in customers.values():
        ContactFactory(customer=customer, email="anna@example.com", phone="")
    return customers


def contact_form_data():
    """The form as a person fills it, spoiled in up to two fields."""
    text = any_text()
    role_ids = [str(pk) for pk in ContactRole.objects.values_list("pk", flat=True)]
    return spoiled(
        valid={
            "first_name": st.one_of(
                st.just("Anna"), printable_text(20).map("A{}".format)
            ),
            "last_name": st.one_of(st.just(""), printable_text(20)),
            "email": VALID_EMAILS,
            "phone": VALID_PHONES,
            "job_title": st.just(""),
            "department": st.just("Sales"),
            "roles": st.lists(st.sampled_from(role_ids), unique=True),
        },
        hostile={
            "first_name": text,
            "last_name": text,
            "email": email_like(),
            "phone": phone_like(),
            "job_title": text,
            "department": text,
            "roles": HOSTILE_ROLES,
        },
    )


def post_contact(client, customer, action, data):
    """Post to Add contact, or to the change form of the customer's one contact."""
    if action == "create":
        url = reverse("contacts:create", args=[customer.pk])
    else:
        contact = Contact.objects.get(customer=customer)
        url = reverse("contacts:update", args=[customer.pk, contact.pk])
    return client.post(url, data)


def test_the_contact_form_answers_and_stores_only_valid_contacts(
    client_for, editor, customers
):
    client = client_for(editor)

    def send(data, where, action):
        return post_contact(client, customers[where], action, data)

    def check():
        for customer in customers.values():
            assert_contacts_valid(customer)

    assert_every_example_answered(
        strategies={
            "data": contact_form_data(),
            "where": st.sampled_from(["NL", "none"]),
            "action": st.sampled_from(["create", "update"]),
        },
        send=send,
        check=check,
        snapshot=lambda: list(Contact.objects.values()),
    )


@pytest.mark.parametrize(
    ("field", "value"),
    # Each value in one of the one-line fields, in turn.
    list(
        zip(
            itertools.cycle(["first_name", "last_name", "job_title", "department"]),
            WITH_CONTROL_CHARACTERS,
        )
    ),
)
def test_no_control_character_is_stored_in_a_one_line_contact_field(
    client_for, editor, customers, field, value
):
    customer = customers["NL"]
    data = {"first_name": "Anna", field: value}

    response = post_contact(client_for(editor), customer, "create", data)

    assert_answered(response)
    stored = Contact.objects.filter(customer=customer).values_list(field, flat=True)
    assert control_characters_in(stored) == []


def test_printable_names_in_any_script_are_kept_as_typed(client_for, editor, customers):
    """The fuzzing must not pass by refusing everything: a plain name is saved."""
    client = client_for(editor)
    customer = customers["NL"]

    @given(name=printable_text(20))
    def save_a_name(name):
        typed = f"A{name}".strip()
        with rolled_back():
            response = post_contact(client, customer, "create", {"first_name": typed})

            assert response.status_code == 302
            assert Contact.objects.latest("pk").first_name == typed

    save_a_name()
