"""contact_details_update: the editing window's save, all or nothing."""

import pytest
from django.core.exceptions import ValidationError

from contacts.models import ContactDetail
from contacts.selectors import contact_card, contact_card_version
from contacts.services.card import (
    ContactCardChanged,
    DetailInput,
    contact_detail_create,
    contact_detail_delete,
    contact_detail_update,
    contact_details_update,
)
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    customer = CustomerFactory()
    billing_address(customer, "NL")
    return customer


def save(customer, primaries=None, additional=(), version=None):
    return contact_details_update(
        customer=customer,
        primaries={
            kind: DetailInput(kind=kind, value=value, description=description)
            for kind, (value, description) in (primaries or {}).items()
        },
        additional=list(additional),
        card_version=version or contact_card_version(customer=customer),
    )


def card_rows(customer):
    return list(
        ContactDetail.objects.filter(customer=customer)
        .order_by("kind", "-is_primary", "created_at")
        .values_list("kind", "value", "description", "is_primary")
    )


def test_it_saves_primary_fields_and_additional_rows_at_once(customer):
    save(
        customer,
        primaries={
            "email": ("info@example.com", ""),
            "telephone": ("020 123 4567", "Reception"),
            "mobile": ("", ""),
            "website": ("example.com", ""),
        },
        additional=[
            DetailInput(
                kind="email", value="billing@example.com", description="Billing Contact"
            ),
            DetailInput(
                kind="telephone", value="020 765 4321", description="Billing Contact"
            ),
        ],
    )
    assert card_rows(customer) == [
        ("email", "info@example.com", "", True),
        ("email", "billing@example.com", "Billing Contact", False),
        ("telephone", "+31201234567", "Reception", True),
        ("telephone", "+31207654321", "Billing Contact", False),
        ("website", "https://example.com", "", True),
    ]


def test_an_additional_row_of_a_kind_without_details_becomes_its_primary(customer):
    save(customer, additional=[DetailInput(kind="mobile", value="06 12345678")])
    assert card_rows(customer) == [("mobile", "+31612345678", "", True)]


def test_a_value_typed_in_an_empty_primary_field_wins_over_an_additional_row(
    customer,
):
    save(
        customer,
        primaries={"email": ("info@example.com", "")},
        additional=[DetailInput(kind="email", value="other@example.com")],
    )
    assert card_rows(customer) == [
        ("email", "info@example.com", "", True),
        ("email", "other@example.com", "", False),
    ]


def test_changing_the_primary_email_field_changes_that_detail_in_place(customer):
    primary = contact_detail_create(
        customer=customer, kind="email", value="old@example.com"
    )
    other = contact_detail_create(
        customer=customer, kind="email", value="billing@example.com"
    )
    save(
        customer,
        primaries={"email": ("new@example.com", "Main")},
        additional=[DetailInput(pk=other.pk, kind="email", value=other.value)],
    )
    primary.refresh_from_db()
    assert (primary.value, primary.description, primary.is_primary) == (
        "new@example.com",
        "Main",
        True,
    )
    assert card_rows(customer)[1] == ("email", "billing@example.com", "", False)


def test_emptying_the_primary_field_promotes_the_oldest_remaining(customer):
    contact_detail_create(customer=customer, kind="email", value="a@example.com")
    b = contact_detail_create(customer=customer, kind="email", value="b@example.com")
    c = contact_detail_create(customer=customer, kind="email", value="c@example.com")
    save(
        customer,
        primaries={"email": ("", "")},
        additional=[
            DetailInput(pk=c.pk, kind="email", value=c.value),
            DetailInput(pk=b.pk, kind="email", value=b.value),
        ],
    )
    assert card_rows(customer) == [
        ("email", "b@example.com", "", True),
        ("email", "c@example.com", "", False),
    ]


def test_removing_every_detail_leaves_an_empty_card(customer):
    contact_detail_create(customer=customer, kind="email", value="a@example.com")
    contact_detail_create(customer=customer, kind="email", value="b@example.com")
    save(customer, primaries={"email": ("", "")}, additional=[])
    assert card_rows(customer) == []
    assert contact_card(customer=customer).is_empty


def test_a_kind_left_out_of_the_primaries_is_left_alone(customer):
    contact_detail_create(customer=customer, kind="website", value="example.com")
    save(customer, primaries={"email": ("info@example.com", "")})
    assert ("website", "https://example.com", "", True) in card_rows(customer)


def test_one_refused_field_saves_nothing_and_names_each_field(customer):
    contact_detail_create(customer=customer, kind="email", value="old@example.com")
    before = card_rows(customer)
    with pytest.raises(ValidationError) as refused:
        save(
            customer,
            primaries={
                "email": ("new@example.com", ""),
                "telephone": ("06 123", ""),
                "website": ("example.com", "x" * 101),
            },
            additional=[
                DetailInput(kind="email", value="fine@example.com"),
                DetailInput(kind="email", value="no-at-sign"),
                DetailInput(kind="mobile", value="", description="Emergency Contact"),
            ],
        )
    errors = refused.value.message_dict
    # Keyed by row and field, not by the window's field names (the form maps them).
    assert set(errors) == {
        "primary.telephone.value",
        "primary.website.description",
        "additional.1.value",
        "additional.2.value",
    }
    assert "digits too" in errors["primary.telephone.value"][0]
    assert errors["additional.1.value"][0].startswith("This address has no @ sign")
    assert card_rows(customer) == before


def test_a_description_without_a_value_is_refused(customer):
    with pytest.raises(ValidationError) as refused:
        save(customer, primaries={"mobile": ("", "Emergency Contact")})
    assert "primary.mobile.value" in refused.value.message_dict


def test_a_save_based_on_a_card_that_changed_since_is_refused(customer):
    detail = contact_detail_create(
        customer=customer, kind="email", value="a@example.com"
    )
    opened = contact_card_version(customer=customer)
    # Someone else changes the description meanwhile.
    contact_detail_update(detail=detail, data={"description": "Billing Contact"})
    with pytest.raises(ContactCardChanged, match="Review the current values"):
        save(customer, primaries={"email": ("mine@example.com", "")}, version=opened)
    detail.refresh_from_db()
    assert (detail.value, detail.description) == ("a@example.com", "Billing Contact")


@pytest.mark.parametrize("change", ["add", "delete"])
def test_an_added_or_removed_detail_changes_the_card_version(customer, change):
    detail = contact_detail_create(
        customer=customer, kind="email", value="a@example.com"
    )
    opened = contact_card_version(customer=customer)
    if change == "add":
        contact_detail_create(customer=customer, kind="email", value="b@example.com")
    else:
        contact_detail_delete(detail=detail)
    assert contact_card_version(customer=customer) != opened


def test_a_row_of_another_customer_cannot_be_changed_through_this_card(customer):
    stranger = contact_detail_create(
        customer=CustomerFactory(), kind="email", value="a@example.com"
    )
    contact_detail_create(
        customer=CustomerFactory(), kind="email", value="b@example.com"
    )
    with pytest.raises(ContactCardChanged):
        save(
            customer,
            additional=[
                DetailInput(pk=stranger.pk, kind="email", value="x@example.com")
            ],
        )
    stranger.refresh_from_db()
    assert stranger.value == "a@example.com"


def test_an_unchanged_save_keeps_the_card_version(customer):
    contact_detail_create(customer=customer, kind="mobile", value="06 12345678")
    save(customer, primaries={"mobile": ("+31 6 12345678", "")})
    version = contact_card_version(customer=customer)
    save(customer, primaries={"mobile": ("06 12345678", "")})
    assert contact_card_version(customer=customer) == version


def test_moving_an_additional_row_to_another_kind_follows_the_rules(customer):
    contact_detail_create(customer=customer, kind="telephone", value="020 123 4567")
    second = contact_detail_create(
        customer=customer, kind="telephone", value="06 12345678"
    )
    save(
        customer,
        additional=[DetailInput(pk=second.pk, kind="mobile", value="06 12345678")],
    )
    assert card_rows(customer) == [
        ("mobile", "+31612345678", "", True),
        ("telephone", "+31201234567", "", True),
    ]
