"""Contact persons through the API: written as the contact form writes them (the
field settings, emails and phone numbers as stored, the billing country, roles by
code, possible duplicates), found as Find anyone finds them, and what the form
would warn about comes back as warnings."""

import datetime

import pytest

from api.resources import contacts as contacts_resource
from contacts.models import Contact, ContactFieldSettings, Person, PossibleDuplicate
from contacts.services.links import contact_delete
from tests.api.conftest import codes
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db

CONTACTS = "/api/v1/contacts/"


def url(contact) -> str:
    return f"{CONTACTS}{contact.pk}/"


@pytest.fixture
def dutch():
    customer = CustomerFactory(name="Fjord Foods")
    billing_address(customer, country="NL")
    return customer


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_a_contact_is_added_with_its_roles_and_its_number_read_in_the_billing_country(
    api_for, editor, dutch
):
    response = api_for(editor).post(
        CONTACTS,
        {
            "customer": dutch.pk,
            "first_name": "Anna",
            "last_name": "Berg",
            "email": " Anna.Berg@Fjord.example.com ",
            "phone": "06 12345678",
            "job_title": "Buyer",
            "roles": ["invoice", "order"],
        },
    )

    assert response.status_code == 201, response.json()
    data = response.json()
    contact = Contact.objects.get()
    assert response["Location"].endswith(url(contact))
    assert (data["email"], data["phone"]) == (
        "Anna.Berg@fjord.example.com",
        "+31612345678",
    )
    assert (contact.email, contact.phone) == (data["email"], data["phone"])
    assert sorted(data["roles"]) == ["invoice", "order"]
    assert sorted(contact.roles.values_list("code", flat=True)) == ["invoice", "order"]
    assert data["warnings"] == []


def test_without_a_billing_address_a_national_number_is_refused_at_its_field(
    api_for, editor
):
    customer = CustomerFactory()

    response = api_for(editor).post(
        CONTACTS,
        {"customer": customer.pk, "first_name": "Anna", "phone": "020 1234567"},
    )

    assert response.status_code == 400
    [(field, _code)] = codes(response)
    assert field == "phone"
    assert not Contact.objects.exists()


def test_an_unknown_role_and_a_bad_email_are_refused_at_their_fields(
    api_for, editor, dutch
):
    response = api_for(editor).post(
        CONTACTS,
        {
            "customer": dutch.pk,
            "first_name": "Anna",
            "email": "anna@",
            "roles": ["primary", "cook"],
        },
    )

    assert response.status_code == 400
    assert {field for field, _code in codes(response)} == {"roles"}
    response = api_for(editor).post(
        CONTACTS, {"customer": dutch.pk, "first_name": "Anna", "email": "anna@"}
    )
    assert response.status_code == 400
    assert [field for field, _code in codes(response)] == ["email"]
    assert not Contact.objects.exists()


def test_the_organisations_required_fields_hold(api_for, editor, dutch):
    ContactFieldSettings.objects.create(require_job_title=True)

    response = api_for(editor).post(
        CONTACTS, {"customer": dutch.pk, "first_name": "Anna"}
    )

    assert response.status_code == 400
    assert codes(response) == [("job_title", "required")]


def test_a_contact_with_anothers_email_is_saved_with_a_warning_in_the_users_language(
    api_for, editor, dutch
):
    other = ContactFactory(
        customer=CustomerFactory(name="Aurora"),
        first_name="Anna",
        last_name="Berg",
        email="anna@example.com",
    )

    response = api_for(editor, language="nl").post(
        CONTACTS,
        {"customer": dutch.pk, "first_name": "Anne", "email": "ANNA@example.com"},
    )

    assert response.status_code == 201, response.json()
    assert response.json()["warnings"] == [
        {
            "code": "shared_contact",
            "contact": other.pk,
            "message": "Anna Berg bij Aurora heeft hetzelfde e-mailadres: "
            "controleer of dit niet dezelfde persoon is.",
        }
    ]


def test_a_change_warns_only_of_a_value_it_gave(api_for, editor, dutch):
    ContactFactory(customer=dutch, email="shared@example.com", phone="+31612345678")
    contact = ContactFactory(customer=dutch, email="shared@example.com")
    api = api_for(editor)

    renamed = api.patch(
        url(contact), {"first_name": "Eva"}, if_match=api.get(url(contact))["ETag"]
    )
    numbered = api.patch(
        url(contact), {"phone": "06 12345678"}, if_match=renamed["ETag"]
    )

    assert renamed.status_code == 200, renamed.json()
    assert renamed.json()["warnings"] == []
    assert numbered.status_code == 200, numbered.json()
    [warning] = numbered.json()["warnings"]
    # The email was the contact's already: only the number is asked about.
    assert warning["message"].endswith(
        "has the same phone number: check that this is not the same person."
    )


def test_a_new_contact_that_may_be_the_same_person_is_a_possible_duplicate(
    api_for, editor, dutch
):
    existing = ContactFactory(customer=dutch, first_name="Anna", last_name="Berg")

    created = api_for(editor).post(
        CONTACTS, {"customer": dutch.pk, "first_name": "Ana", "last_name": "Berg"}
    )

    pair = PossibleDuplicate.objects.get()
    assert {pair.contact_a_id, pair.contact_b_id} == {existing.pk, created.json()["id"]}


def test_a_change_replaces_the_roles_given_and_keeps_the_fields_not_given(
    api_for, editor, dutch
):
    contact = ContactFactory(
        customer=dutch, first_name="Anna", job_title="Buyer", roles=["invoice"]
    )
    api = api_for(editor)

    response = api.patch(
        url(contact),
        {"last_name": "Berg", "roles": ["shipment"]},
        if_match=api.get(url(contact))["ETag"],
    )

    assert response.status_code == 200, response.json()
    contact.refresh_from_db()
    assert (contact.first_name, contact.last_name, contact.job_title) == (
        "Anna",
        "Berg",
        "Buyer",
    )
    assert list(contact.roles.values_list("code", flat=True)) == ["shipment"]
    assert response["ETag"] == api.get(url(contact))["ETag"]


def test_a_contact_cannot_move_to_another_customer(api_for, editor, dutch):
    contact = ContactFactory(customer=dutch)
    api = api_for(editor)

    response = api.patch(
        url(contact),
        {"customer": CustomerFactory().pk},
        if_match=api.get(url(contact))["ETag"],
    )

    assert response.status_code == 400
    assert codes(response) == [("customer", "customer_fixed")]
    contact.refresh_from_db()
    assert contact.customer == dutch


def test_writes_of_an_existing_contact_need_its_current_etag(api_for, editor, dutch):
    contact = ContactFactory(customer=dutch, first_name="Anna")
    api = api_for(editor)
    etag = api.get(url(contact))["ETag"]

    without = api.patch(url(contact), {"first_name": "Eva"})
    changed = api.patch(url(contact), {"first_name": "Eva"}, if_match=etag)
    stale = api.delete(url(contact), if_match=etag)
    stale_patch = api.patch(url(contact), {"first_name": "Ida"}, if_match=etag)

    assert without.status_code == 428
    assert changed.status_code == 200
    assert (stale.status_code, stale_patch.status_code) == (412, 412)
    contact.refresh_from_db()
    assert contact.first_name == "Eva"


def test_a_contact_is_deleted_with_its_current_etag(api_for, editor, dutch):
    contact = ContactFactory(customer=dutch)
    api = api_for(editor)

    response = api.delete(url(contact), if_match=api.get(url(contact))["ETag"])

    assert response.status_code == 204
    assert not Contact.objects.exists()
    assert api.get(url(contact)).status_code == 404


def test_contacts_are_found_by_customer_email_phone_in_any_format_and_role(
    api_for, viewer, dutch
):
    anna = ContactFactory(
        customer=dutch,
        email="anna@fjord.example.com",
        phone="+31612345678",
        roles=["invoice", "order"],
    )
    eva = ContactFactory(customer=dutch, phone="+31201234567", roles=["primary"])
    other = ContactFactory(roles=["invoice"])
    api = api_for(viewer)

    assert ids(api.get(CONTACTS)) == [anna.pk, eva.pk, other.pk]
    assert ids(api.get(CONTACTS, {"customer": dutch.pk})) == [anna.pk, eva.pk]
    assert ids(api.get(CONTACTS, {"email": "ANNA@fjord.example.com"})) == [anna.pk]
    for typed in ("06 1234 5678", "+31 6 12345678", "0031612345678"):
        assert ids(api.get(CONTACTS, {"phone": typed})) == [anna.pk], typed
    assert ids(api.get(CONTACTS, {"role": "invoice"})) == [anna.pk, other.pk]
    assert ids(api.get(CONTACTS, {"role": "invoice", "customer": dutch.pk})) == [
        anna.pk
    ]
    assert ids(api.get(CONTACTS, {"role": "nobody"})) == []


def test_a_phone_filter_that_is_no_number_is_refused(api_for, viewer):
    response = api_for(viewer).get(CONTACTS, {"phone": "anna"})

    assert response.status_code == 400
    assert codes(response) == [("phone", "not_a_phone_number")]


@pytest.mark.parametrize(
    ("persona", "method", "expected"),
    [
        ("viewer", "post", 403),
        ("viewer", "patch", 403),
        ("viewer", "delete", 403),
        ("outsider", "get", 403),
    ],
)
def test_who_may_not_is_refused(request, api_for, dutch, persona, method, expected):
    contact = ContactFactory(customer=dutch, first_name="Anna")
    api = api_for(request.getfixturevalue(persona))
    etag = api_for(request.getfixturevalue("manager")).get(url(contact))["ETag"]

    if method == "post":
        response = api.post(CONTACTS, {"customer": dutch.pk, "first_name": "Eva"})
    elif method == "get":
        response = api.get(url(contact))
    else:
        response = api.request(
            method.upper(), url(contact), {"first_name": "Eva"}, if_match=etag
        )

    assert response.status_code == expected
    assert list(Contact.objects.values_list("first_name", flat=True)) == ["Anna"]


def test_a_read_only_token_cannot_add_a_contact(api_for, manager, dutch):
    response = api_for(manager, read_only=True).post(
        CONTACTS, {"customer": dutch.pk, "first_name": "Anna"}
    )

    assert response.status_code == 403
    assert codes(response) == [(None, "read_only_token")]
    assert not Contact.objects.exists()


def test_the_list_costs_the_same_queries_whatever_the_number_of_contacts(
    api_for, viewer, dutch, django_assert_num_queries
):
    api = api_for(viewer)

    def add_contacts(count):
        for _ in range(count):
            ContactFactory(customer=dutch, roles=["invoice", "order"])

    add_contacts(2)
    api.get(CONTACTS)  # the token's last use written
    # The token (with its user), the user's own and groups' permissions, the page,
    # the roles.
    with django_assert_num_queries(5):
        assert len(api.get(CONTACTS).json()["results"]) == 2
    add_contacts(8)
    with django_assert_num_queries(5):
        assert len(api.get(CONTACTS).json()["results"]) == 10


def test_a_contact_is_read_with_its_person_and_its_link_dates(api_for, viewer):
    contact = ContactFactory(is_active=False, started_on=datetime.date(2024, 1, 2))

    data = api_for(viewer).get(url(contact)).json()

    assert data["person"] == contact.person_id
    assert (data["is_active"], data["started_on"], data["ended_on"]) == (
        False,
        "2024-01-02",
        None,
    )


def test_an_existing_person_becomes_a_contact_of_another_customer(
    api_for, editor, dutch
):
    first = ContactFactory(first_name="Anna", last_name="Berg", language="nl")

    response = api_for(editor).post(
        CONTACTS,
        {
            "customer": dutch.pk,
            "person": first.person_id,
            "email": "anna@fjord.example.com",
            "roles": ["invoice"],
        },
    )

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["person"] == first.person_id
    assert (data["first_name"], data["last_name"], data["language"]) == (
        "Anna",
        "Berg",
        "nl",
    )
    assert Person.objects.count() == 1
    assert set(Contact.objects.values_list("customer_id", flat=True)) == {
        first.customer_id,
        dutch.pk,
    }


def test_a_name_given_with_an_existing_person_is_refused_at_its_field(
    api_for, editor, dutch
):
    first = ContactFactory(first_name="Anna")

    response = api_for(editor).post(
        CONTACTS,
        {
            "customer": dutch.pk,
            "person": first.person_id,
            "first_name": "Anne",
            "language": "en",
        },
    )

    assert response.status_code == 400
    assert sorted(codes(response)) == [
        ("first_name", "given_with_person"),
        ("language", "given_with_person"),
    ]
    assert Contact.objects.count() == 1
    assert Person.objects.get().first_name == "Anna"


def test_without_a_person_the_first_name_is_required(api_for, editor, dutch):
    response = api_for(editor).post(CONTACTS, {"customer": dutch.pk})

    assert response.status_code == 400
    assert codes(response) == [("first_name", "required")]


def test_a_person_already_a_contact_of_the_customer_is_refused_at_person(
    api_for, editor, dutch
):
    first = ContactFactory(customer=dutch)

    response = api_for(editor).post(
        CONTACTS, {"customer": dutch.pk, "person": first.person_id}
    )

    assert response.status_code == 400
    assert codes(response) == [("person", "already_a_contact")]
    assert Contact.objects.count() == 1


@pytest.mark.parametrize("unknown", [False, True])
def test_an_unknown_person_or_one_without_a_link_is_refused_at_person(
    api_for, editor, dutch, unknown
):
    person = Person.objects.create(first_name="Nobody")
    key = person.pk + 1000 if unknown else person.pk

    response = api_for(editor).post(CONTACTS, {"customer": dutch.pk, "person": key})

    assert response.status_code == 400
    assert codes(response) == [("person", "does_not_exist")]
    assert not Contact.objects.exists()


def test_a_contact_cannot_become_another_person(api_for, editor, dutch):
    contact = ContactFactory(customer=dutch)
    person_id = contact.person_id
    other = ContactFactory()
    api = api_for(editor)
    etag = api.get(url(contact))["ETag"]

    refused = api.patch(url(contact), {"person": other.person_id}, if_match=etag)
    same = api.patch(
        url(contact), {"person": contact.person_id, "job_title": "Buyer"}, if_match=etag
    )

    assert refused.status_code == 400
    assert codes(refused) == [("person", "person_fixed")]
    assert same.status_code == 200, same.json()
    contact.refresh_from_db()
    assert (contact.person_id, contact.job_title) == (person_id, "Buyer")


def test_an_end_before_the_start_is_refused_at_ended_on(api_for, editor, dutch):
    response = api_for(editor).post(
        CONTACTS,
        {
            "customer": dutch.pk,
            "first_name": "Anna",
            "started_on": "2024-05-01",
            "ended_on": "2024-04-30",
        },
    )

    assert response.status_code == 400
    assert codes(response) == [("ended_on", "ends_before_start")]


def test_a_rename_of_a_contact_reaches_the_persons_other_links(api_for, editor):
    first = ContactFactory(first_name="Anna")
    second = ContactFactory(first_name="Anna", person=first.person)
    api = api_for(editor)

    response = api.patch(
        url(first), {"first_name": "Anne"}, if_match=api.get(url(first))["ETag"]
    )

    assert response.status_code == 200, response.json()
    second.refresh_from_db()
    assert (second.first_name, Person.objects.get().first_name) == ("Anne", "Anne")


def test_the_contacts_of_a_person_are_listed(api_for, viewer):
    first = ContactFactory()
    second = ContactFactory(person=first.person)
    ContactFactory()

    response = api_for(viewer).get(CONTACTS, {"person": first.person_id})

    assert ids(response) == [first.pk, second.pk]


def test_a_person_gone_before_the_link_is_made_is_refused_at_person(
    api_for, editor, dutch, monkeypatch
):
    """Their last link ended between the request's reading and the write."""
    first = ContactFactory()
    create = contacts_resource.contact_create

    def after_the_last_link_ended(**kwargs):
        contact_delete(contact=first)
        return create(**kwargs)

    monkeypatch.setattr(contacts_resource, "contact_create", after_the_last_link_ended)

    response = api_for(editor).post(
        CONTACTS, {"customer": dutch.pk, "person": first.person_id}
    )

    assert response.status_code == 400
    assert codes(response) == [("person", "gone")]
    assert not Contact.objects.filter(customer=dutch).exists()


def test_a_role_code_with_a_nul_character_is_refused_at_roles(api_for, editor, dutch):
    response = api_for(editor).post(
        CONTACTS, {"customer": dutch.pk, "first_name": "Anna", "roles": ["ord\x00er"]}
    )

    assert response.status_code == 400
    assert [field for field, _code in codes(response)] == ["roles"]
