import pytest
from django.urls import reverse

from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db

# 1 session, 2 user, 3-4 the user's permissions (own, then through groups; read once
# for the view's check and the template's perms), 5 customer (the 404 check),
# 6 contacts, 7 their roles (one prefetch for all; the Primary notice reads it too),
# 8 the marks of their email addresses (a suppression), 9-12 the "Who receives
# what" panel: contacts with an email, their roles, the contact card's primary email
# and the suppressions of those addresses, read once for orders, invoices and
# shipments.
CONTACTS_TAB_QUERIES = 12


@pytest.mark.parametrize("count", [1, 100])
def test_the_contacts_tab_costs_the_same_queries_for_1_or_100_contacts(
    client_for, editor, django_assert_num_queries, count
):
    customer = CustomerFactory()
    billing_address(customer)
    for index in range(count):
        ContactFactory(
            customer=customer,
            phone="+31612345678",
            # One Primary per customer; the other odd rows three roles as well.
            roles=[
                "primary" if index == 1 else "shipment",
                "order",
                "invoice",
            ]
            if index % 2
            else ["shipment", "order"],
        )
    client = client_for(editor)
    url = reverse("contacts:list", args=[customer.pk])
    with django_assert_num_queries(CONTACTS_TAB_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="badge role"') == (
        count // 2 * 3 + (count - count // 2) * 2
    )
