import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from sales.models import Invoice, SalesOrder, Shipment
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory
from tests.sales.factories import make_document, make_invoice

pytestmark = pytest.mark.django_db

KINDS = [SalesOrder, Invoice, Shipment]


@pytest.mark.parametrize("kind", KINDS)
def test_it_shows_number_customer_date_status_and_contact(client_for, viewer, kind):
    customer = CustomerFactory(name="Fjord Foods")
    ivy = ContactFactory(customer=customer, first_name="Ivy", last_name="Lund")
    document = make_document(kind, customer, contact=ivy)
    page = client_for(viewer).get(reverse(f"sales:{kind.KIND}_list")).content.decode()
    for text in (document.number, "Fjord Foods", "1 Mar 2026", "Draft", "Ivy Lund"):
        assert text in page


@pytest.mark.parametrize("term", ["INV-00002", "fjord", "PO-4", "ivy"])
def test_it_searches_number_customer_reference_and_contact(client_for, viewer, term):
    fjord = CustomerFactory(name="Fjord Foods")
    other = CustomerFactory(name="Granite Ltd")
    make_invoice(other, reference="X")
    wanted = make_invoice(
        fjord,
        reference="PO-4",
        contact=ContactFactory(customer=fjord, first_name="Ivy"),
    )
    found = client_for(viewer).get(reverse("sales:invoice_list"), {"q": term})
    assert list(found.context["document_list"]) == [wanted]


def test_it_searches_by_customer_number(client_for, viewer):
    fjord = CustomerFactory()
    wanted = make_invoice(fjord)
    make_invoice(CustomerFactory())
    found = client_for(viewer).get(reverse("sales:invoice_list"), {"q": fjord.number})
    assert list(found.context["document_list"]) == [wanted]


def test_it_paginates_25_a_page_newest_first(client_for, viewer):
    customer = CustomerFactory()
    for _ in range(30):
        make_invoice(customer)
    client = client_for(viewer)
    first = client.get(reverse("sales:invoice_list")).context["document_list"]
    assert len(first) == 25
    assert first[0].number == "INV-00030"
    assert (
        len(
            client.get(reverse("sales:invoice_list"), {"page": 2}).context[
                "document_list"
            ]
        )
        == 5
    )


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("count", [3, 40])
def test_query_count_does_not_grow_with_documents(
    client_for, viewer, django_assert_num_queries, kind, count
):
    for index in range(count):
        customer = CustomerFactory()
        contact = ContactFactory(customer=customer) if index % 2 else None
        make_document(kind, customer, contact=contact)
    client = client_for(viewer)
    # 1 session, 2 user, 3-4 the user's own and group permissions, 5 the count for
    # the paginator, 6 the page of documents joined with their customers.
    with django_assert_num_queries(6):
        response = client.get(reverse(f"sales:{kind.KIND}_list"))
    assert len(response.context["document_list"]) == min(count, 25)


@pytest.mark.parametrize("sendings", [0, 3])
def test_detail_query_count_does_not_grow_with_its_emails(
    client_for, editor, django_assert_num_queries, sendings
):
    from sales.services import document_send

    customer = CustomerFactory()
    ContactFactory(customer=customer, email="ana@example.com", roles=["invoice"])
    invoice = make_invoice(customer)
    for _ in range(sendings):
        document_send(document=invoice, sent_by=editor)
    client = client_for(editor)
    # 1 session, 2 user, 3-4 the user's own and group permissions, 5 the customer,
    # 6 the invoice with its customer and contact, 7-10 its recipients now: contacts
    # with an email, their roles, the contact card's primary email, the standing
    # suppressions of their addresses, 11 its emails (deliveries) with who sent
    # them.
    with django_assert_num_queries(11):
        client.get(invoice.get_absolute_url())


def test_it_shows_the_amount_with_its_currency_and_the_customer_as_a_link(
    client_for, viewer
):
    fjord = CustomerFactory(name="Fjord Foods")
    make_invoice(fjord, amount=Decimal("1250.00"), currency="EUR")
    make_invoice(fjord, amount=Decimal("99.50"), currency="USD")
    make_document(Shipment, fjord)
    page = client_for(viewer).get(reverse("sales:invoice_list")).content.decode()
    assert "€1,250.00" in page
    assert "$99.50" in page
    assert f'<a href="{fjord.get_absolute_url()}">Fjord Foods</a>' in page
    shipments = client_for(viewer).get(reverse("sales:shipment_list"))
    assert "Amount" not in shipments.content.decode()


@pytest.mark.parametrize(
    ("status", "expected"), [("sent", ["sent"]), ("", ["sent", "draft"])]
)
def test_it_filters_by_status_and_keeps_the_filter_across_pages(
    client_for, viewer, status, expected
):
    customer = CustomerFactory()
    make_invoice(customer, date=datetime.date(2026, 3, 1))
    make_invoice(customer, status="sent", date=datetime.date(2026, 3, 2))
    response = client_for(viewer).get(reverse("sales:invoice_list"), {"status": status})
    assert [d.status for d in response.context["document_list"]] == expected


def test_the_status_filter_is_kept_by_the_pages(client_for, viewer):
    customer = CustomerFactory()
    for _ in range(30):
        make_invoice(customer, status="sent")
    make_invoice(customer)
    response = client_for(viewer).get(
        reverse("sales:invoice_list"), {"status": "sent", "q": "INV"}
    )
    assert response.context["page_obj"].paginator.count == 30
    assert 'href="?q=INV&amp;status=sent&amp;page=2"' in response.content.decode()


def test_an_unknown_status_lists_them_all(client_for, viewer):
    make_invoice(CustomerFactory())
    response = client_for(viewer).get(reverse("sales:invoice_list"), {"status": "x"})
    assert len(response.context["document_list"]) == 1


@pytest.mark.parametrize(
    ("persona", "shown"), [("viewer", False), ("editor", True), ("manager", True)]
)
def test_new_is_on_the_list_for_those_who_may_add(request, client_for, persona, shown):
    client = client_for(request.getfixturevalue(persona))
    page = client.get(reverse("sales:invoice_list")).content.decode()
    assert (reverse("sales:invoice_choose_customer") in page) is shown
