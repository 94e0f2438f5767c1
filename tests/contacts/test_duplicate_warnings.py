"""The warnings before a save: a contact's email or phone number another contact has,
a contact-card detail another customer's card has. Not blocking: Save anyway."""

import pytest
from django.urls import reverse

from contacts.models import Contact, ContactDetail
from contacts.selectors import contacts_sharing
from contacts.services.card import contact_detail_create
from tests.contacts.factories import ContactFactory
from tests.contacts.test_contact_card_update_view import form_data
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    customer = CustomerFactory(name="Fjord Foods B.V.")
    billing_address(customer, country="NL")
    return customer


@pytest.fixture
def aurora():
    aurora = CustomerFactory(name="Aurora Trading B.V.")
    billing_address(aurora, country="NL")
    return aurora


NEW = {"first_name": "Anna", "last_name": "Berg", "email": "", "phone": ""}


def create_url(customer):
    return reverse("contacts:create", args=[customer.pk])


def test_adding_a_contact_with_another_customers_email_warns_and_saves_nothing(
    client_for, editor, customer, aurora
):
    other = ContactFactory(
        customer=aurora, first_name="Ana", last_name="Berg", email="anna@x.example"
    )
    client = client_for(editor)

    # Typed otherwise than stored: the normalised address is compared.
    response = client.post(create_url(customer), {**NEW, "email": "anna@X.EXAMPLE"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Possible duplicate." in page
    assert "Ana Berg" in page and "Aurora Trading B.V." in page
    assert reverse("contacts:update", args=[aurora.pk, other.pk]) in page
    assert "Save anyway" in page
    assert not Contact.objects.filter(customer=customer).exists()


def test_save_anyway_saves_the_warned_values(client_for, editor, customer, aurora):
    ContactFactory(customer=aurora, email="anna@x.example")
    client = client_for(editor)
    data = {**NEW, "email": "anna@x.example"}
    warned = client.post(create_url(customer), data)

    response = client.post(
        create_url(customer),
        {**data, "acknowledge_shared": warned.context["acknowledged"]},
    )

    assert response.status_code == 302
    assert Contact.objects.get(customer=customer).email == "anna@x.example"


def test_an_acknowledgement_of_other_values_does_not_count(
    client_for, editor, customer, aurora
):
    ContactFactory(customer=aurora, email="anna@x.example", phone="+31612345678")
    client = client_for(editor)
    warned = client.post(create_url(customer), {**NEW, "email": "anna@x.example"})

    response = client.post(
        create_url(customer),
        {
            **NEW,
            "email": "anna@x.example",
            "phone": "06 12345678",
            "acknowledge_shared": warned.context["acknowledged"],
        },
    )

    assert response.status_code == 200
    assert [s.fields for s in response.context["shared_contacts"]] == [
        ["Email address", "Phone number"]
    ]
    assert not Contact.objects.filter(customer=customer).exists()


def test_a_phone_number_of_a_contact_of_the_same_customer_warns(
    client_for, editor, customer
):
    ContactFactory(customer=customer, first_name="Bram", phone="+31612345678")
    response = client_for(editor).post(
        create_url(customer), {**NEW, "phone": "+31 (0)6-12345678"}
    )
    assert response.status_code == 200
    assert "at this customer" in response.content.decode()


def test_changing_a_contact_warns_only_about_a_changed_value(
    client_for, editor, customer, aurora
):
    ContactFactory(customer=aurora, email="anna@x.example", phone="+31612345678")
    contact = ContactFactory(
        customer=customer, first_name="Anna", email="anna@x.example", phone=""
    )
    url = reverse("contacts:update", args=[customer.pk, contact.pk])
    client = client_for(editor)
    version = client.get(url).context["form"]["version"].initial

    unchanged = client.post(
        url,
        {**NEW, "email": "anna@x.example", "job_title": "CFO", "version": version},
    )
    assert unchanged.status_code == 302

    contact.refresh_from_db()
    changed = client.post(
        url,
        {
            **NEW,
            "email": "anna@x.example",
            "phone": "0612345678",
            "version": contact.version,
        },
    )
    assert changed.status_code == 200
    assert [s.fields for s in changed.context["shared_contacts"]] == [["Phone number"]]


def test_a_change_based_on_an_older_version_is_refused_with_the_current_values(
    client_for, editor, customer
):
    contact = ContactFactory(customer=customer, first_name="Anna", job_title="Buyer")
    url = reverse("contacts:update", args=[customer.pk, contact.pk])
    client = client_for(editor)
    opened = client.get(url).context["form"]["version"].initial
    Contact.objects.get(pk=contact.pk).save()  # another user saves first

    response = client.post(url, {**NEW, "job_title": "Overwritten", "version": opened})

    assert response.status_code == 200
    assert "Someone else changed this contact" in response.content.decode()
    assert Contact.objects.get(pk=contact.pk).job_title == "Buyer"


def test_contacts_sharing_is_one_query(customer, aurora, django_assert_num_queries):
    ContactFactory(customer=aurora, email="anna@x.example")
    ContactFactory(customer=customer, phone="+31612345678")
    with django_assert_num_queries(1):
        shared = contacts_sharing(email="ANNA@x.example", phone="+31612345678")
    assert sorted(len(s.fields) for s in shared) == [1, 1]


# The contact card window.


def card_url(customer):
    return reverse("contacts:contact_details_edit", args=[customer.pk])


def test_a_detail_on_another_customers_card_warns_then_saves_anyway(
    client_for, editor, customer, aurora
):
    contact_detail_create(customer=aurora, kind="mobile", value="+31612345678")
    client = client_for(editor)
    data = form_data(customer, {"mobile": "06 1234 5678"})

    warned = client.post(card_url(customer), data)

    assert warned.status_code == 200
    page = warned.content.decode()
    assert "card already" in page and "Possible duplicate." in page
    assert "Mobile Phone +31 6 12345678 of" in " ".join(page.split())
    assert reverse("customers:detail", args=[aurora.pk]) in page
    assert not ContactDetail.objects.filter(customer=customer).exists()

    saved = client.post(
        card_url(customer),
        {**data, "acknowledge_shared": warned.context["acknowledged"]},
    )
    assert saved.status_code == 302
    assert ContactDetail.objects.get(customer=customer).value == "+31612345678"


def test_a_detail_already_on_this_card_is_not_warned_about_again(
    client_for, editor, customer, aurora
):
    contact_detail_create(customer=aurora, kind="email", value="info@x.example")
    contact_detail_create(customer=customer, kind="email", value="info@x.example")
    response = client_for(editor).post(
        card_url(customer), form_data(customer, {"email": "info@x.example"})
    )
    assert response.status_code == 302
