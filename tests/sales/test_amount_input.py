"""An amount input speaks the page's language: `1.200,00` in Dutch, `1,200.00` in
English, shown and accepted so; separators that mean something else there are
refused with an example, never guessed."""

from decimal import Decimal

import pytest
from django.utils import translation

from sales.forms import InvoiceForm
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def form(customer, amount):
    return InvoiceForm(
        data={"date": "2026-01-06", "amount": amount, "currency": "EUR"},
        customer=customer,
    )


@pytest.mark.parametrize(
    "language, typed, amount",
    [
        ("nl", "1.200,50", Decimal("1200.50")),
        ("nl", "1200,5", Decimal("1200.5")),
        ("nl", "1200", Decimal("1200")),
        ("en", "1,200.50", Decimal("1200.50")),
        ("en", "1200.5", Decimal("1200.5")),
    ],
)
def test_an_amount_is_read_the_languages_way(language, typed, amount):
    with translation.override(language):
        bound = form(CustomerFactory(), typed)
        assert bound.is_valid(), bound.errors
        assert bound.cleaned_data["amount"] == amount


@pytest.mark.parametrize(
    "language, typed, example",
    [("nl", "1200.50", "1.200,50"), ("en", "1.200,50", "1,200.50")],
)
def test_separators_of_the_other_language_are_refused_with_an_example(
    language, typed, example
):
    with translation.override(language):
        bound = form(CustomerFactory(), typed)
        assert not bound.is_valid()
        assert example in bound.errors["amount"][0]
        # What was typed stays in the field to be corrected.
        assert f'value="{typed}"' in str(bound["amount"])


@pytest.mark.parametrize("language, shown", [("nl", "1.200,00"), ("en", "1,200.00")])
def test_a_stored_amount_is_shown_the_languages_way(language, shown):
    with translation.override(language):
        unbound = InvoiceForm(
            initial={"amount": Decimal("1200")}, customer=CustomerFactory()
        )
        field = str(unbound["amount"])
    assert f'value="{shown}"' in field
    assert 'inputmode="decimal"' in field
