"""The rules of every text (`core.models.TimeStampedModel`) on the ways in to
contacts and contact details: the Contacts tab, the contact card's window, the
admin and the services. Imports: test_import_text_rules.py."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contacts.models import Contact, ContactDetail
from contacts.services.card import contact_detail_create
from contacts.services.links import contact_create
from tests.contacts.test_contact_admin import contact_form
from tests.contacts.test_contact_card_update_view import edit_url, form_data, stored
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db

LINE_BREAK = "Keep this on one line: remove the line break (character 5)."
# 252 characters as typed, within the field's 254; 260 once https:// is added.
LONG_WEBSITE = "example.com/" + "p" * 240
TOO_LONG_ONCE_COMPLETED = (
    "Stored as “https://example.com/pppppppppp…”, this is 260 characters long; "
    "the limit is 254. Shorten it."
)


@pytest.fixture
def customer():
    customer = CustomerFactory(name="Fjord Foods B.V.")
    billing_address(customer, "NL")
    return customer


@pytest.mark.parametrize(
    "field", ["first_name", "last_name", "job_title", "department"]
)
def test_the_contact_form_refuses_a_line_break_at_its_field(
    client_for, editor, customer, field
):
    data = {"first_name": "Anna", field: "Anna\nBob"}
    response = client_for(editor).post(
        reverse("contacts:create", args=[customer.pk]), data
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [LINE_BREAK]}
    assert not Contact.objects.exists()


def test_the_services_refuse_a_control_character(customer):
    with pytest.raises(ValidationError) as info:
        contact_create(customer=customer, first_name="Anna", department="Sa\x1bles")
    assert list(info.value.message_dict) == ["department"]
    assert not Contact.objects.exists()


def test_the_admin_refuses_a_control_character_at_its_field(admin_client, customer):
    response = admin_client.post(
        reverse("admin:contacts_contact_add"),
        contact_form(customer, job_title="Buy\ter"),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "job_title": [
            "Keep this on one line: replace the tab (character 4) with a space."
        ]
    }


@pytest.mark.parametrize("where", ["primary", "additional"])
def test_the_window_refuses_a_line_break_in_a_description_at_its_field(
    client_for, editor, customer, where
):
    if where == "primary":
        data = form_data(
            customer, {"email": "info@example.com", "email_description": "Anna\nBob"}
        )
    else:
        data = form_data(
            customer,
            rows=[
                {
                    "kind": "email",
                    "value": "info@example.com",
                    "description": "Anna\nBob",
                }
            ],
        )

    response = client_for(editor).post(edit_url(customer), data)

    assert response.status_code == 200
    if where == "primary":
        assert response.context["form"].errors == {"email_description": [LINE_BREAK]}
    else:
        assert response.context["formset"].errors == [{"description": [LINE_BREAK]}]
    assert stored(customer) == []


def test_the_services_refuse_a_control_character_in_a_detail(customer):
    with pytest.raises(ValidationError) as info:
        contact_detail_create(
            customer=customer,
            kind="email",
            value="info@example.com",
            description="Bill\x00ing",
        )
    assert list(info.value.message_dict) == ["description"]
    assert stored(customer) == []


@pytest.mark.parametrize("where", ["primary", "additional"])
def test_the_window_refuses_a_website_too_long_once_https_is_added(
    client_for, editor, customer, where
):
    if where == "primary":
        data = form_data(customer, {"website": LONG_WEBSITE})
    else:
        data = form_data(customer, rows=[{"kind": "website", "value": LONG_WEBSITE}])

    response = client_for(editor).post(edit_url(customer), data)

    assert response.status_code == 200
    if where == "primary":
        assert response.context["form"].errors == {"website": [TOO_LONG_ONCE_COMPLETED]}
    else:
        assert response.context["formset"].errors == [
            {"value": [TOO_LONG_ONCE_COMPLETED]}
        ]
    assert stored(customer) == []


def test_a_website_that_fits_once_https_is_added_is_stored(
    client_for, editor, customer
):
    website = "example.com/" + "p" * 234  # 246 characters, 254 with https://
    data = form_data(customer, {"website": website})

    response = client_for(editor).post(edit_url(customer), data)

    assert response.status_code == 302
    assert stored(customer) == [("website", f"https://{website}", "", True)]


def test_the_admin_refuses_a_website_too_long_once_https_is_added(
    admin_client, customer
):
    response = admin_client.post(
        reverse("admin:contacts_contactdetail_add"),
        {
            "customer": str(customer.pk),
            "kind": "website",
            "value": LONG_WEBSITE,
            "description": "",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "value": [TOO_LONG_ONCE_COMPLETED]
    }
    assert not ContactDetail.objects.exists()
