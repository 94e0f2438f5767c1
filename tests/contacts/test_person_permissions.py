"""Who may read and change a person (contacts.Person) in the admin: the default
groups that read contacts may view persons, those that change contacts (whose
form renames the person) may change them."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from contacts.models import Person
from tests.contacts.factories import ContactFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def person_codenames(group_name: str) -> set[str]:
    return set(
        Group.objects.get(name=group_name)
        .permissions.filter(content_type__model="person")
        .values_list("codename", flat=True)
    )


def test_the_default_groups_have_their_person_permissions():
    assert person_codenames("Sales viewer") == {"view_person"}
    assert person_codenames("Sales staff") == {"view_person", "change_person"}
    assert person_codenames("Sales manager") == {"view_person", "change_person"}


def staff_member_of(group_name: str):
    """A member of the group whom an administrator let into the admin."""
    user = UserFactory(username=group_name.lower().replace(" ", "-"), is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def admin_form(person: Person, **changes) -> dict:
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "language": person.language,
        "personal_email": person.personal_email,
        "personal_phone": person.personal_phone,
        "version": person.version,
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "1",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-id": person.contacts.get().pk,
        "contacts-0-person": person.pk,
        **changes,
    }


def test_a_viewer_in_the_admin_sees_persons_but_cannot_change_them(client):
    contact = ContactFactory(first_name="Petra", last_name="Visser")
    person = contact.person
    client.force_login(staff_member_of("Sales viewer"))
    change = reverse("admin:contacts_person_change", args=[person.pk])
    assert client.get(reverse("admin:contacts_person_changelist")).status_code == 200
    assert client.get(change).status_code == 200
    response = client.post(change, admin_form(person, last_name="Bakker"))
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.last_name == "Visser"


def test_staff_in_the_admin_may_rename_a_person_and_every_contact_follows(client):
    contact = ContactFactory(first_name="Petra", last_name="Visser")
    person = contact.person
    client.force_login(staff_member_of("Sales staff"))
    change = reverse("admin:contacts_person_change", args=[person.pk])
    response = client.post(change, admin_form(person, last_name="Bakker"))
    assert response.status_code == 302, response.content.decode()[:3000]
    contact.refresh_from_db()
    assert contact.last_name == "Bakker"
