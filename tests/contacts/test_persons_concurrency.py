"""Writers of persons and their links at the same time, on two database
connections: two users giving Primary to two contacts of one customer (one wins, the
other is refused at the Roles field naming the winner), a new link while the
person's last link ends; never an IntegrityError.

PostgreSQL only: SQLite serialises every writer for the whole transaction.
"""

from django.core.exceptions import ValidationError

from contacts.models import Contact, Person
from contacts.services.links import contact_create, contact_delete, contact_update
from tests.concurrency import RACE_TEST, at_the_same_time, one_after_the_other
from tests.contacts.factories import role
from tests.customers.factories import CustomerFactory

pytestmark = RACE_TEST


def create(customer, first_name):
    return lambda: contact_create(
        customer=customer, first_name=first_name, roles=[role("primary")]
    )


def give_primary(contact):
    return lambda: contact_update(
        contact=Contact.objects.get(pk=contact.pk), data={}, roles=[role("primary")]
    )


def test_two_new_contacts_given_primary_at_once_one_wins():
    customer = CustomerFactory()

    outcomes = at_the_same_time(create(customer, "Petra"), create(customer, "Jan"))

    refused = [o for o in outcomes if isinstance(o, Exception)]
    won = [o for o in outcomes if isinstance(o, Contact)]
    assert len(won) == 1 and len(refused) == 1, outcomes
    assert isinstance(refused[0], ValidationError), refused
    assert refused[0].message_dict == {
        "roles": [
            f"{won[0].full_name} is already the Primary contact of this customer; "
            "take the role off there first."
        ]
    }
    assert list(Contact.objects.filter(is_primary=True)) == won


def test_two_contacts_given_primary_one_after_the_other_the_second_is_refused():
    customer = CustomerFactory()
    petra, jan = (
        contact_create(customer=customer, first_name=name, last_name="Visser")
        for name in ("Petra", "Jan")
    )

    first, second = one_after_the_other(give_primary(petra), give_primary(jan))

    assert first == petra
    assert isinstance(second, ValidationError), second
    assert "Petra Visser is already the Primary contact" in str(second)
    assert list(Contact.objects.filter(is_primary=True)) == [petra]


def test_a_new_link_and_the_end_of_the_persons_last_link_at_once():
    """Linking a person to a second customer while their only link ends: either
    the link is made and the person stays, or the person is gone and the link is
    refused; never an IntegrityError."""
    first, second = CustomerFactory(), CustomerFactory()
    only = contact_create(customer=first, first_name="Petra")

    outcomes = at_the_same_time(
        lambda: contact_delete(contact=Contact.objects.get(pk=only.pk)),
        lambda: contact_create(customer=second, person=only.person_id),
    )

    linked = outcomes[1]
    if isinstance(linked, Contact):
        assert Person.objects.filter(pk=only.person_id).exists()
    else:
        assert isinstance(linked, ValidationError), outcomes
        assert not Person.objects.exists()
    assert not Contact.objects.filter(customer=first).exists()
