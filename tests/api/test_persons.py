"""Persons through the API: each with their links, found by email or phone number
as Find anyone finds them (their own or a link's), changed through person_update
with If-Match so every link's copy of the name follows, in each customer's
Activity Log under the token's user."""

import pytest
from django.contrib.auth.models import Permission

from api.services import api_token_create
from contacts.models import Contact, Person
from contacts.services.links import contact_create, contact_update
from tests.activity.helpers import entries, lines
from tests.api.conftest import Api, codes
from tests.concurrency import RACE_TEST, one_after_the_other
from tests.contacts.factories import ContactFactory, role
from tests.customers.factories import CustomerFactory, billing_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PERSONS = "/api/v1/persons/"


def url(person) -> str:
    return f"{PERSONS}{person.pk}/"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def person_changer():
    """Who may view customers and contacts and change persons."""
    user = UserFactory(username="person-changer", first_name="Pia", last_name="Vos")
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_customer", "view_contact", "change_person"]
        )
    )
    return user


@pytest.fixture
def anna():
    """Anna Berg, a contact of two customers (an invoice contact at Fjord)."""
    fjord = CustomerFactory(name="Fjord Foods")
    billing_address(fjord, country="NL")
    aurora = CustomerFactory(name="Aurora")
    first = ContactFactory(
        customer=fjord,
        first_name="Anna",
        last_name="Berg",
        email="anna@fjord.example.com",
        phone="+31612345678",
        roles=["invoice", "order"],
    )
    contact_create(
        customer=aurora,
        person=first.person,
        email="anna.berg@aurora.example.com",
    )
    return first.person


def test_a_person_is_read_with_each_of_their_links(api_for, viewer, anna):
    links = list(Contact.objects.filter(person=anna).order_by("pk"))

    response = api_for(viewer).get(url(anna))

    assert response.status_code == 200
    data = response.json()
    assert (data["first_name"], data["last_name"]) == ("Anna", "Berg")
    assert data["links"] == [
        {
            "contact": links[0].pk,
            "customer": links[0].customer_id,
            "roles": ["invoice", "order"],
            "is_active": True,
        },
        {
            "contact": links[1].pk,
            "customer": links[1].customer_id,
            "roles": [],
            "is_active": True,
        },
    ]
    assert response["ETag"]


def test_a_person_without_a_link_is_not_found(api_for, viewer):
    person = Person.objects.create(first_name="Nobody")

    assert api_for(viewer).get(url(person)).status_code == 404
    assert ids(api_for(viewer).get(PERSONS)) == []


def test_the_persons_are_listed_with_their_links_in_a_fixed_number_of_queries(
    api_for, viewer, django_assert_max_num_queries
):
    for _ in range(5):
        first = ContactFactory(roles=["order"])
        ContactFactory(person=first.person, roles=["invoice"])
    api = api_for(viewer)

    # The token (read, last used), the user's permissions (2), the persons, their
    # links, the links' roles: none per person.
    with django_assert_max_num_queries(7):
        response = api.get(PERSONS)

    assert len(ids(response)) == 5
    assert all(len(row["links"]) == 2 for row in response.json()["results"])


@pytest.mark.parametrize(
    "email",
    [
        "ANNA@fjord.example.com",  # a link's work email, any capitals
        "Anna.Berg@Aurora.example.com",  # the other link's
        "anna.private@example.com",  # the person's own
    ],
)
def test_a_person_is_found_by_their_own_email_or_a_links(api_for, viewer, anna, email):
    Person.objects.filter(pk=anna.pk).update(personal_email="anna.private@example.com")
    ContactFactory(email="someone@fjord.example.com")

    assert ids(api_for(viewer).get(PERSONS, {"email": email})) == [anna.pk]


@pytest.mark.parametrize(
    "phone",
    [
        "06 12345678",  # a link's, read in the billing country
        "+31 6 1234 5678",
        "0031612345678",
        "+32 470 12 34 56",  # the person's own
    ],
)
def test_a_person_is_found_by_a_phone_number_typed_in_any_format(
    api_for, viewer, anna, phone
):
    Person.objects.filter(pk=anna.pk).update(personal_phone="+32470123456")
    ContactFactory(phone="+31687654321")

    assert ids(api_for(viewer).get(PERSONS, {"phone": phone})) == [anna.pk]


def test_a_phone_filter_that_is_no_number_is_refused_at_its_field(
    api_for, viewer, anna
):
    response = api_for(viewer).get(PERSONS, {"phone": "Anna"})

    assert response.status_code == 400
    assert codes(response) == [("phone", "not_a_phone_number")]


def test_persons_are_found_by_name_and_by_customer(api_for, viewer, anna):
    other = ContactFactory(first_name="Bert", last_name="Annemans")
    api = api_for(viewer)
    fjord = Contact.objects.filter(person=anna).order_by("pk").first().customer

    assert ids(api.get(PERSONS, {"name": "anna berg"})) == [anna.pk]
    assert ids(api.get(PERSONS, {"name": "annem"})) == [other.person.pk]
    assert ids(api.get(PERSONS, {"name": "Be An"})) == [anna.pk, other.person.pk]
    assert ids(api.get(PERSONS, {"name": "Bert Berg"})) == []
    assert ids(api.get(PERSONS, {"customer": fjord.pk})) == [anna.pk]
    assert ids(api.get(PERSONS, {"customer": other.customer_id})) == [other.person.pk]


def test_a_rename_reaches_every_link_and_both_customers_activity_logs(
    api_for, person_changer, anna
):
    api = api_for(person_changer)
    etag = api.get(url(anna))["ETag"]

    response = api.patch(url(anna), {"first_name": "Anne"}, if_match=etag)

    assert response.status_code == 200, response.json()
    assert response.json()["first_name"] == "Anne"
    assert response["ETag"] != etag
    links = Contact.objects.filter(person=anna)
    assert {link.first_name for link in links} == {"Anne"}
    assert Person.history.latest("history_id").history_user_id == person_changer.pk
    for link in links:
        entry = entries(link.customer, kind="contact")[0]
        assert entry.who == person_changer.get_full_name()
        assert lines(entry) == ["First name: Anna → Anne"]


def test_the_persons_own_email_and_phone_are_stored_normalised(
    api_for, person_changer, anna
):
    api = api_for(person_changer)

    response = api.patch(
        url(anna),
        {"personal_email": " Anna@Example.COM ", "personal_phone": "+31 6 1111 2222"},
        if_match=api.get(url(anna))["ETag"],
    )

    assert response.status_code == 200, response.json()
    anna.refresh_from_db()
    assert (anna.personal_email, anna.personal_phone) == (
        "Anna@example.com",
        "+31611112222",
    )
    assert response.json()["personal_phone"] == "+31611112222"


def test_a_bad_email_or_phone_is_refused_at_its_field(api_for, person_changer, anna):
    api = api_for(person_changer)

    response = api.patch(
        url(anna),
        {"personal_email": "anna@", "personal_phone": "06 12AB"},
        if_match=api.get(url(anna))["ETag"],
    )

    assert response.status_code == 400
    assert {field for field, _code in codes(response)} == {
        "personal_email",
        "personal_phone",
    }
    anna.refresh_from_db()
    assert (anna.personal_email, anna.personal_phone) == ("", "")


def test_put_replaces_the_persons_own_fields(api_for, person_changer, anna):
    Person.objects.filter(pk=anna.pk).update(personal_email="anna@example.com")
    api = api_for(person_changer)

    response = api.request(
        "PUT",
        url(anna),
        {"first_name": "Anne", "last_name": "Bergman"},
        if_match=api.get(url(anna))["ETag"],
    )

    assert response.status_code == 200, response.json()
    anna.refresh_from_db()
    assert (anna.first_name, anna.last_name, anna.personal_email) == (
        "Anne",
        "Bergman",
        "",
    )
    assert set(
        Contact.objects.filter(person=anna).values_list("first_name", "last_name")
    ) == {("Anne", "Bergman")}


def test_put_needs_the_first_name(api_for, person_changer, anna):
    api = api_for(person_changer)

    response = api.request(
        "PUT", url(anna), {"last_name": "X"}, if_match=api.get(url(anna))["ETag"]
    )

    assert response.status_code == 400
    assert codes(response) == [("first_name", "required")]


@pytest.mark.parametrize("method", ["PATCH", "PUT"])
@pytest.mark.parametrize("if_match", [None, "*"])
def test_a_change_without_the_etag_is_refused_with_428(
    api_for, person_changer, anna, method, if_match
):
    response = api_for(person_changer).request(
        method, url(anna), {"first_name": "Anne"}, if_match=if_match
    )

    assert response.status_code == 428
    assert codes(response) == [(None, "precondition_required")]
    assert Person.objects.get(pk=anna.pk).first_name == "Anna"


@pytest.mark.parametrize("method", ["PATCH", "PUT"])
def test_a_change_based_on_a_link_changed_since_is_refused_with_412(
    api_for, person_changer, anna, method
):
    """The ETag covers the links: a role given at a customer meanwhile is a
    change the program has not seen."""
    api = api_for(person_changer)
    etag = api.get(url(anna))["ETag"]
    link = Contact.objects.filter(person=anna).order_by("pk").last()
    contact_update(contact=link, data={"job_title": "Buyer"})
    assert api.get(url(anna))["ETag"] == etag  # not shown: the same version
    contact_update(contact=link, data={}, roles=[role("shipment")])

    response = api.request(method, url(anna), {"first_name": "Anne"}, if_match=etag)

    assert response.status_code == 412
    assert codes(response) == [(None, "precondition_failed")]
    assert Person.objects.get(pk=anna.pk).first_name == "Anna"


def test_a_rename_on_a_contact_form_makes_the_persons_etag_stale(
    api_for, person_changer, anna
):
    api = api_for(person_changer)
    etag = api.get(url(anna))["ETag"]
    link = Contact.objects.filter(person=anna).order_by("pk").first()
    contact_update(contact=link, data={"first_name": "Ann"})

    response = api.patch(url(anna), {"last_name": "Bergman"}, if_match=etag)

    assert response.status_code == 412
    assert Person.objects.get(pk=anna.pk).first_name == "Ann"


def test_changing_a_person_needs_change_person(api_for, editor, viewer, anna):
    # Sales staff have Change person (the default groups); without it, as a viewer
    # or once an administrator took it from the group, a PATCH is refused.
    editor.groups.get().permissions.remove(
        Permission.objects.get(codename="change_person")
    )
    for user in (editor, viewer):
        api = api_for(user)
        response = api.patch(
            url(anna), {"first_name": "Anne"}, if_match=api.get(url(anna))["ETag"]
        )
        assert response.status_code == 403
    assert Person.objects.get(pk=anna.pk).first_name == "Anna"


def test_a_read_only_token_cannot_change_a_person(api_for, anna):
    user = UserFactory()
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_customer", "view_contact", "change_person"]
        )
    )
    api = api_for(user, read_only=True)

    response = api.patch(
        url(anna), {"first_name": "Anne"}, if_match=api.get(url(anna))["ETag"]
    )

    assert response.status_code == 403
    assert Person.objects.get(pk=anna.pk).first_name == "Anna"


@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_a_person_is_neither_created_nor_deleted_here(
    api_for, person_changer, anna, method
):
    path = PERSONS if method == "POST" else url(anna)

    response = api_for(person_changer).request(method, path, {"first_name": "X"})

    assert response.status_code == 405
    assert Person.objects.count() == 1


def test_a_national_number_of_the_persons_own_is_refused_at_its_field(
    api_for, person_changer, anna
):
    api = api_for(person_changer)

    response = api.patch(
        url(anna),
        {"personal_phone": "06 12345678"},
        if_match=api.get(url(anna))["ETag"],
    )

    assert response.status_code == 400
    assert codes(response) == [("personal_phone", "phone_needs_country_code")]
    assert "country code" in response.json()["errors"][0]["message"]


def _race_person_changer():
    user = UserFactory(username="race-person-changer")
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_customer", "view_contact", "change_person"]
        )
    )
    return user


@RACE_TEST[0]
@RACE_TEST[1]
def test_two_programs_changing_one_version_of_a_person_one_is_refused():
    """The second waits for the first's locks (the links' customers, then the
    person), then finds the ETag stale."""
    user = _race_person_changer()
    person = ContactFactory(first_name="Before").person
    ContactFactory(first_name="Before", person=person)
    first, second = (Api(api_token_create(user=user).secret) for _ in range(2))
    etag = first.get(url(person))["ETag"]

    outcomes = one_after_the_other(
        lambda: first.patch(url(person), {"first_name": "First"}, if_match=etag),
        lambda: second.patch(url(person), {"first_name": "Second"}, if_match=etag),
    )

    assert [response.status_code for response in outcomes] == [200, 412]
    assert set(Contact.objects.values_list("first_name", flat=True)) == {"First"}
    assert Person.objects.get().first_name == "First"


@RACE_TEST[0]
@RACE_TEST[1]
def test_a_program_changing_a_person_waits_for_a_role_given_at_a_customer():
    """A role given at one of the person's customers (a contact form's save,
    under that customer's lock) is part of the person's ETag: the program waits
    for it, then is refused."""
    user = _race_person_changer()
    link = ContactFactory(first_name="Before")
    program = Api(api_token_create(user=user).secret)
    etag = program.get(url(link.person))["ETag"]

    outcomes = one_after_the_other(
        lambda: contact_update(contact=link, data={}, roles=[role("invoice")]),
        lambda: program.patch(url(link.person), {"first_name": "After"}, if_match=etag),
    )

    assert outcomes[1].status_code == 412
    assert Person.objects.get().first_name == "Before"
