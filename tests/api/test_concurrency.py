"""Optimistic concurrency: every object has a strong ETag, a write needs If-Match
(428 without), and one based on a version that changed since is refused (412), so
no program overwrites a person's edit it has not seen."""

import pytest
from django.contrib.auth.models import Group

from api.services import api_token_create
from contacts.models import Contact
from contacts.services.card import contact_detail_create, contact_detail_delete
from contacts.services.links import contact_update
from customers.models import Customer
from tests.api.conftest import Api, codes
from tests.concurrency import RACE_TEST, one_after_the_other
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory, billing_address
from tests.factories import UserFactory

CUSTOMERS = "/api/v1/customers/"


def url(customer) -> str:
    return f"{CUSTOMERS}{customer.pk}/"


@pytest.mark.django_db
def test_the_etag_is_strong_and_changes_only_with_what_was_shown(api_for, viewer):
    customer = CustomerFactory()
    billing_address(customer)
    api = api_for(viewer)

    first = api.get(url(customer))["ETag"]
    again = api.get(url(customer))["ETag"]
    contact_detail_create(customer=customer, kind="email", value="info@example.com")
    after_card = api.get(url(customer))["ETag"]

    assert first == again
    assert first.startswith('"') and not first.startswith("W/")
    assert after_card != first


@pytest.mark.django_db
@pytest.mark.parametrize("if_match", [None, "*", ""])
def test_a_write_without_the_etag_is_refused_with_428(api_for, manager, if_match):
    customer = CustomerFactory(name="Before")

    response = api_for(manager).patch(
        url(customer), {"name": "After"}, if_match=if_match
    )

    assert response.status_code == 428
    assert codes(response) == [(None, "precondition_required")]
    customer.refresh_from_db()
    assert customer.name == "Before"


@pytest.mark.django_db
def test_a_write_based_on_a_version_changed_since_is_refused_with_412(
    api_for, manager, client
):
    customer = CustomerFactory(name="Before")
    api = api_for(manager)
    etag = api.get(url(customer))["ETag"]
    # A person saves the customer's page meanwhile.
    client.force_login(manager)
    client.post(
        f"/customers/{customer.pk}/edit/",
        {
            "name": "By a person",
            "is_active": "on",
            "notes": "",
            "version": Customer.objects.get().version,
        },
    )
    assert Customer.objects.get().name == "By a person"

    response = api.patch(url(customer), {"name": "By a program"}, if_match=etag)

    assert response.status_code == 412
    assert codes(response) == [(None, "precondition_failed")]
    assert Customer.objects.get().name == "By a person"


@pytest.mark.django_db
def test_if_match_may_list_several_etags(api_for, manager):
    customer = CustomerFactory(name="Before")
    api = api_for(manager)
    etag = api.get(url(customer))["ETag"]

    response = api.patch(url(customer), {"name": "After"}, if_match=f'"stale", {etag}')

    assert response.status_code == 200


@pytest.mark.django_db
def test_a_stale_etag_of_a_deleted_detail_is_a_404(api_for, editor):
    customer = CustomerFactory()
    detail = contact_detail_create(
        customer=customer, kind="email", value="info@example.com"
    )
    api = api_for(editor)
    etag = api.get(f"/api/v1/contact-details/{detail.pk}/")["ETag"]
    contact_detail_delete(detail=detail)

    response = api.delete(f"/api/v1/contact-details/{detail.pk}/", if_match=etag)

    assert response.status_code == 404


@RACE_TEST[0]
@RACE_TEST[1]
def test_a_write_that_waited_for_another_on_the_same_version_is_refused():
    """The second program read the same ETag and writes while the first's write is
    not yet committed: it waits for the first, then finds the ETag stale."""
    manager = UserFactory(username="race-manager")
    manager.groups.add(Group.objects.get(name="Sales manager"))
    customer = CustomerFactory(name="Before")
    first, second = (Api(api_token_create(user=manager).secret) for _ in range(2))
    etag = first.get(url(customer))["ETag"]

    outcomes = one_after_the_other(
        lambda: first.patch(url(customer), {"name": "First"}, if_match=etag),
        lambda: second.patch(url(customer), {"name": "Second"}, if_match=etag),
    )

    assert [response.status_code for response in outcomes] == [200, 412]
    assert Customer.objects.get().name == "First"


@RACE_TEST[0]
@RACE_TEST[1]
def test_two_sends_of_one_version_queue_the_email_once():
    """Two programs send the same draft with the ETag they read: the second waits for
    the first under Send's locks, then finds the document sent (412)."""
    from communications.models import Delivery
    from sales.models import Invoice
    from tests.sales.factories import make_document

    editor = UserFactory(username="race-editor")
    editor.groups.add(Group.objects.get(name="Sales staff"))
    customer = CustomerFactory()
    ContactFactory(customer=customer, email="anna@example.com", roles=["invoice"])
    invoice = make_document(Invoice, customer)
    first, second = (Api(api_token_create(user=editor).secret) for _ in range(2))
    send = f"/api/v1/invoices/{invoice.pk}/send/"
    etag = first.get(f"/api/v1/invoices/{invoice.pk}/")["ETag"]

    outcomes = one_after_the_other(
        lambda: first.post(send, if_match=etag),
        lambda: second.post(send, if_match=etag),
    )

    assert [response.status_code for response in outcomes] == [202, 412]
    assert Delivery.objects.count() == 1


@RACE_TEST[0]
@RACE_TEST[1]
def test_a_program_writing_a_contact_a_person_is_saving_waits_and_is_refused():
    """A person saves the contact's form while a program writes the version it
    read: the program waits for the form's locks (the customer, then the contact),
    then finds the ETag stale."""
    editor = UserFactory(username="race-contact-editor")
    editor.groups.add(Group.objects.get(name="Sales staff"))
    contact = ContactFactory(first_name="Before", job_title="Buyer")
    program = Api(api_token_create(user=editor).secret)
    contact_url = f"/api/v1/contacts/{contact.pk}/"
    etag = program.get(contact_url)["ETag"]

    outcomes = one_after_the_other(
        lambda: contact_update(contact=contact, data={"first_name": "By a person"}),
        lambda: program.patch(contact_url, {"job_title": "Owner"}, if_match=etag),
    )

    assert outcomes[1].status_code == 412
    stored = Contact.objects.get()
    assert (stored.first_name, stored.job_title) == ("By a person", "Buyer")
