"""Contacts in the admin: the rules of the Contacts tab, and no query per row."""

import re

import pytest
from django.urls import reverse

from contacts.models import Contact, ContactDetail, ContactFieldSettings, ContactRole
from customers.admin import INLINE_LIMIT
from tests.contacts.factories import ContactFactory, role
from tests.customers.factories import AddressFactory, CustomerFactory, billing_address

pytestmark = pytest.mark.django_db


def contact_form(customer, **fields):
    return {
        "customer": str(customer.pk),
        "first_name": "Anna",
        "last_name": "",
        "email": "",
        "phone": "",
        "job_title": "",
        "department": "",
        **fields,
    }


def test_the_admin_reads_the_phone_with_the_billing_country(admin_client):
    customer = CustomerFactory()
    billing_address(customer, country="GB")
    response = admin_client.post(
        reverse("admin:contacts_contact_add"),
        contact_form(
            customer,
            phone="020 7946 0101",
            email=" Anna@Example.COM",
            roles=[str(role("invoice").pk)],
        ),
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.phone == "+442079460101"
    assert contact.email == "Anna@example.com"
    assert list(contact.roles.values_list("code", flat=True)) == ["invoice"]


def test_the_admin_refuses_invalid_numbers_and_emails_at_their_fields(admin_client):
    customer = CustomerFactory()
    billing_address(customer, country="US")
    response = admin_client.post(
        reverse("admin:contacts_contact_add"),
        contact_form(customer, phone="555-01", email="anna@"),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"phone", "email"}
    assert "United States" in errors["phone"][0]
    assert not Contact.objects.exists()


def test_the_admin_holds_the_organisations_required_fields(admin_client):
    ContactFieldSettings.objects.create(require_last_name=True)
    customer = CustomerFactory()
    response = admin_client.post(
        reverse("admin:contacts_contact_add"), contact_form(customer)
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "last_name": ["This field is required."]
    }
    assert not Contact.objects.exists()


def test_the_admin_asks_for_a_country_code_without_a_billing_address(admin_client):
    customer = CustomerFactory()
    response = admin_client.post(
        reverse("admin:contacts_contact_add"),
        contact_form(customer, phone="0612345678"),
    )
    assert "country code" in response.context["adminform"].form.errors["phone"][0]


def test_the_admin_history_records_role_changes_with_the_user(admin_client, admin_user):
    customer = CustomerFactory()
    contact = ContactFactory(customer=customer, roles=["primary"])
    admin_client.post(
        reverse("admin:contacts_contact_change", args=[contact.pk]),
        contact_form(
            customer, roles=[str(role("shipment").pk)], version=contact.version
        ),
    )
    latest = contact.history.latest()
    assert latest.history_user == admin_user
    assert [row.contactrole_id for row in latest.roles.all()] == [role("shipment").pk]
    history = admin_client.get(
        reverse("admin:contacts_contact_history", args=[contact.pk])
    )
    assert history.status_code == 200


def test_the_contact_list_searches_and_filters_by_role(admin_client):
    customer = CustomerFactory(name="Fjord Foods")
    ContactFactory(customer=customer, first_name="Anna", roles=["invoice"])
    ContactFactory(customer=customer, first_name="Bert", roles=["primary"])
    ContactFactory(customer=CustomerFactory(name="Granite"), first_name="Cees")
    url = reverse("admin:contacts_contact_changelist")

    found = admin_client.get(url, {"q": "fjord"}).context["cl"].result_list
    assert sorted(contact.first_name for contact in found) == ["Anna", "Bert"]

    filtered = admin_client.get(url, {"roles__id__exact": role("invoice").pk})
    assert [c.first_name for c in filtered.context["cl"].result_list] == ["Anna"]
    assert "Invoice" in filtered.content.decode()


def test_the_contact_list_reads_roles_without_a_query_per_row(
    admin_client, django_assert_max_num_queries
):
    customer = CustomerFactory()
    url = reverse("admin:contacts_contact_changelist")

    def queries_for_the_list():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url).status_code == 200
        return len(captured)

    ContactFactory(customer=customer, roles=["primary", "order"])
    with_one = queries_for_the_list()
    for _ in range(30):
        ContactFactory(customer=customer, roles=["invoice", "order"])
    assert queries_for_the_list() == with_one


# Measured warm (content types are cached per process after the first page):
# 1 session, 2 user, 3 customer, 4-6 how many addresses, contacts and contact details
# it has (customers.admin.INLINE_LIMIT), 7 addresses, 8 contacts, 9 their roles (one
# prefetch), 10 the role choices (read once for all rows), 11 the contact details
# inline, 12 whether the field settings exist (the sidebar's "Add" link).
CUSTOMER_CHANGE_PAGE_QUERIES = 12


def test_a_customer_with_20_contacts_edits_them_inline_within_a_pinned_query_count(
    admin_client, django_assert_num_queries
):
    customer = CustomerFactory()
    billing_address(customer)
    for index in range(INLINE_LIMIT):
        ContactFactory(
            customer=customer,
            first_name=f"Person{index:02d}",
            # One Primary per customer; the other odd rows two roles as well.
            roles=(["primary", "order"] if index == 1 else ["shipment", "order"])
            if index % 2
            else ["invoice"],
        )
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    admin_client.get(url)
    with django_assert_num_queries(CUSTOMER_CHANGE_PAGE_QUERIES):
        response = admin_client.get(url)
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('value="Person') == INLINE_LIMIT
    # Each contact's roles are ticked in its row.
    ticked = re.findall(r'name="contacts-\d+-roles"[^>]*checked', content)
    assert len(ticked) == INLINE_LIMIT // 2 * 2 + INLINE_LIMIT // 2


# 1 session, 2 user, 3 customer, 4-6 how many addresses, contacts and contact details
# it has (all three past the limit, so no inline reads its rows), 7 whether the field
# settings exist.
LINKED_CUSTOMER_PAGE_QUERIES = 7


def test_a_customer_with_200_contacts_and_50_addresses_links_to_them_instead(
    admin_client, django_assert_num_queries
):
    customer = CustomerFactory()
    billing_address(customer)
    AddressFactory.create_batch(49, customer=customer, kind="shipping")
    ContactFactory.create_batch(200, customer=customer)
    for index in range(INLINE_LIMIT + 1):
        ContactDetail.objects.create(
            customer=customer,
            kind="email",
            value=f"d{index}@example.com",
            is_primary=index == 0,
        )
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    admin_client.get(url)
    with django_assert_num_queries(LINKED_CUSTOMER_PAGE_QUERIES):
        response = admin_client.get(url)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="contacts-TOTAL_FORMS"' not in content
    assert 'name="addresses-TOTAL_FORMS"' not in content
    assert "200 contacts" in content
    assert "50 addresses" in content
    contacts = reverse("admin:contacts_contact_changelist")
    assert f'href="{contacts}?customer__id__exact={customer.pk}"' in content
    # The link shows the customer's contacts and only them.
    listed = admin_client.get(f"{contacts}?customer__id__exact={customer.pk}")
    assert listed.context["cl"].result_count == 200


def test_the_customer_page_adds_a_contact_inline_with_the_same_rules(admin_client):
    customer = CustomerFactory()
    billing_address(customer, country="DE")
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    data = {
        "name": customer.name,
        "is_active": "on",
        "notes": "",
        "version": customer.version,
        "addresses-TOTAL_FORMS": "1",
        "addresses-INITIAL_FORMS": "1",
        "addresses-MIN_NUM_FORMS": "0",
        "addresses-MAX_NUM_FORMS": "1000",
        "addresses-0-id": str(customer.addresses.get().pk),
        "addresses-0-customer": str(customer.pk),
        "addresses-0-kind": "billing",
        "addresses-0-street_line_1": "Marienplatz 1",
        "addresses-0-city": "München",
        "addresses-0-country": "DE",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-customer": str(customer.pk),
        "contacts-0-first_name": "Jonas",
        "contacts-0-phone": "030 1234 5601",
        "contacts-0-roles": [str(role("primary").pk)],
        "contact_details-TOTAL_FORMS": "0",
        "contact_details-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, {**data, "contacts-0-phone": "030"})
    assert response.status_code == 200
    assert not Contact.objects.exists()
    response = admin_client.post(url, data)
    assert response.status_code == 302
    contact = customer.contacts.get()
    assert contact.phone == "+493012345601"
    assert list(contact.roles.values_list("code", flat=True)) == ["primary"]


def test_a_role_added_in_the_admin_appears_in_the_contact_form(
    admin_client, client_for, editor
):
    response = admin_client.post(
        reverse("admin:contacts_contactrole_add"),
        {"name": "Marketing", "code": "marketing", "description": "", "position": 5},
    )
    assert response.status_code == 302
    customer = CustomerFactory()
    content = (
        client_for(editor)
        .get(reverse("contacts:create", args=[customer.pk]))
        .content.decode()
    )
    assert "Marketing" in content


def test_the_standard_roles_cannot_be_deleted_or_recoded(admin_client):
    primary = role("primary")
    delete_url = reverse("admin:contacts_contactrole_delete", args=[primary.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert ContactRole.objects.filter(code="primary").exists()
    change = admin_client.get(
        reverse("admin:contacts_contactrole_change", args=[primary.pk])
    )
    assert "code" in change.context["adminform"].readonly_fields


def test_the_field_settings_are_one_row_that_is_never_deleted(admin_client):
    add_url = reverse("admin:contacts_contactfieldsettings_add")
    response = admin_client.post(
        add_url,
        {
            "show_last_name": "on",
            "show_email": "on",
            "require_email": "on",
            "show_phone": "on",
            "show_job_title": "on",
            "show_department": "on",
        },
    )
    assert response.status_code == 302
    settings = ContactFieldSettings.load()
    assert settings.required_fields() == ["email"]
    assert admin_client.get(add_url).status_code == 403
    delete_url = reverse(
        "admin:contacts_contactfieldsettings_delete", args=[settings.pk]
    )
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert ContactFieldSettings.objects.count() == 1


def test_the_field_settings_refuse_a_required_field_that_is_hidden(admin_client):
    response = admin_client.post(
        reverse("admin:contacts_contactfieldsettings_add"),
        {"require_phone": "on", "show_email": "on"},
    )
    assert response.status_code == 200
    assert "A required field must be shown" in response.content.decode()
    assert not ContactFieldSettings.objects.exists()


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:contacts_contact_changelist",
        "admin:contacts_contactrole_changelist",
        "admin:contacts_contactfieldsettings_changelist",
        "admin:contacts_contact_add",
    ],
)
def test_the_admin_pages_open(admin_client, url_name):
    ContactFactory(roles=["primary"])
    assert admin_client.get(reverse(url_name), {"q": "a"}).status_code == 200


def test_the_admin_shows_stored_numbers_formatted_and_keeps_them_on_save(
    admin_client,
):
    from contacts.models import ContactDetail
    from contacts.services.card import contact_detail_create

    customer = CustomerFactory()
    billing_address(customer, country="NL")
    contact = ContactFactory(customer=customer, phone="+31612345678")
    detail = contact_detail_create(
        customer=customer, kind="telephone", value="020 123 4567"
    )
    url = reverse("admin:contacts_contact_change", args=[contact.pk])
    page = admin_client.get(url).content.decode()
    assert 'value="+31 6 12345678"' in page
    detail_page = admin_client.get(
        reverse("admin:contacts_contactdetail_change", args=[detail.pk])
    ).content.decode()
    assert 'value="+31 20 123 4567"' in detail_page
    listing = admin_client.get(reverse("admin:contacts_contactdetail_changelist"))
    assert "+31 20 123 4567" in listing.content.decode()
    customer_page = admin_client.get(
        reverse("admin:customers_customer_change", args=[customer.pk])
    ).content.decode()
    assert "Telephone: +31 20 123 4567" in customer_page
    assert "+31201234567" not in customer_page.replace('href="tel:', "")

    response = admin_client.post(
        url,
        contact_form(
            customer,
            first_name=contact.first_name,
            phone="+31 6 12345678",
            version=Contact.objects.get(pk=contact.pk).version,
        ),
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.phone == "+31612345678"
    assert ContactDetail.objects.get().value == "+31201234567"


def test_the_admin_keeps_the_possible_duplicates_current(admin_client):
    from contacts.models import PossibleDuplicate
    from contacts.services.links import contact_create

    customer = CustomerFactory()
    billing_address(customer, "GB")
    anna = contact_create(customer=customer, first_name="Anna", email="anna@x.example")
    response = admin_client.post(
        reverse("admin:contacts_contact_add"),
        contact_form(customer, email="anna@x.example"),
    )
    assert response.status_code == 302
    added = Contact.objects.exclude(pk=anna.pk).get()
    pair = PossibleDuplicate.objects.get()
    assert (pair.contact_a_id, pair.contact_b_id, pair.same_email) == (
        anna.pk,
        added.pk,
        True,
    )

    data = contact_form(
        customer, first_name="Piet", email="other@x.example", version=added.version
    )
    response = admin_client.post(
        reverse("admin:contacts_contact_change", args=[added.pk]), data
    )
    assert response.status_code == 302
    assert not PossibleDuplicate.objects.exists()
