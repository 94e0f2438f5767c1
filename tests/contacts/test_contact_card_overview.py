"""The Contact card on the customer's Overview."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from contacts.selectors import overview_contacts
from contacts.services.card import contact_detail_create
from tests.activity.helpers import page_text
from tests.contacts.factories import ContactDetailFactory, ContactFactory
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db


def overview(client, customer):
    response = client.get(reverse("customers:detail", args=[customer.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def customer():
    customer = CustomerFactory(name="Fjord Foods B.V.")
    billing_address(customer, "NL")
    return customer


def test_the_card_shows_the_primary_details_as_links(client_for, viewer, customer):
    for kind, value in [
        ("email", "info@fjord.example"),
        ("telephone", "020 123 4567"),
        ("mobile", "06 12345678"),
        ("website", "fjord.example"),
    ]:
        contact_detail_create(customer=customer, kind=kind, value=value)
    content = overview(client_for(viewer), customer)
    assert '<h2 id="contact-card-title">Contact</h2>' in content
    for label in ("Email Address", "Telephone", "Mobile Phone", "Website"):
        assert f"<dt>{label}</dt>" in content
    assert (
        '<a href="mailto:info@fjord.example">info<wbr>@fjord<wbr>.example</a>'
        in content
    )
    assert '<a class="phone" href="tel:+31201234567">+31 20 123 4567</a>' in content
    assert '<a class="phone" href="tel:+31612345678">+31 6 12345678</a>' in content
    assert (
        '<a href="https://fjord.example" target="_blank" rel="noopener">'
        "https:/<wbr>/<wbr>fjord<wbr>.example</a>"
    ) in content


def test_a_primary_with_a_description_has_an_info_icon_described_by_it(
    client_for, viewer, customer
):
    detail = contact_detail_create(
        customer=customer,
        kind="email",
        value="info@fjord.example",
        description="General enquiries",
    )
    content = overview(client_for(viewer), customer)
    assert (
        f'<button type="button" class="info-icon" '
        f'aria-describedby="contact-info-{detail.pk}">'
    ) in content
    assert "Description of Email Address" in content
    assert (
        f'<span class="tooltip" role="tooltip" id="contact-info-{detail.pk}">'
        "General enquiries</span>"
    ) in content


def test_additional_details_are_grouped_under_their_description(
    client_for, viewer, customer
):
    contact_detail_create(customer=customer, kind="email", value="info@fjord.example")
    contact_detail_create(
        customer=customer,
        kind="email",
        value="billing@fjord.example",
        description="Billing Contact",
    )
    contact_detail_create(customer=customer, kind="email", value="misc@fjord.example")
    contact_detail_create(customer=customer, kind="telephone", value="020 111 2222")
    contact_detail_create(
        customer=customer,
        kind="telephone",
        value="020 123 4567",
        description="Emergency Contact",
    )
    contact_detail_create(
        customer=customer,
        kind="telephone",
        value="020 765 4321",
        description="Billing Contact",
    )
    content = overview(client_for(viewer), customer)
    billing = content.index(">Billing Contact</h4>")
    emergency = content.index(">Emergency Contact</h4>")
    other = content.index(">Other contact details</h4>")
    assert billing < emergency < other
    assert billing < content.index("billing@fjord.example") < emergency
    assert billing < content.index("+31 20 765 4321") < emergency
    assert other < content.index("misc@fjord.example")


def test_an_empty_card_says_so_and_offers_change_only_to_those_allowed(
    client_for, viewer, editor, customer
):
    edit_url = reverse("contacts:contact_details_edit", args=[customer.pk])
    as_viewer = overview(client_for(viewer), customer)
    assert "No contact details yet." in as_viewer
    assert edit_url not in as_viewer
    as_editor = overview(client_for(editor), customer)
    assert "No contact details yet." in as_editor
    assert f'href="{edit_url}" data-opens-dialog' in as_editor


def test_change_shows_to_those_with_the_permission_on_a_full_card(
    client_for, manager, viewer, customer
):
    contact_detail_create(customer=customer, kind="email", value="a@fjord.example")
    edit_url = reverse("contacts:contact_details_edit", args=[customer.pk])
    assert edit_url in overview(client_for(manager), customer)
    assert edit_url not in overview(client_for(viewer), customer)


def test_descriptions_and_values_are_escaped(client_for, viewer, customer):
    contact_detail_create(
        customer=customer,
        kind="email",
        value="a@fjord.example",
        description="<script>alert(1)</script>",
    )
    content = overview(client_for(viewer), customer)
    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


@pytest.mark.parametrize("details", [1, 50])
def test_the_overview_query_count_does_not_grow_with_the_details(
    client_for, viewer, django_assert_num_queries, details
):
    customer = CustomerFactory()
    ContactDetailFactory(customer=customer, is_primary=True)
    ContactDetailFactory.create_batch(
        details - 1, customer=customer, kind="telephone", value="+31201234567"
    )
    client = client_for(viewer)
    # 1 session, 2 user, 3 the customer, 4 the user's permissions (the perms
    # checks of the view and the template), 5 the group permissions, 6 the billing
    # address, 7 the contact details, 8 the marks of their email addresses (a
    # suppression), 9 the contact persons (none), 10-12 the latest sales orders,
    # invoices and shipments of the documents card.
    with django_assert_num_queries(12):
        client.get(reverse("customers:detail", args=[customer.pk]))


@pytest.mark.parametrize("contacts", [1, 20])
def test_the_overview_lists_contact_persons_in_two_queries_whatever_their_number(
    client_for, viewer, django_assert_num_queries, contacts
):
    customer = CustomerFactory()
    ContactFactory.create_batch(contacts, customer=customer, roles=["order"])
    client = client_for(viewer)
    # As above, without the card's addresses to mark (none), with 8 the contact
    # persons, 9 their roles and 10 the marks of their email addresses.
    with django_assert_num_queries(13):
        response = client.get(reverse("customers:detail", args=[customer.pk]))
    assert len(response.context["panels"]) == 3


def test_the_overview_shows_contact_persons_with_their_roles_primary_first(
    client_for, viewer
):
    customer = CustomerFactory()
    ContactFactory(customer=customer, first_name="Bo", last_name="Aalders")
    ContactFactory(
        customer=customer,
        first_name="Zoe",
        last_name="Zandt",
        email="zoe@fjord.example",
        phone="+31612345678",
        roles=["primary", "invoice"],
    )
    response = client_for(viewer).get(reverse("customers:detail", args=[customer.pk]))
    page = page_text(response)
    persons = page[page.index("Contact persons") :]
    assert persons.index("Zoe Zandt") < persons.index("Bo Aalders")
    assert "Zoe Zandt Primary Invoice" in persons
    assert "+31 6 12345678" in persons
    assert "zoe@fjord.example" in persons


def test_the_overview_lists_six_contact_persons_and_links_to_all(client_for, viewer):
    customer = CustomerFactory()
    ContactFactory.create_batch(7, customer=customer)
    response = client_for(viewer).get(reverse("customers:detail", args=[customer.pk]))
    assert "All contact persons" in page_text(response)
    shown = overview_contacts(customer=customer)
    assert (len(shown.contacts), shown.has_more) == (6, True)


def test_the_card_is_only_for_those_who_may_view_contact_details(
    client_for, viewer, customer
):
    contact_detail_create(customer=customer, kind="email", value="info@fjord.example")
    viewer.groups.clear()
    viewer.user_permissions.add(
        Permission.objects.get(
            codename="view_customer", content_type__app_label="customers"
        )
    )
    content = overview(client_for(viewer), customer)
    assert "Fjord Foods B.V." in content
    assert 'id="contact-card-title"' not in content
    assert "info@fjord.example" not in content
