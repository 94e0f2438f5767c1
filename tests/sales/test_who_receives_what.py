"""The Who receives what panel: its selector and the panel the Contacts tab shows."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils.html import strip_tags

from contacts.services.card import contact_detail_create
from sales.models import Invoice, SalesOrder, Shipment
from sales.selectors import customer_who_receives_what
from sales.views import who_receives_what_panel
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "sales/includes/who_receives_what.html"


def render_panel(customer) -> str:
    context = who_receives_what_panel(RequestFactory().get("/"), customer)
    return render_to_string(TEMPLATE, {"customer": customer, **context})


@pytest.fixture
def customer():
    customer = CustomerFactory(name="Fjord Foods")
    ContactFactory(
        customer=customer,
        first_name="Ivy",
        last_name="Lund",
        email="ivy@example.com",
        roles=["invoice"],
    )
    ContactFactory(
        customer=customer,
        first_name="Pia",
        last_name="Berg",
        email="pia@example.com",
        roles=["primary"],
    )
    return customer


def test_the_selector_gives_each_kind_its_recipients_and_reasons(customer):
    rows = customer_who_receives_what(customer=customer)
    assert [row.kind for row in rows] == [SalesOrder, Invoice, Shipment]
    assert [[(r.email, r.reason) for r in row.recipients] for row in rows] == [
        [("pia@example.com", "Primary contact")],
        [("ivy@example.com", "Invoice role")],
        [("pia@example.com", "Primary contact")],
    ]


def test_the_selector_falls_back_to_the_contact_card_and_then_to_nobody():
    customer = CustomerFactory()
    assert all(
        not row.recipients for row in customer_who_receives_what(customer=customer)
    )
    contact_detail_create(customer=customer, kind="email", value="info@fjord.example")
    rows = customer_who_receives_what(customer=customer)
    assert {(r.email, r.reason) for row in rows for r in row.recipients} == {
        ("info@fjord.example", "contact card")
    }


def test_the_panel_names_who_receives_each_notification_and_why(customer):
    html = strip_tags(render_panel(customer))
    assert "Who receives what" in html
    assert "Order confirmation" in html
    assert "Invoice" in html
    assert "Shipment notice" in html
    assert "Ivy Lund &lt;ivy@example.com&gt;" in html
    assert "Invoice role" in html
    assert html.count("Pia Berg &lt;pia@example.com&gt;") == 2
    assert html.count("Primary contact") == 2


def test_the_panel_says_what_to_add_when_nobody_would_receive_a_notification():
    html = render_panel(CustomerFactory())
    assert html.count("Nobody: add a contact with an email address") == 3
    assert "the Shipment or Primary role" in html
