"""The rules every text of every model follows (`core.models.TimeStampedModel`):
no control character; no line break or tab in a one-line text; a length limit
checked on the value as it will be stored. Shown here through customers; the other
apps' tests show them through their forms, the admin and the imports."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contacts.models import ContactRole
from customers.models import Customer
from customers.services import customer_create, customer_update
from tests.contacts.test_contact_detail_admin import customer_change_data
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db

# A line break of each kind, a tab, NUL and other control characters.
ONE_LINE_REFUSED = [
    ("Fjord\nFoods", "Keep this on one line: remove the line break (character 6)."),
    ("Fjord\r\nFoods", "Keep this on one line: remove the line break (character 6)."),
    ("Fjord\u2028Foods", "Keep this on one line: remove the line break (character 6)."),
    ("Fjord\x85Foods", "Keep this on one line: remove the line break (character 6)."),
    (
        "Fjord\tFoods",
        "Keep this on one line: replace the tab (character 6) with a space.",
    ),
    (
        "Fjord\x00Foods",
        "Remove a NUL byte (character 6): it is invisible and cannot be stored.",
    ),
    (
        "Fjord\x1bFoods",
        "Remove the control character U+001B (character 6): it is invisible and "
        "cannot be stored.",
    ),
    (
        "Fjord\x7f",
        "Remove the control character U+007F (character 6): it is invisible and "
        "cannot be stored.",
    ),
]


def messages_of(info) -> dict[str, list[str]]:
    return info.value.message_dict


@pytest.mark.parametrize(("name", "message"), ONE_LINE_REFUSED)
def test_a_one_line_text_refuses_line_breaks_tabs_and_control_characters(name, message):
    with pytest.raises(ValidationError) as info:
        customer_create(name=name)

    assert messages_of(info) == {"name": [message]}
    assert not Customer.objects.exists()


@pytest.mark.parametrize("notes", ["Call first.\nThen write.", "A\r\nB", "Col\tB"])
def test_a_text_of_several_lines_keeps_its_line_breaks_and_tabs(notes):
    customer = customer_create(name="Fjord Foods", notes=notes)
    customer.refresh_from_db()
    assert customer.notes == notes


@pytest.mark.parametrize(
    ("notes", "what"),
    [("A\x00B", "a NUL byte"), ("A\x0bB", "the control character U+000B")],
)
def test_a_text_of_several_lines_refuses_other_control_characters(notes, what):
    with pytest.raises(ValidationError) as info:
        customer_create(name="Fjord Foods", notes=notes)

    assert messages_of(info) == {
        "notes": [f"Remove {what} (character 2): it is invisible and cannot be stored."]
    }


def test_a_change_is_refused_at_its_field_and_leaves_the_row_as_it_was():
    customer = CustomerFactory(name="Fjord Foods")
    with pytest.raises(ValidationError) as info:
        customer_update(customer=customer, data={"name": "Fjord\nFoods"})
    assert list(messages_of(info)) == ["name"]
    customer.refresh_from_db()
    assert customer.name == "Fjord Foods"


def test_the_length_of_a_text_without_a_form_limit_is_checked_too():
    """A TextField's max_length is only its form's; services and imports reach the
    model's rule."""
    with pytest.raises(ValidationError) as info:
        customer_create(name="Fjord Foods", notes="n" * 5001)
    assert messages_of(info) == {
        "notes": ["This is 5001 characters long; the limit is 5000."]
    }


def test_a_refused_value_is_not_sent_to_the_database_by_the_uniqueness_check():
    """PostgreSQL refuses a NUL byte in a query: the unique check of the role's name
    would fail with a server error instead of the refusal."""
    role = ContactRole(code="key-account", name="Key\x00account", position=9)
    with pytest.raises(ValidationError) as info:
        role.full_clean()
    assert list(messages_of(info)) == ["name"]


def test_the_customer_form_shows_the_refusal_at_its_field(client_for, manager):
    response = client_for(manager).post(
        reverse("customers:create"), {"name": "Fjord\x01Foods", "is_active": "on"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "name": [
            "Remove the control character U+0001 (character 6): it is invisible and "
            "cannot be stored."
        ]
    }
    assert not Customer.objects.exists()


def test_the_admin_shows_the_refusal_at_its_field(admin_client):
    data = customer_change_data(Customer(name="Fjord\u2028Foods"), rows=[])

    response = admin_client.post(reverse("admin:customers_customer_add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "name": ["Keep this on one line: remove the line break (character 6)."]
    }
    assert not Customer.objects.exists()
