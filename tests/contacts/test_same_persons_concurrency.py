"""Linking two persons as one, and the pairs across customers, while other writers
work on the same contacts, on two database connections: never an error other than
a refusal, never a deadlock, never a pair that names a contact that is gone.

PostgreSQL only: SQLite serialises every writer for the whole transaction.
"""

from django.core.exceptions import ValidationError

from contacts.models import Contact, Person, PossibleDuplicate
from contacts.services.links import contact_create, contact_delete, contact_update
from contacts.services.persons import persons_join
from tests.concurrency import RACE_TEST, at_the_same_time, one_after_the_other
from tests.customers.factories import CustomerFactory

pytestmark = RACE_TEST

EMAIL = "anna@berg.example"


def anna_at_two_customers():
    """Anna Berg held twice: at Fjord Foods and, as another person, at Fjord
    Drinks (the pair is found once the second is committed)."""
    foods, drinks = CustomerFactory(name="Fjord Foods"), CustomerFactory()
    at_foods = contact_create(
        customer=foods, first_name="Anna", last_name="Berg", email=EMAIL
    )
    at_drinks = contact_create(
        customer=drinks, first_name="Ana", last_name="Berg", email=EMAIL
    )
    assert PossibleDuplicate.objects.filter(other_customer__isnull=False).count() == 1
    return at_foods, at_drinks


def join(at_foods, at_drinks):
    return lambda: persons_join(
        keep=Person.objects.get(pk=at_foods.person_id),
        join=Person.objects.get(pk=at_drinks.person_id),
    )


def rename(contact, first_name):
    return lambda: contact_update(
        contact=Contact.objects.get(pk=contact.pk),
        data={"first_name": first_name, "job_title": "Buyer"},
    )


def delete(contact):
    return lambda: contact_delete(contact=Contact.objects.get(pk=contact.pk))


def test_a_join_then_an_edit_of_the_joined_link():
    at_foods, at_drinks = anna_at_two_customers()

    joined, edited = one_after_the_other(
        join(at_foods, at_drinks), rename(at_drinks, "Anna")
    )

    assert isinstance(joined, Person), joined
    assert isinstance(edited, Contact), edited
    links = Contact.objects.filter(person_id=at_foods.person_id)
    assert sorted(links.values_list("pk", "job_title")) == [
        (at_foods.pk, ""),
        (at_drinks.pk, "Buyer"),
    ]
    assert not PossibleDuplicate.objects.exists()


def test_an_edit_of_the_link_then_the_join():
    at_foods, at_drinks = anna_at_two_customers()

    edited, joined = one_after_the_other(
        rename(at_drinks, "Annie"), join(at_foods, at_drinks)
    )

    assert isinstance(edited, Contact), edited
    assert isinstance(joined, Person), joined
    # The kept name goes to every link, the edit's job title stays.
    assert sorted(
        Contact.objects.values_list("person_id", "first_name", "job_title")
    ) == [(at_foods.person_id, "Anna", ""), (at_foods.person_id, "Anna", "Buyer")]
    assert not PossibleDuplicate.objects.exists()


def test_a_join_then_the_deletion_of_a_link():
    at_foods, at_drinks = anna_at_two_customers()

    joined, deleted = one_after_the_other(join(at_foods, at_drinks), delete(at_drinks))

    assert isinstance(joined, Person), joined
    assert deleted is None
    assert list(Contact.objects.values_list("pk", "person_id")) == [
        (at_foods.pk, at_foods.person_id)
    ]
    assert list(Person.objects.values_list("pk", flat=True)) == [at_foods.person_id]


def test_the_deletion_of_a_link_then_the_join_is_refused():
    at_foods, at_drinks = anna_at_two_customers()

    deleted, joined = one_after_the_other(delete(at_drinks), join(at_foods, at_drinks))

    assert deleted is None
    assert isinstance(joined, ValidationError), joined
    assert list(Person.objects.values_list("pk", flat=True)) == [at_foods.person_id]
    assert not PossibleDuplicate.objects.exists()


def test_a_join_an_edit_and_a_deletion_at_once():
    at_foods, at_drinks = anna_at_two_customers()
    third = contact_create(customer=CustomerFactory(), person=at_drinks.person_id)

    outcomes = at_the_same_time(
        join(at_foods, at_drinks), rename(at_foods, "Anna"), delete(third)
    )

    assert not any(
        isinstance(o, Exception) and not isinstance(o, ValidationError)
        for o in outcomes
    ), outcomes
    # Whatever the order, every link left is of one person at most once per
    # customer, and no pair names a contact that is gone.
    persons = set(Contact.objects.values_list("person_id", flat=True))
    assert persons <= set(Person.objects.values_list("pk", flat=True))
    assert not PossibleDuplicate.objects.exclude(
        contact_a__in=Contact.objects.all()
    ).exists()


def test_the_same_person_added_at_two_customers_at_once_is_found():
    """Each refresh reads what the other committed: the second finds the first."""
    foods, drinks = CustomerFactory(), CustomerFactory()

    outcomes = at_the_same_time(
        *(
            lambda customer=customer: contact_create(
                customer=customer, first_name="Anna", last_name="Berg", email=EMAIL
            )
            for customer in (foods, drinks)
        )
    )

    assert all(isinstance(o, Contact) for o in outcomes), outcomes
    pair = PossibleDuplicate.objects.get()
    assert {pair.customer_id, pair.other_customer_id} == {foods.pk, drinks.pk}


def test_a_candidate_deleted_while_its_pair_is_found():
    """A contact at one customer is deleted while a contact of another customer,
    with its email and name, is saved: the pair is stored only if both are there
    (never an IntegrityError for a contact that is gone)."""
    foods, drinks = CustomerFactory(), CustomerFactory()
    at_foods = contact_create(customer=foods, first_name="Anna", email=EMAIL)

    outcomes = at_the_same_time(
        delete(at_foods),
        lambda: contact_create(customer=drinks, first_name="Anna", email=EMAIL),
    )

    assert outcomes[0] is None and isinstance(outcomes[1], Contact), outcomes
    assert not PossibleDuplicate.objects.exists()
