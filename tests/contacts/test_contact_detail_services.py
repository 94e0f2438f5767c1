"""The primary rules through the single-detail services (admin, imports, commands)."""

import pytest
from django.db import IntegrityError, transaction

from contacts.models import ContactDetail
from contacts.selectors import customer_primary_details
from contacts.services.card import (
    contact_detail_create,
    contact_detail_delete,
    contact_detail_update,
)
from tests.contacts.factories import ContactDetailFactory
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db


def primaries(customer, kind):
    return list(
        ContactDetail.objects.filter(
            customer=customer, kind=kind, is_primary=True
        ).values_list("value", flat=True)
    )


def test_the_first_detail_of_a_kind_is_primary_and_the_next_is_not():
    customer = CustomerFactory()
    first = contact_detail_create(
        customer=customer, kind="email", value="info@example.com"
    )
    second = contact_detail_create(
        customer=customer, kind="email", value="sales@example.com"
    )
    website = contact_detail_create(
        customer=customer, kind="website", value="example.com"
    )
    assert first.is_primary and not second.is_primary
    assert website.is_primary
    assert primaries(customer, "email") == ["info@example.com"]


def test_removing_the_primary_promotes_the_oldest_remaining_of_its_kind():
    customer = CustomerFactory()
    first = contact_detail_create(
        customer=customer, kind="email", value="a@example.com"
    )
    contact_detail_create(customer=customer, kind="email", value="b@example.com")
    contact_detail_create(customer=customer, kind="email", value="c@example.com")
    contact_detail_delete(detail=first)
    assert primaries(customer, "email") == ["b@example.com"]


def test_removing_the_last_of_a_kind_leaves_no_primary_of_it():
    customer = CustomerFactory()
    only = contact_detail_create(customer=customer, kind="email", value="a@example.com")
    contact_detail_delete(detail=only)
    assert customer_primary_details(customer=customer)["email"] is None


def test_a_change_of_kind_moves_the_detail_and_promotes_in_the_kind_it_left():
    customer = CustomerFactory()
    billing_address(customer, "NL")
    landline = contact_detail_create(
        customer=customer, kind="telephone", value="020 123 4567"
    )
    contact_detail_create(customer=customer, kind="telephone", value="020 765 4321")
    contact_detail_create(customer=customer, kind="mobile", value="06 12345678")
    moved = contact_detail_update(
        detail=landline, data={"kind": "mobile", "value": "06 87654321"}
    )
    assert not moved.is_primary
    assert primaries(customer, "telephone") == ["+31207654321"]
    assert primaries(customer, "mobile") == ["+31612345678"]


def test_an_instance_loaded_before_a_promotion_does_not_undo_it():
    customer = CustomerFactory()
    first = contact_detail_create(
        customer=customer, kind="email", value="a@example.com"
    )
    second = contact_detail_create(
        customer=customer, kind="email", value="b@example.com"
    )
    contact_detail_delete(detail=first)  # promotes `second` in the database
    contact_detail_update(detail=second, data={"description": "Billing Contact"})
    second.refresh_from_db()
    assert second.is_primary


def test_nobody_can_choose_the_primary_through_the_update_service():
    customer = CustomerFactory()
    contact_detail_create(customer=customer, kind="email", value="a@example.com")
    other = contact_detail_create(
        customer=customer, kind="email", value="b@example.com"
    )
    with pytest.raises(ValueError, match="primary flag"):
        contact_detail_update(detail=other, data={"is_primary": True})
    assert primaries(customer, "email") == ["a@example.com"]


def test_the_database_refuses_a_second_primary_of_a_kind():
    customer = CustomerFactory()
    ContactDetailFactory(customer=customer, kind="email", is_primary=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactDetailFactory(customer=customer, kind="email", is_primary=True)


def test_a_primary_of_each_kind_is_allowed_side_by_side():
    customer = CustomerFactory()
    for kind in ("email", "telephone", "mobile", "website"):
        ContactDetailFactory(customer=customer, kind=kind, is_primary=True)
    ContactDetailFactory(customer=CustomerFactory(), kind="email", is_primary=True)
    assert ContactDetail.objects.filter(is_primary=True).count() == 5


def test_the_primary_details_selector_gives_every_kind():
    customer = CustomerFactory()
    email = contact_detail_create(
        customer=customer, kind="email", value="a@example.com"
    )
    contact_detail_create(customer=customer, kind="email", value="b@example.com")
    assert customer_primary_details(customer=customer) == {
        "email": email,
        "telephone": None,
        "mobile": None,
        "website": None,
    }


def test_the_history_records_each_change():
    customer = CustomerFactory()
    detail = contact_detail_create(
        customer=customer, kind="email", value="a@example.com"
    )
    contact_detail_update(detail=detail, data={"value": "b@example.com"})
    assert [row.value for row in detail.history.order_by("history_date")] == [
        "a@example.com",
        "b@example.com",
    ]
