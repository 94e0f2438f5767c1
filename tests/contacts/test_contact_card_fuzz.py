"""Fuzzing the contact card's editing window, its management fields included: the
answer is the window with its errors or the saved card, never a failure; what is
stored passes every rule again, each kind keeps exactly one primary, and another
customer's details cannot be reached through this one's window."""

import pytest
from django.urls import reverse
from hypothesis import strategies as st

from contacts.models import ContactDetail
from contacts.selectors import contact_card_version
from contacts.services.card import DetailInput, contact_details_update
from contacts.views import ContactCardUpdateView
from tests.customers.factories import CustomerFactory, billing_address
from tests.fuzz import (
    VALID_EMAILS,
    VALID_PHONES,
    VALID_WEBSITES,
    WITH_CONTROL_CHARACTERS,
    any_characters,
    any_text,
    assert_contact_card_valid,
    assert_every_example_answered,
    control_characters_in,
    email_like,
    phone_like,
    spoiled,
    website_like,
)

pytestmark = pytest.mark.django_db

PREFIX = "additional"
KINDS = ["email", "telephone", "mobile", "website"]
VALUE_OF_KIND = {
    "email": email_like(),
    "telephone": phone_like(),
    "mobile": phone_like(),
    "website": website_like(),
}
# What a tampered management form may say, short of the known failures below
# (counts past the formset's limit; digits that int() cannot read).
COUNTS = st.one_of(
    st.integers(-3, 6).map(str),
    st.sampled_from(["", "-100", "1.5", " 2 ", "٣", "0x2", "1e1"]),
)
NUMBERS = st.one_of(st.integers(-3, 6).map(str), st.just("99999999999"))


def customer_with_card(name: str, primaries: dict[str, str], additional: list[str]):
    """A Dutch customer whose card has these primaries (by kind) and additional
    email addresses, saved through the service as the window saves them."""
    customer = CustomerFactory(name=name)
    billing_address(customer, "NL")
    contact_details_update(
        customer=customer,
        primaries={
            kind: DetailInput(kind=kind, value=value)
            for kind, value in primaries.items()
        },
        additional=[DetailInput(kind="email", value=value) for value in additional],
        card_version=contact_card_version(customer=customer),
    )
    return customer


@pytest.fixture
def customer():
    return customer_with_card(
        "Fjord Foods B.V.",
        {"email": "info@fjord.example", "telephone": "020 123 4567"},
        ["sales@fjord.example"],
    )


@pytest.fixture
def neighbour():
    """Another customer, whose details must stay out of reach."""
    return customer_with_card(
        "Neighbour Ltd", {"email": "n@example.com"}, ["other@example.com"]
    )


VALID_OF_KIND = {
    "email": VALID_EMAILS,
    "telephone": VALID_PHONES,
    "mobile": VALID_PHONES,
    "website": VALID_WEBSITES,
}


@st.composite
def window_posts(draw, customer, neighbour):
    """A post of the window that would save, with up to two of its fields (the
    management fields among them) replaced by hostile values; rows may point at this
    customer's details, at the neighbour's, or at none."""
    ids = [
        str(pk)
        for pk in ContactDetail.objects.filter(
            customer__in=[customer, neighbour]
        ).values_list("pk", flat=True)
    ]
    own_additional = [
        str(pk)
        for pk in ContactDetail.objects.filter(
            customer=customer, is_primary=False
        ).values_list("pk", flat=True)
    ]
    rows = draw(st.integers(0, 3))
    valid = {"version": st.just(str(contact_card_version(customer=customer)))}
    hostile = {"version": any_characters(70)}
    for kind in KINDS:
        valid[kind] = VALID_OF_KIND[kind]
        valid[f"{kind}_description"] = st.sampled_from(["", "Billing Contact"])
        hostile[kind] = VALUE_OF_KIND[kind]
        hostile[f"{kind}_description"] = any_text()
    valid[f"{PREFIX}-TOTAL_FORMS"] = st.just(str(rows))
    valid[f"{PREFIX}-INITIAL_FORMS"] = st.just("0")
    for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
        hostile[f"{PREFIX}-{name}"] = COUNTS if "_NUM_" not in name else NUMBERS
    for index in range(rows):
        key = f"{PREFIX}-{index}-"
        kind = draw(st.sampled_from(KINDS))
        valid[f"{key}id"] = st.sampled_from(["", *own_additional])
        valid[f"{key}kind"] = st.just(kind)
        valid[f"{key}value"] = VALID_OF_KIND[kind].filter(bool)
        valid[f"{key}description"] = st.sampled_from(["", "Emergency Contact"])
        hostile[f"{key}id"] = st.sampled_from(["abc", "-1", "99999", "1.0", *ids])
        hostile[f"{key}kind"] = any_characters(12)
        hostile[f"{key}value"] = VALUE_OF_KIND[kind]
        hostile[f"{key}description"] = any_text()
        hostile[f"{key}DELETE"] = st.sampled_from(["on", "1", "x", ""])
    data = draw(spoiled(valid, hostile, most=3))
    if draw(st.booleans()):
        data["add_row"] = "1"
    return data


def details_of(customer):
    return list(ContactDetail.objects.filter(customer=customer).values())


def test_the_window_answers_and_keeps_the_card_valid(
    client_for, editor, customer, neighbour
):
    client = client_for(editor)
    url = reverse("contacts:contact_details_edit", args=[customer.pk])
    neighbours_card = details_of(neighbour)

    def check():
        assert_contact_card_valid(customer)
        assert details_of(neighbour) == neighbours_card

    assert_every_example_answered(
        strategies={"post": window_posts(customer, neighbour)},
        send=lambda post: client.post(url, post),
        check=check,
        snapshot=lambda: details_of(customer),
    )


def post_window(client, customer, **fields):
    data = {
        "version": str(contact_card_version(customer=customer)),
        f"{PREFIX}-TOTAL_FORMS": "0",
        f"{PREFIX}-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return client.post(
        reverse("contacts:contact_details_edit", args=[customer.pk]), data
    )


def test_add_with_a_form_count_that_is_not_a_number_shows_the_window(
    client_for, editor, customer
):
    response = post_window(
        client_for(editor), customer, **{f"{PREFIX}-TOTAL_FORMS": "abc", "add_row": "1"}
    )

    assert response.status_code == 200


def test_add_with_a_form_count_in_superscript_digits_shows_the_window(
    client_for, editor, customer
):
    response = post_window(
        client_for(editor), customer, **{f"{PREFIX}-TOTAL_FORMS": "²", "add_row": "1"}
    )

    assert response.status_code == 200


def test_a_huge_form_count_does_not_make_thousands_of_rows(rf, editor, customer):
    """Called without rendering the page, which alone takes seconds here."""
    request = rf.post(
        "/",
        {
            "version": str(contact_card_version(customer=customer)),
            f"{PREFIX}-TOTAL_FORMS": "99999999999",
            f"{PREFIX}-INITIAL_FORMS": "0",
        },
    )
    request.user = editor
    request._dont_enforce_csrf_checks = True

    response = ContactCardUpdateView.as_view()(request, customer_pk=customer.pk)

    assert response.status_code == 200
    # The window's cap: a number of rows a person never reaches, and no more forms.
    assert response.context_data["formset"].total_form_count() <= 100


@pytest.mark.parametrize("where", ["primary", "additional"])
def test_a_website_that_is_too_long_once_completed_is_refused(
    client_for, editor, customer, where
):
    website = "example.com/" + "p" * 240  # 252 characters, 260 with https://
    if where == "primary":
        fields = {"website": website}
    else:
        fields = {
            f"{PREFIX}-TOTAL_FORMS": "1",
            f"{PREFIX}-0-kind": "website",
            f"{PREFIX}-0-value": website,
        }

    response = post_window(client_for(editor), customer, **fields)

    assert response.status_code == 200
    assert not ContactDetail.objects.filter(customer=customer, kind="website").exists()


@pytest.mark.parametrize("value", WITH_CONTROL_CHARACTERS)
def test_no_control_character_is_stored_in_a_description(
    client_for, editor, customer, value
):
    post_window(
        client_for(editor),
        customer,
        email="info@fjord.example",
        email_description=value,
    )

    stored = ContactDetail.objects.filter(customer=customer).values_list(
        "description", flat=True
    )
    assert control_characters_in(stored) == []
