import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from contacts.models import Contact, ContactFieldSettings, ContactRole
from tests.contacts.factories import ContactFactory, role
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db

NEW_CONTACT = {
    "first_name": "Anna",
    "last_name": "de Vries",
    "email": "anna@fjord.example.com",
    "phone": "06 12345678",
    "job_title": "Buyer",
    "department": "Purchasing",
}


@pytest.fixture
def customer():
    customer = CustomerFactory(name="Fjord Foods B.V.")
    billing_address(customer, country="NL")
    return customer


def urls(customer, contact):
    return {
        "list": reverse("contacts:list", args=[customer.pk]),
        "create": reverse("contacts:create", args=[customer.pk]),
        "update": reverse("contacts:update", args=[customer.pk, contact.pk]),
        "delete": reverse("contacts:delete", args=[customer.pk, contact.pk]),
    }


def role_pks(*codes):
    return [
        str(pk)
        for pk in ContactRole.objects.filter(code__in=codes).values_list(
            "pk", flat=True
        )
    ]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("manager", {"list": 200, "create": 200, "update": 200, "delete": 200}),
        ("editor", {"list": 200, "create": 200, "update": 200, "delete": 200}),
        ("viewer", {"list": 200, "create": 403, "update": 403, "delete": 403}),
        ("outsider", {"list": 403, "create": 403, "update": 403, "delete": 403}),
    ],
)
def test_access_by_persona(request, client_for, customer, persona, expected):
    contact = ContactFactory(customer=customer)
    client = client_for(request.getfixturevalue(persona))
    for name, url in urls(customer, contact).items():
        assert client.get(url).status_code == expected[name], name


@pytest.mark.parametrize("page", ["list", "create", "update", "delete"])
def test_anonymous_is_sent_to_sign_in(client, customer, page):
    contact = ContactFactory(customer=customer)
    response = client.get(urls(customer, contact)[page])
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("page", ["update", "delete"])
def test_another_customers_contact_through_this_customers_url_is_404(
    client_for, manager, customer, page
):
    other = ContactFactory(customer=CustomerFactory(), first_name="Bert")
    url = urls(customer, other)[page]
    client = client_for(manager)
    assert client.get(url).status_code == 404
    assert client.post(url, {**NEW_CONTACT}).status_code == 404
    assert Contact.objects.filter(pk=other.pk).exists()
    other.refresh_from_db()
    assert other.first_name == "Bert"


@pytest.mark.parametrize("page", ["list", "create"])
def test_an_unknown_customer_is_404(client_for, editor, page):
    url = reverse(f"contacts:{page}", args=[4242])
    assert client_for(editor).get(url).status_code == 404


def test_the_viewer_cannot_post_changes(client_for, viewer, customer):
    contact = ContactFactory(customer=customer, first_name="Bert")
    client = client_for(viewer)
    page = urls(customer, contact)
    assert client.post(page["create"], NEW_CONTACT).status_code == 403
    assert client.post(page["update"], NEW_CONTACT).status_code == 403
    assert client.post(page["delete"]).status_code == 403
    assert list(Contact.objects.values_list("first_name", flat=True)) == ["Bert"]


def test_changes_only_by_get_and_post(client_for, editor, customer):
    contact = ContactFactory(customer=customer)
    client = client_for(editor)
    page = urls(customer, contact)
    assert client.post(page["list"]).status_code == 405
    assert client.put(page["create"]).status_code == 405
    assert client.put(page["update"]).status_code == 405
    assert client.delete(page["delete"]).status_code == 405
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_a_post_without_csrf_token_is_refused(client, editor, customer):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(editor)
    response = csrf_client.post(
        reverse("contacts:create", args=[customer.pk]), NEW_CONTACT
    )
    assert response.status_code == 403
    assert not Contact.objects.exists()


def test_the_tab_lists_contacts_with_roles_and_international_phone(
    client_for, viewer, customer
):
    ContactFactory(
        customer=customer,
        first_name="Anna",
        last_name="de Vries",
        phone="+31612345678",
        job_title="Buyer",
        roles=["primary", "invoice"],
    )
    content = (
        client_for(viewer).get(urls(customer, Contact(pk=0))["list"]).content.decode()
    )
    assert "Anna de Vries" in content
    assert (
        '<span class="badge role" title="Main point of contact">Primary</span>'
        in content
    )
    assert ">Invoice</span>" in content
    assert "+31 6 12345678" in content
    assert "Buyer" in content
    assert 'aria-current="page">Contacts</a>' in content
    assert "No contact of this customer holds the Primary role" not in content


def test_the_tab_sits_between_overview_and_addresses(client_for, viewer, customer):
    content = client_for(viewer).get(customer.get_absolute_url()).content.decode()
    assert content.index(">Overview</a>") < content.index(">Contacts</a>")
    assert content.index(">Contacts</a>") < content.index(">Addresses</a>")


def test_without_view_permission_the_tab_is_hidden(client_for, customer):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_customer"))
    content = client_for(user).get(customer.get_absolute_url()).content.decode()
    assert ">Contacts</a>" not in content


def test_a_notice_recommends_a_primary_contact_when_none_holds_it(
    client_for, viewer, customer
):
    ContactFactory(customer=customer, roles=["invoice"])
    content = (
        client_for(viewer)
        .get(reverse("contacts:list", args=[customer.pk]))
        .content.decode()
    )
    assert (
        "No contact of this customer holds the Primary role. We recommend assigning one"
        in content
    )


def test_an_empty_tab_says_so_and_recommends_a_primary(client_for, viewer, customer):
    content = (
        client_for(viewer)
        .get(reverse("contacts:list", args=[customer.pk]))
        .content.decode()
    )
    assert "This customer has no contacts yet." in content
    assert "We recommend assigning one" in content


def test_buttons_show_only_to_those_who_may_use_them(
    client_for, viewer, editor, customer
):
    contact = ContactFactory(customer=customer)
    page = urls(customer, contact)
    as_viewer = client_for(viewer).get(page["list"]).content.decode()
    assert "Add contact" not in as_viewer
    assert page["update"] not in as_viewer
    assert page["delete"] not in as_viewer
    as_editor = client_for(editor).get(page["list"]).content.decode()
    assert "Add contact" in as_editor
    assert page["update"] in as_editor
    assert page["delete"] in as_editor


def test_adding_a_contact_saves_it_with_its_roles_and_says_so(
    client_for, editor, customer
):
    client = client_for(editor)
    data = {**NEW_CONTACT, "roles": role_pks("primary", "order")}
    response = client.post(reverse("contacts:create", args=[customer.pk]), data)
    assert response.status_code == 302
    assert response.url == reverse("contacts:list", args=[customer.pk])
    contact = customer.contacts.get()
    assert contact.full_name == "Anna de Vries"
    assert contact.phone == "+31612345678"
    assert contact.department == "Purchasing"
    assert set(contact.roles.values_list("code", flat=True)) == {"primary", "order"}
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Contact Anna de Vries was added."
    ]


def test_the_first_contact_has_primary_proposed(client_for, editor, customer):
    response = client_for(editor).get(reverse("contacts:create", args=[customer.pk]))
    assert response.context["form"].initial["roles"] == [role("primary").pk]
    content = response.content.decode()
    assert f'value="{role("primary").pk}"' in content
    assert "checked" in content


def test_primary_is_not_proposed_when_a_contact_holds_it(client_for, editor, customer):
    ContactFactory(customer=customer, roles=["primary"])
    response = client_for(editor).get(reverse("contacts:create", args=[customer.pk]))
    assert not response.context["form"].initial.get("roles")
    # No role ticked (the Active box is, for a new contact).
    assert not re.search(r'name="roles"[^>]*checked', response.content.decode())


def test_a_primary_of_another_customer_does_not_count(client_for, editor, customer):
    ContactFactory(customer=CustomerFactory(), roles=["primary"])
    response = client_for(editor).get(reverse("contacts:create", args=[customer.pk]))
    assert response.context["form"].initial["roles"] == [role("primary").pk]


def test_the_form_has_the_labels_of_the_help_page_and_a_checkbox_per_role(
    client_for, editor, customer
):
    ContactRole.objects.create(code="marketing", name="Marketing", position=9)
    form = (
        client_for(editor)
        .get(reverse("contacts:create", args=[customer.pk]))
        .context["form"]
    )
    assert [field.label for field in form.visible_fields()] == [
        "First name",
        "Last name",
        "Email address",
        "Phone number",
        "Job title",
        "Department",
        "Roles",
        "Language of emails",
        "No notification emails",
        "Active",
        "Contact since",
        "Contact until",
    ]
    assert [label for _, label in form.fields["roles"].choices] == [
        "Primary",
        "Order",
        "Invoice",
        "Shipment",
        "Marketing",
    ]
    assert form.fields["first_name"].required
    assert not form.fields["last_name"].required


def test_the_form_hides_and_requires_fields_as_the_organisation_chose(
    client_for, editor, customer
):
    ContactFieldSettings.objects.create(
        show_department=False, show_job_title=False, require_email=True
    )
    client = client_for(editor)
    form = client.get(reverse("contacts:create", args=[customer.pk])).context["form"]
    assert "department" not in form.fields
    assert "job_title" not in form.fields
    assert form.fields["email"].required
    response = client.post(
        reverse("contacts:create", args=[customer.pk]),
        {"first_name": "Anna", "department": "ignored"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"email": ["This field is required."]}
    assert not Contact.objects.exists()
    client.post(
        reverse("contacts:create", args=[customer.pk]),
        {"first_name": "Anna", "email": "anna@example.com", "department": "ignored"},
    )
    assert customer.contacts.get().department == ""


def test_changing_a_hidden_field_keeps_its_stored_value(client_for, editor, customer):
    contact = ContactFactory(customer=customer, department="Finance")
    ContactFieldSettings.objects.create(show_department=False)
    client_for(editor).post(
        reverse("contacts:update", args=[customer.pk, contact.pk]),
        {"first_name": "Anne", "version": contact.version},
    )
    contact.refresh_from_db()
    assert contact.first_name == "Anne"
    assert contact.department == "Finance"


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("first_name", "", "This field is required."),
        ("email", "anna.example.com", "This address has no @ sign"),
        ("email", "anna@", "Add the domain after the @ sign"),
        ("email", "anna@example", "The domain after the @ sign needs a period"),
        ("phone", "06 1234", "a mobile number in Netherlands (+31) with 4 digits"),
    ],
)
def test_refused_input_stays_in_the_form_and_saves_nothing(
    client_for, editor, customer, field, typed, message
):
    data = {**NEW_CONTACT, field: typed, "roles": role_pks("invoice")}
    response = client_for(editor).post(
        reverse("contacts:create", args=[customer.pk]), data
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in form.errors[field][0]
    content = response.content.decode()
    for name, value in data.items():
        if name != "roles" and value:
            assert f'value="{value}"' in content
    assert f'value="{role("invoice").pk}"' in content
    assert not Contact.objects.exists()


def test_without_a_billing_address_the_form_asks_for_the_country_code(
    client_for, editor
):
    customer = CustomerFactory()
    response = client_for(editor).post(
        reverse("contacts:create", args=[customer.pk]), NEW_CONTACT
    )
    assert response.context["form"].errors == {
        "phone": [
            "Enter the number with its country code (+…): this customer has no "
            "billing address to read it by."
        ]
    }
    assert not Contact.objects.exists()


def test_changing_a_contact_applies_at_once_and_says_so(client_for, editor, customer):
    contact = ContactFactory(customer=customer, first_name="Anna", roles=["primary"])
    response = client_for(editor).post(
        reverse("contacts:update", args=[customer.pk, contact.pk]),
        {
            **NEW_CONTACT,
            "first_name": "Anne",
            "roles": role_pks("order", "shipment"),
            "version": contact.version,
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.first_name == "Anne"
    assert set(contact.roles.values_list("code", flat=True)) == {"order", "shipment"}
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Contact Anne de Vries was saved."
    ]


def test_unticking_every_role_removes_them(client_for, editor, customer):
    contact = ContactFactory(customer=customer, roles=["primary", "order"])
    client_for(editor).post(
        reverse("contacts:update", args=[customer.pk, contact.pk]),
        {**NEW_CONTACT, "version": contact.version},
    )
    assert not contact.roles.exists()


def test_the_change_form_shows_the_phone_in_international_format(
    client_for, editor, customer
):
    contact = ContactFactory(customer=customer, phone="+31612345678")
    content = (
        client_for(editor)
        .get(reverse("contacts:update", args=[customer.pk, contact.pk]))
        .content.decode()
    )
    assert 'value="+31 6 12345678"' in content


def test_a_refused_change_saves_nothing(client_for, editor, customer):
    contact = ContactFactory(customer=customer, first_name="Anna", roles=["primary"])
    response = client_for(editor).post(
        reverse("contacts:update", args=[customer.pk, contact.pk]),
        {
            **NEW_CONTACT,
            "first_name": "Anne",
            "phone": "12",
            "roles": role_pks("order"),
        },
    )
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.first_name == "Anna"
    assert list(contact.roles.values_list("code", flat=True)) == ["primary"]


def test_deleting_asks_for_confirmation_then_deletes(client_for, editor, customer):
    contact = ContactFactory(customer=customer, first_name="Anna", last_name="Bakker")
    client = client_for(editor)
    url = reverse("contacts:delete", args=[customer.pk, contact.pk])
    confirmation = client.get(url)
    assert "Delete the contact Anna Bakker?" in confirmation.content.decode()
    assert Contact.objects.filter(pk=contact.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Contact Anna Bakker was deleted."
    ]


def test_an_error_about_a_hidden_field_shows_above_the_form(
    client_for, editor, customer
):
    # Written around the rules (an old import): the number cannot be read.
    contact = ContactFactory(customer=customer, first_name="Anna", phone="12")
    ContactFieldSettings.objects.create(show_phone=False)
    response = client_for(editor).post(
        reverse("contacts:update", args=[customer.pk, contact.pk]),
        {"first_name": "Anne", "version": contact.version},
    )
    assert response.status_code == 200
    assert (
        "too few digits for Netherlands"
        in response.context["form"].non_field_errors()[0]
    )
    contact.refresh_from_db()
    assert contact.first_name == "Anna"
