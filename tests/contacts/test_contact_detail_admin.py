"""The admin's ways in to contact details go through the same primary rules."""

import pytest
from django.urls import reverse

from contacts.models import ContactDetail
from contacts.services.card import contact_detail_create
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db

INLINE = "contact_details"


def stored(customer):
    return list(
        ContactDetail.objects.filter(customer=customer)
        .order_by("kind", "-is_primary", "created_at")
        .values_list("kind", "value", "is_primary")
    )


def customer_change_data(customer, rows, initial=0):
    data = {
        "name": customer.name,
        "is_active": "on",
        "notes": "",
        "version": type(customer).objects.get(pk=customer.pk).version,
        "addresses-TOTAL_FORMS": "0",
        "addresses-INITIAL_FORMS": "0",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        f"{INLINE}-TOTAL_FORMS": str(len(rows)),
        f"{INLINE}-INITIAL_FORMS": str(initial),
        f"{INLINE}-MIN_NUM_FORMS": "0",
        f"{INLINE}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{INLINE}-{index}-{name}"] = value
        data[f"{INLINE}-{index}-customer"] = customer.pk
        if "id" in row:
            stored_row = ContactDetail.objects.get(pk=row["id"])
            data[f"{INLINE}-{index}-version"] = stored_row.version
    return data


def test_the_inline_adds_details_with_the_first_of_a_kind_primary(admin_client):
    customer = CustomerFactory()
    billing_address(customer, "DE")
    data = customer_change_data(
        customer,
        [
            {"kind": "email", "value": "a@example.com", "is_primary": "on"},
            {"kind": "email", "value": "b@example.com", "is_primary": "on"},
            {"kind": "telephone", "value": "030 12345678"},
        ],
    )
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert stored(customer) == [
        ("email", "a@example.com", True),
        ("email", "b@example.com", False),
        ("telephone", "+493012345678", True),
    ]


def test_the_inline_removing_the_primary_promotes_the_next(admin_client):
    customer = CustomerFactory()
    a = contact_detail_create(customer=customer, kind="email", value="a@example.com")
    b = contact_detail_create(customer=customer, kind="email", value="b@example.com")
    data = customer_change_data(
        customer,
        [
            {"id": a.pk, "kind": "email", "value": a.value, "DELETE": "on"},
            {"id": b.pk, "kind": "email", "value": b.value, "description": "Billing"},
        ],
        initial=2,
    )
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    assert admin_client.post(url, data).status_code == 302
    assert stored(customer) == [("email", "b@example.com", True)]


def test_the_inline_refuses_an_invalid_value_at_its_field(admin_client):
    customer = CustomerFactory()
    data = customer_change_data(customer, [{"kind": "email", "value": "no-at"}])
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "This address has no @ sign" in response.content.decode()
    assert stored(customer) == []


def test_the_list_adds_a_detail_through_the_rules(admin_client):
    customer = CustomerFactory()
    contact_detail_create(customer=customer, kind="website", value="example.com")
    url = reverse("admin:contacts_contactdetail_add")
    response = admin_client.post(
        url,
        {
            "customer": customer.pk,
            "kind": "website",
            "value": "example.org",
            "is_primary": "on",
        },
    )
    assert response.status_code == 302
    assert stored(customer) == [
        ("website", "https://example.com", True),
        ("website", "https://example.org", False),
    ]


def test_the_list_changes_the_kind_of_a_primary_without_a_500(admin_client):
    customer = CustomerFactory()
    contact_detail_create(customer=customer, kind="mobile", value="+31612345678")
    phone = contact_detail_create(
        customer=customer, kind="telephone", value="+31612345670"
    )
    url = reverse("admin:contacts_contactdetail_change", args=[phone.pk])
    response = admin_client.post(
        url, {"kind": "mobile", "value": phone.value, "version": phone.version}
    )
    assert response.status_code == 302
    assert stored(customer) == [
        ("mobile", "+31612345678", True),
        ("mobile", "+31612345670", False),
    ]


def test_deleting_from_the_list_promotes_the_next(admin_client):
    customer = CustomerFactory()
    a = contact_detail_create(customer=customer, kind="email", value="a@example.com")
    contact_detail_create(customer=customer, kind="email", value="b@example.com")
    url = reverse("admin:contacts_contactdetail_delete", args=[a.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert stored(customer) == [("email", "b@example.com", True)]


def test_bulk_delete_from_the_list_promotes_the_remaining(admin_client):
    customer = CustomerFactory()
    a = contact_detail_create(customer=customer, kind="email", value="a@example.com")
    b = contact_detail_create(customer=customer, kind="email", value="b@example.com")
    contact_detail_create(customer=customer, kind="email", value="c@example.com")
    response = admin_client.post(
        reverse("admin:contacts_contactdetail_changelist"),
        {"action": "delete_selected", "_selected_action": [a.pk, b.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert stored(customer) == [("email", "c@example.com", True)]


@pytest.mark.parametrize(
    "query", [{"q": "Fjord"}, {"kind": "email", "is_primary": "1"}]
)
def test_the_list_searches_and_filters(admin_client, query):
    customer = CustomerFactory(name="Fjord")
    contact_detail_create(customer=customer, kind="email", value="a@example.com")
    response = admin_client.get(
        reverse("admin:contacts_contactdetail_changelist"), query
    )
    assert response.status_code == 200
    assert "a@example.com" in response.content.decode()


def test_primary_is_read_only_in_the_admin(admin_client):
    customer = CustomerFactory()
    detail = contact_detail_create(
        customer=customer, kind="email", value="a@example.com"
    )
    url = reverse("admin:contacts_contactdetail_change", args=[detail.pk])
    content = admin_client.get(url).content.decode()
    assert 'name="is_primary"' not in content
    assert 'name="customer"' not in content


def test_the_inline_saves_a_mobile_number_as_telephone_with_a_warning(admin_client):
    customer = CustomerFactory()
    billing_address(customer, "NL")
    data = customer_change_data(
        customer, [{"kind": "telephone", "value": "0612345678"}]
    )
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    response = admin_client.post(url, data, follow=True)
    assert stored(customer) == [("telephone", "+31612345678", True)]
    warnings = [
        str(m) for m in response.context["messages"] if m.level_tag == "warning"
    ]
    assert warnings == ["+31 6 12345678 is a mobile number: did you mean Mobile Phone?"]


def test_the_list_saves_a_landline_number_as_mobile_with_a_warning(admin_client):
    customer = CustomerFactory()
    billing_address(customer, "NL")
    response = admin_client.post(
        reverse("admin:contacts_contactdetail_add"),
        {"customer": customer.pk, "kind": "mobile", "value": "020 123 4567"},
        follow=True,
    )
    assert stored(customer) == [("mobile", "+31201234567", True)]
    warnings = [
        str(m) for m in response.context["messages"] if m.level_tag == "warning"
    ]
    assert warnings == ["+31 20 123 4567 is a landline number: did you mean Telephone?"]
