"""Two people saving the same card at once, on two database connections
(PostgreSQL only: see tests.concurrency)."""

from contacts.models import ContactDetail
from contacts.selectors import contact_card_version
from contacts.services.card import (
    ContactCardChanged,
    DetailInput,
    contact_detail_create,
    contact_details_update,
)
from tests.concurrency import RACE_TEST, at_the_same_time
from tests.customers.factories import CustomerFactory

pytestmark = RACE_TEST


def test_two_first_emails_at_once_give_exactly_one_primary():
    customer = CustomerFactory()
    outcomes = at_the_same_time(
        *[
            lambda n=n: contact_detail_create(
                customer=customer, kind="email", value=f"user{n}@example.com"
            )
            for n in range(4)
        ]
    )
    assert all(isinstance(outcome, ContactDetail) for outcome in outcomes), outcomes
    details = ContactDetail.objects.filter(customer=customer)
    assert details.count() == 4
    assert details.filter(is_primary=True).count() == 1


def test_two_windows_saving_at_once_the_second_is_refused():
    customer = CustomerFactory()
    contact_detail_create(customer=customer, kind="email", value="old@example.com")
    opened = contact_card_version(customer=customer)  # both windows open this card

    def save(value):
        return lambda: contact_details_update(
            customer=customer,
            primaries={"email": DetailInput(kind="email", value=value)},
            additional=[DetailInput(kind="email", value=f"extra-{value}")],
            card_version=opened,
        )

    outcomes = at_the_same_time(save("anna@example.com"), save("ben@example.com"))
    refused = [o for o in outcomes if isinstance(o, ContactCardChanged)]
    saved = [o for o in outcomes if isinstance(o, list)]
    assert len(refused) == 1 and len(saved) == 1, outcomes
    winner = "anna@example.com" if outcomes[0] is saved[0] else "ben@example.com"
    rows = ContactDetail.objects.filter(customer=customer)
    assert sorted(rows.values_list("value", "is_primary")) == sorted(
        [(winner, True), (f"extra-{winner}", False)]
    )


def test_a_removal_racing_an_addition_leaves_one_primary():
    customer = CustomerFactory()
    first = contact_detail_create(
        customer=customer, kind="email", value="a@example.com"
    )
    contact_detail_create(customer=customer, kind="email", value="b@example.com")
    from contacts.services.card import contact_detail_delete

    outcomes = at_the_same_time(
        lambda: contact_detail_delete(detail=first),
        lambda: contact_detail_create(
            customer=customer, kind="email", value="c@example.com"
        ),
    )
    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    primaries = ContactDetail.objects.filter(customer=customer, is_primary=True)
    assert list(primaries.values_list("value", flat=True)) == ["b@example.com"]
