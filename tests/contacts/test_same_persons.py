"""The same person held twice, as contacts of two customers: proposed on the Possible
duplicates page ("The same person?"), linked as one person or marked "Not the same
person"."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from contacts.duplicates import LinkedContact, find_same_persons
from contacts.models import Contact, NotDuplicate, Person, PossibleDuplicate
from contacts.services.duplicates import not_duplicate_mark
from contacts.services.links import contact_create, contact_delete, contact_update
from contacts.services.persons import persons_join
from sales.models import Invoice
from tests.contacts.factories import role
from tests.customers.factories import CustomerFactory
from tests.sales.factories import make_invoice
from tests.translations import NL as DUTCH

pytestmark = pytest.mark.django_db


def linked(pk, first, last="", email="", phone="", customer=1, person=None):
    return LinkedContact(pk, first, last, email, phone, customer, person or pk)


def across():
    return sorted(
        (p.contact_a_id, p.contact_b_id, p.same_email, p.same_phone, p.name_similarity)
        for p in PossibleDuplicate.objects.filter(other_customer__isnull=False)
    )


# The rule.


def test_the_same_person_needs_a_shared_email_or_phone_and_a_similar_name():
    anna = linked(1, "Anna", "Berg", email="anna@x.example", customer=1)
    candidates = [
        anna,
        linked(2, "Ana", "Berg", email="ANNA@x.example", customer=2),  # yes
        linked(3, "Piet", "Smit", email="anna@x.example", customer=3),  # name
        linked(4, "Anna", "Berg", email="other@x.example", customer=4),  # no key
        linked(5, "Anna", "Berg", email="anna@x.example", customer=1),  # same cust.
        linked(6, "Anna", "Berg", email="anna@x.example", customer=6, person=1),
    ]
    [found] = find_same_persons([anna], candidates)
    assert (found.a, found.b, found.same_email, found.same_phone) == (1, 2, True, False)
    assert found.name_similarity == 94


def test_each_contact_proposes_at_most_the_limit_strongest_first():
    anna = linked(1, "Anna", "Berg", email="a@x.example", phone="+31611111111")
    others = [
        linked(pk, "Anna", "Berg", phone="+31611111111", customer=pk)
        for pk in range(2, 9)
    ]
    both = linked(20, "Anna", "Berg", "a@x.example", "+31611111111", customer=20)
    found = list(find_same_persons([anna], [*others, both], limit=3))
    assert [(f.a, f.b) for f in found] == [(1, 20), (1, 2), (1, 3)]


# The refresh, once the writer has committed.


@pytest.fixture
def two_customers():
    return CustomerFactory(name="Fjord Foods"), CustomerFactory(name="Fjord Drinks")


@pytest.fixture
def anna_twice(two_customers, django_capture_on_commit_callbacks):
    foods, drinks = two_customers
    with django_capture_on_commit_callbacks(execute=True):
        at_foods = contact_create(
            customer=foods,
            first_name="Anna",
            last_name="Berg",
            email="anna@berg.example",
            roles=[role("invoice")],
        )
    with django_capture_on_commit_callbacks(execute=True):
        at_drinks = contact_create(
            customer=drinks,
            first_name="Anna",
            last_name="Berg",
            email="anna@berg.example",
            phone="+31612345678",
            roles=[role("order")],
        )
    return at_foods, at_drinks


def test_contacts_of_two_customers_that_look_like_one_person_are_a_pair(
    anna_twice, two_customers
):
    at_foods, at_drinks = anna_twice
    assert across() == [(at_foods.pk, at_drinks.pk, True, False, 100)]
    pair = PossibleDuplicate.objects.get()
    assert (pair.customer, pair.other_customer) == two_customers


def test_the_pair_follows_the_contacts(anna_twice, django_capture_on_commit_callbacks):
    at_foods, at_drinks = anna_twice
    with django_capture_on_commit_callbacks(execute=True):
        contact_update(contact=at_foods, data={"phone": "+31612345678"})
    assert across() == [(at_foods.pk, at_drinks.pk, True, True, 100)]
    with django_capture_on_commit_callbacks(execute=True):
        contact_update(contact=at_drinks, data={"first_name": "Piet"})
    assert across() == []
    with django_capture_on_commit_callbacks(execute=True):
        contact_update(contact=at_drinks, data={"first_name": "Anna"})
    assert len(across()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        contact_delete(contact=at_foods)
    assert across() == []


def test_one_person_at_two_customers_is_no_pair(
    two_customers, django_capture_on_commit_callbacks
):
    foods, drinks = two_customers
    with django_capture_on_commit_callbacks(execute=True):
        anna = contact_create(
            customer=foods, first_name="Anna", email="anna@berg.example"
        )
        contact_create(customer=drinks, person=anna.person, email="anna@berg.example")
    assert across() == []


def test_not_the_same_person_is_remembered(
    anna_twice, manager, django_capture_on_commit_callbacks
):
    at_foods, _ = anna_twice
    not_duplicate_mark(pair=PossibleDuplicate.objects.get())
    with django_capture_on_commit_callbacks(execute=True):
        contact_update(contact=at_foods, data={"job_title": "CFO"})
    assert across() == []
    assert NotDuplicate.objects.count() == 1


# Linking as one person.


def test_link_as_one_person_joins_them_and_keeps_each_link(
    anna_twice, two_customers, manager
):
    at_foods, at_drinks = anna_twice
    keep, join = at_foods.person, at_drinks.person
    Person.objects.filter(pk=join.pk).update(personal_phone="+31687654321")
    invoice = make_invoice(customer=two_customers[1], contact=at_drinks)

    persons_join(keep=keep, join=join, user=manager)

    assert not Person.objects.filter(pk=join.pk).exists()
    keep.refresh_from_db()
    assert keep.personal_phone == "+31687654321"
    links = {c.pk: c for c in Contact.objects.filter(person=keep)}
    assert set(links) == {at_foods.pk, at_drinks.pk}
    # Each link keeps its own roles and work details.
    assert [r.code for r in links[at_drinks.pk].roles.all()] == ["order"]
    assert links[at_drinks.pk].phone == "+31612345678"
    assert PossibleDuplicate.objects.count() == 0
    assert Invoice.objects.get(pk=invoice.pk).contact_id == at_drinks.pk
    for link in links.values():
        record = link.history.first()
        assert record.history_change_reason == (
            "Linked Anna Berg and Anna Berg as one person."
        )
        assert record.history_user_id == manager.pk


def test_the_kept_name_goes_to_every_link(two_customers):
    foods, drinks = two_customers
    anna = contact_create(customer=foods, first_name="Anna", last_name="Berg")
    ana = contact_create(customer=drinks, first_name="Ana", last_name="Berg")
    persons_join(keep=anna.person, join=ana.person)
    ana.refresh_from_db()
    assert (ana.first_name, ana.person_id) == ("Anna", anna.person_id)


def test_two_persons_at_one_customer_are_refused(two_customers):
    foods, drinks = two_customers
    anna = contact_create(customer=foods, first_name="Anna", last_name="Berg")
    ana = contact_create(customer=foods, first_name="Ana", last_name="Berg")
    contact_create(customer=drinks, person=ana.person)
    with pytest.raises(ValidationError, match="merge those two contacts first"):
        persons_join(keep=anna.person, join=ana.person)
    assert Person.objects.count() == 2
    assert Contact.objects.filter(person=ana.person).count() == 2


def test_a_person_gone_meanwhile_is_refused(anna_twice):
    at_foods, at_drinks = anna_twice
    join = at_drinks.person
    contact_delete(contact=at_drinks)
    with pytest.raises(ValidationError, match="no longer exists"):
        persons_join(keep=at_foods.person, join=join)


# The pages.

LIST_URL = reverse("duplicates:list")


def link_url(pair):
    return reverse("duplicates:link", args=[pair.pk])


@pytest.fixture
def both_kinds(anna_twice, two_customers):
    """A pair of one customer's contacts and a pair across customers (newest)."""
    foods, _ = two_customers
    contact_create(customer=foods, first_name="Bram", phone="+31611111111")
    contact_create(customer=foods, first_name="Piet", phone="+31611111111")
    across_pair = PossibleDuplicate.objects.get(other_customer__isnull=False)
    PossibleDuplicate.objects.filter(pk=across_pair.pk).update(
        found_at=timezone.now() + datetime.timedelta(minutes=1)
    )
    return across_pair


def test_the_page_offers_the_same_person_in_a_fixed_number_of_queries(
    client_for, manager, both_kinds, django_assert_num_queries
):
    client = client_for(manager)
    # session, user, permissions (4); the count and the page of pairs with their
    # customers and contacts (2): as many as for pairs of one customer.
    with django_assert_num_queries(6):
        response = client.get(LIST_URL)
    page = response.content.decode()
    assert page.count("The same person?") == 2  # the row and the explanation
    assert link_url(both_kinds) in page
    assert page.count("Link as one person") == 1
    assert "Not the same person" in page
    first, second = response.context["pairs"]
    assert (first.customer.name, first.other_customer.name) == (
        "Fjord Foods",
        "Fjord Drinks",
    )
    assert second.other_customer is None
    merge = reverse(
        "contacts:merge",
        args=[second.customer_id, second.contact_a_id, second.contact_b_id],
    )
    assert merge in page
    assert (
        reverse(
            "contacts:merge",
            args=[first.customer_id, first.contact_a_id, first.contact_b_id],
        )
        not in page
    )


def test_the_page_in_dutch(client_for, manager, both_kinds):
    page = client_for(manager).get(LIST_URL, **DUTCH).content.decode()
    for text in (
        "Dezelfde persoon?",
        "Koppelen als één persoon",
        "Niet dezelfde persoon",
    ):
        assert text in page
    preview = client_for(manager).get(link_url(both_kinds), **DUTCH).content.decode()
    assert "Wiens naam en taal blijven" in preview
    response = client_for(manager).post(
        link_url(both_kinds), {"keep": both_kinds.contact_a.person_id}, **DUTCH
    )
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == ["Anna Berg en Anna Berg zijn gekoppeld als één persoon."]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("manager", 200), ("editor", 403), ("viewer", 403), ("outsider", 403)],
)
def test_linking_is_for_those_who_may_merge(
    request, client_for, persona, status, anna_twice
):
    pair = PossibleDuplicate.objects.get()
    client = client_for(request.getfixturevalue(persona))
    assert client.get(link_url(pair)).status_code == status
    response = client.post(link_url(pair), {"keep": anna_twice[0].person_id})
    assert response.status_code == (302 if status == 200 else 403)
    assert Person.objects.count() == (1 if status == 200 else 2)


def test_link_as_one_person_from_the_page(client_for, manager, anna_twice):
    at_foods, at_drinks = anna_twice
    contact_create(customer=CustomerFactory(), person=at_drinks.person)
    client = client_for(manager)
    pair = PossibleDuplicate.objects.get()
    preview = client.get(link_url(pair))
    # The person with more customers stays by default.
    assert preview.context["form"]["keep"].initial == at_drinks.person_id
    page = preview.content.decode()
    assert "Fjord Foods" in page and "Fjord Drinks" in page

    response = client.post(link_url(pair), {"keep": at_drinks.person_id})

    assert response.url == reverse("persons:detail", args=[at_drinks.person_id])
    assert Contact.objects.filter(person=at_drinks.person).count() == 3
    assert not PossibleDuplicate.objects.exists()
    # Posted again (a second click): the pair is gone, said, no error.
    again = client.post(link_url(pair), {"keep": at_drinks.person_id}, follow=True)
    assert "no longer proposed" in again.content.decode()


def test_a_person_not_of_the_pair_is_refused_at_its_field(
    client_for, manager, anna_twice
):
    pair = PossibleDuplicate.objects.get()
    stranger = contact_create(customer=CustomerFactory(), first_name="Piet").person
    response = client_for(manager).post(link_url(pair), {"keep": stranger.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["keep"]
    assert Person.objects.count() == 3


def test_two_persons_at_one_customer_are_refused_on_the_page(
    client_for, manager, anna_twice
):
    at_foods, at_drinks = anna_twice
    contact_create(customer=at_foods.customer, person=at_drinks.person)
    pair = PossibleDuplicate.objects.get(other_customer__isnull=False)
    response = client_for(manager).post(
        link_url(pair), {"keep": at_foods.person_id}, follow=True
    )
    assert "merge those two contacts first" in response.content.decode()
    assert Person.objects.count() == 2


def test_not_the_same_person_from_the_page(client_for, manager, anna_twice):
    pair = PossibleDuplicate.objects.get()
    response = client_for(manager).post(
        reverse("duplicates:not_a_duplicate", args=[pair.pk]), follow=True
    )
    assert "Anna Berg and Anna Berg are marked as not the same person." in (
        response.content.decode()
    )
    assert NotDuplicate.objects.get().customer == pair.customer
