"""Possible duplicates: the rule, the stored pairs the writers keep current, the page,
and "Not a duplicate"."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contacts.duplicates import ComparedContact, find_pairs
from contacts.models import NotDuplicate, PossibleDuplicate
from contacts.services.duplicates import not_duplicate_mark
from contacts.services.links import contact_create, contact_delete, contact_update
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db

LIST_URL = reverse("duplicates:list")


def person(pk, first, last="", email="", phone=""):
    return ComparedContact(pk, first, last, email, phone)


# The rule.


@pytest.mark.parametrize(
    ("one", "other", "expected"),
    [
        (("Anna", "Berg"), ("Ana", "Berg"), 94),  # a dropped letter
        (("Anna", "Jansen"), ("Anna", "Janssen"), 96),
        (("Berg", "Anna"), ("Anna", "Berg"), 100),  # first and last swapped
        (("anna", "BERG"), ("Anna", "Berg"), 100),
        (("Eva", "Berg"), ("Anna", "Berg"), None),  # family, not the same person
        (("Jan", ""), ("Jan", "de Vries"), None),  # contained is not equal
        (("Jan", "de Vries"), ("Jan", "Vries"), None),  # 86: below the threshold
        # Numbered names: other numbers, other people; the same numbers, compared.
        # (91 and 90 without the numbers' rule.)
        (("Warehouse", "12"), ("Warehouse", "15"), None),
        (("First10000", "Last10000"), ("First20000", "Last20000"), None),
        (("Desk", "12"), ("Dessk", "12"), 93),
        (("Anna", "Janssen 2"), ("Anna", "Janssen"), 92),  # one has none: compared
    ],
)
def test_names_are_compared_with_token_sort_ratio_at_90(one, other, expected):
    found = list(find_pairs([person(1, *one), person(2, *other)]))
    assert [finding.name_similarity for finding in found] == (
        [expected] if expected else []
    )


def test_the_same_email_in_another_case_or_the_same_phone_is_a_pair():
    people = [
        person(1, "Anna", email="Anna@x.example"),
        person(2, "Piet", email="anna@x.example"),
        person(3, "Klaas", phone="+31612345678"),
        person(4, "Joop", phone="+31612345678"),
        person(5, "Mies", email="", phone=""),
        person(6, "Kees", email="", phone=""),
    ]
    found = {(f.a, f.b): (f.same_email, f.same_phone) for f in find_pairs(people)}
    # Empty emails and numbers are nobody's: 5 and 6 are no pair.
    assert found == {(1, 2): (True, False), (3, 4): (False, True)}


def test_only_pairs_with_a_changed_contact_are_found_when_asked():
    people = [person(1, "Anna"), person(2, "Anna"), person(3, "Anna")]
    assert {(f.a, f.b) for f in find_pairs(people, changed=[3])} == {(1, 3), (2, 3)}
    assert {(f.a, f.b) for f in find_pairs(people)} == {(1, 2), (1, 3), (2, 3)}


# The stored pairs, kept current by the writers.


@pytest.fixture
def customer():
    customer = CustomerFactory(name="Aurora Trading B.V.")
    billing_address(customer, country="NL")
    return customer


def pairs():
    return list(
        PossibleDuplicate.objects.order_by("pk").values_list(
            "contact_a", "contact_b", "same_email", "same_phone", "name_similarity"
        )
    )


def test_the_writers_keep_the_pairs_current(customer):
    anna = contact_create(customer=customer, first_name="Anna", last_name="Berg")
    piet = contact_create(customer=customer, first_name="Piet", email="anna@x.example")
    assert pairs() == []
    ana = contact_create(
        customer=customer, first_name="Ana", last_name="Berg", email="anna@x.example"
    )
    assert pairs() == [
        (anna.pk, ana.pk, False, False, 94),
        (piet.pk, ana.pk, True, False, None),
    ]
    found_at = PossibleDuplicate.objects.get(contact_a=anna).found_at

    contact_update(contact=ana, data={"email": "ana@x.example", "job_title": "CFO"})
    assert pairs() == [(anna.pk, ana.pk, False, False, 94)]
    assert PossibleDuplicate.objects.get(contact_a=anna).found_at == found_at

    contact_delete(contact=anna)
    assert pairs() == []


def test_contacts_of_different_customers_are_no_pair_of_one_customer(customer):
    # Across customers they are "The same person?" once the write is committed
    # (tests/contacts/test_same_persons.py); the writer's own refresh pairs none.
    contact_create(customer=customer, first_name="Anna", email="anna@x.example")
    contact_create(
        customer=CustomerFactory(), first_name="Anna", email="anna@x.example"
    )
    assert pairs() == []


def test_a_pair_marked_not_a_duplicate_is_not_found_again(customer, manager):
    anna = contact_create(customer=customer, first_name="Anna", last_name="Berg")
    ana = contact_create(customer=customer, first_name="Ana", last_name="Berg")
    not_duplicate_mark(pair=PossibleDuplicate.objects.get())

    contact_update(contact=ana, data={"email": "anna@x.example"})
    contact_update(contact=anna, data={"email": "anna@x.example"})

    assert pairs() == []
    assert NotDuplicate.objects.filter(contact_a=anna, contact_b=ana).exists()
    assert NotDuplicate.history.count() == 1


def test_not_a_duplicate_of_a_pair_whose_contact_went_meanwhile_is_refused(
    customer, client_for, manager
):
    contact_create(customer=customer, first_name="Anna", last_name="Berg")
    ana = contact_create(customer=customer, first_name="Ana", last_name="Berg")
    shown = PossibleDuplicate.objects.get()  # the page showed it; then Ana went
    contact_delete(contact=ana)
    with pytest.raises(ValidationError, match="no longer proposed"):
        not_duplicate_mark(pair=shown)
    assert not NotDuplicate.objects.exists()


# The page.


@pytest.fixture
def two_pairs(customer):
    contact_create(customer=customer, first_name="Anna", last_name="Berg")
    contact_create(customer=customer, first_name="Ana", last_name="Berg")
    other = CustomerFactory(name="Fjord Foods B.V.")
    contact_create(customer=other, first_name="Bram", phone="+31612345678")
    contact_create(customer=other, first_name="Piet", phone="+31612345678")
    return other


@pytest.mark.parametrize(
    ("persona", "status"),
    [("manager", 200), ("editor", 403), ("viewer", 403), ("outsider", 403)],
)
def test_the_page_is_for_managers(request, client_for, persona, status, two_pairs):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(LIST_URL).status_code == status
    pair = PossibleDuplicate.objects.first()
    url = reverse("duplicates:not_a_duplicate", args=[pair.pk])
    assert client.post(url).status_code == (302 if status == 200 else 403)
    assert PossibleDuplicate.objects.count() == (1 if status == 200 else 2)


def test_the_navigation_links_to_the_page_for_those_who_may_merge(
    client_for, manager, editor
):
    home = reverse("customers:list")
    assert LIST_URL in client_for(manager).get(home).content.decode()
    assert LIST_URL not in client_for(editor).get(home).content.decode()


def test_the_page_lists_the_pairs_newest_first_in_a_fixed_number_of_queries(
    client_for, manager, two_pairs, django_assert_num_queries
):
    client = client_for(manager)
    # session, user, the user's and its groups' permissions (4); the count and
    # the page of pairs with their customer and contacts (2).
    with django_assert_num_queries(6):
        response = client.get(LIST_URL)
    rows = [
        (pair.customer.name, [c.first_name for c in pair.contacts], pair.reasons)
        for pair in response.context["pairs"]
    ]
    assert rows == [
        ("Fjord Foods B.V.", ["Bram", "Piet"], ["Same phone number"]),
        ("Aurora Trading B.V.", ["Anna", "Ana"], ["Similar names (94%)"]),
    ]
    page = response.content.decode()
    pair = response.context["pairs"][0]
    merge = reverse(
        "contacts:merge", args=[pair.customer_id, pair.contact_a_id, pair.contact_b_id]
    )
    assert merge in page


def test_not_a_duplicate_is_remembered_and_said(client_for, manager, two_pairs):
    client = client_for(manager)
    pair = PossibleDuplicate.objects.get(customer=two_pairs)
    url = reverse("duplicates:not_a_duplicate", args=[pair.pk])
    assert client.get(url).status_code == 405

    response = client.post(url, follow=True)

    assert "Bram and Piet are marked as not a duplicate." in response.content.decode()
    assert [p.customer for p in response.context["pairs"]] != [two_pairs]
    assert NotDuplicate.objects.filter(customer=two_pairs).count() == 1
    assert client.post(url).status_code == 404  # already gone from the list


def test_undoing_not_a_duplicate_in_the_admin_proposes_the_pair_again(client, customer):
    from tests.factories import UserFactory

    admin_user = UserFactory(username="root", is_staff=True, is_superuser=True)
    contact_create(customer=customer, first_name="Anna", last_name="Berg")
    contact_create(customer=customer, first_name="Ana", last_name="Berg")
    mark = not_duplicate_mark(pair=PossibleDuplicate.objects.get())
    client.force_login(admin_user)
    url = reverse("admin:contacts_notduplicate_delete", args=[mark.pk])

    assert client.post(url, {"post": "yes"}).status_code == 302

    assert not NotDuplicate.objects.exists()
    assert len(pairs()) == 1
