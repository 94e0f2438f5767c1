import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from communications.models import Delivery
from sales.models import Invoice, SalesOrder, Shipment
from sales.services import document_send
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory
from tests.sales.factories import make_document, make_invoice

pytestmark = pytest.mark.django_db

# The (read-only) deliveries inline's management form.
NO_DELIVERIES = {
    "communications-delivery-about_type-about_id-TOTAL_FORMS": "0",
    "communications-delivery-about_type-about_id-INITIAL_FORMS": "0",
}


def sales_codenames(name):
    group = Group.objects.get(name=name)
    return set(
        group.permissions.filter(content_type__app_label="sales").values_list(
            "codename", flat=True
        )
    )


def test_the_default_groups_have_their_document_permissions():
    kinds = ("salesorder", "invoice", "shipment")
    read = {f"view_{kind}" for kind in kinds}
    work = read | {f"{a}_{kind}" for kind in kinds for a in ("add", "change", "send")}
    assert sales_codenames("Sales viewer") == read
    assert sales_codenames("Sales staff") == work
    assert sales_codenames("Sales manager") == work


@pytest.mark.parametrize("kind", [SalesOrder, Invoice, Shipment])
def test_the_admin_pages_open_for_each_kind(admin_client, kind):
    document = make_document(kind, CustomerFactory())
    name = kind._meta.model_name
    for url in (
        reverse(f"admin:sales_{name}_changelist"),
        reverse(f"admin:sales_{name}_add"),
        reverse(f"admin:sales_{name}_change", args=[document.pk]),
        reverse(f"admin:sales_{name}_history", args=[document.pk]),
    ):
        assert admin_client.get(url).status_code == 200


def test_the_document_admin_searches_contacts_instead_of_listing_them_all(
    admin_client,
):
    contacts = ContactFactory.create_batch(30, first_name="Listed")
    content = admin_client.get(reverse("admin:sales_invoice_add")).content.decode()
    # An autocomplete widget: no option per contact of every customer.
    assert 'data-field-name="contact"' in content
    assert "Listed" not in content
    found = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": contacts[0].last_name,
            "app_label": "sales",
            "model_name": "invoice",
            "field_name": "contact",
        },
    ).json()
    assert str(contacts[0].pk) in [result["id"] for result in found["results"]]


def test_the_admin_adds_an_invoice_through_the_services(admin_client):
    customer = CustomerFactory()
    ivy = ContactFactory(
        customer=customer, first_name="Ivy", last_name="", email="ivy@example.com"
    )
    response = admin_client.post(
        reverse("admin:sales_invoice_add"),
        {
            "customer": customer.pk,
            "date": "2026-02-01",
            "status": "draft",
            "amount": "10",
            "currency": "EUR",
            "contact": ivy.pk,
            "contact_name": "Someone Else",
            **NO_DELIVERIES,
        },
    )
    assert response.status_code == 302
    invoice = Invoice.objects.get()
    assert invoice.number == "INV-00001"
    assert (invoice.contact_name, invoice.contact_email) == ("Ivy", "ivy@example.com")


def test_the_admin_refuses_a_contact_of_another_customer(admin_client):
    customer = CustomerFactory()
    stranger = ContactFactory(customer=CustomerFactory())
    response = admin_client.post(
        reverse("admin:sales_invoice_add"),
        {
            "customer": customer.pk,
            "date": "2026-02-01",
            "status": "draft",
            "amount": "10",
            "currency": "EUR",
            "contact": stranger.pk,
            **NO_DELIVERIES,
        },
    )
    assert response.status_code == 200
    assert "Choose a contact of this customer." in response.content.decode()
    assert not Invoice.objects.exists()


def test_the_snapshot_is_read_only_in_the_admin(admin_client):
    invoice = make_invoice(CustomerFactory())
    form = (
        admin_client.get(reverse("admin:sales_invoice_change", args=[invoice.pk]))
        .context["adminform"]
        .form
    )
    assert not {"number", "contact_name", "contact_email", "contact_phone"} & set(
        form.fields
    )


def test_deliveries_are_read_only_in_the_admin(admin_client, admin_user):
    customer = CustomerFactory()
    ContactFactory(customer=customer, email="ana@example.com", roles=["invoice"])
    invoice = make_invoice(customer)
    (delivery,) = document_send(document=invoice, sent_by=admin_user)
    change = reverse("admin:communications_delivery_change", args=[delivery.pk])
    assert (
        admin_client.get(
            reverse("admin:communications_delivery_changelist")
        ).status_code
        == 200
    )
    assert admin_client.get(change).status_code == 200
    assert (
        admin_client.get(reverse("admin:communications_delivery_add")).status_code
        == 403
    )
    admin_client.post(change, {"subject": "changed"})
    delivery.refresh_from_db()
    assert delivery.subject != "changed"
    assert Delivery.objects.count() == 1
    # The invoice's admin page lists it.
    page = admin_client.get(reverse("admin:sales_invoice_change", args=[invoice.pk]))
    assert "ana@example.com" in page.content.decode()
