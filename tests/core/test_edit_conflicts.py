"""Two people editing the same customer, address or document: the second save, based
on values that changed since its form opened, is refused and shows the values stored
now; nothing is overwritten silently (core.services.lock_unchanged)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contacts.models import Contact
from contacts.services import contact_update
from core.services import EditConflict
from customers.models import Address, Customer
from customers.services import address_update, customer_update
from sales.models import Invoice
from sales.services import document_update
from tests.concurrency import RACE_TEST, at_the_same_time
from tests.contacts.factories import ContactFactory
from tests.customers.factories import AddressFactory, CustomerFactory
from tests.sales.factories import make_invoice


def _customer():
    customer = CustomerFactory(name="Fjord Foods")
    return customer, reverse("customers:update", args=[customer.pk])


def _address():
    address = AddressFactory(city="Utrecht")
    return address, reverse(
        "customers:address_update", args=[address.customer_id, address.pk]
    )


def _invoice():
    invoice = make_invoice(CustomerFactory(), reference="PO-1")
    return invoice, reverse(
        "sales:invoice_update", args=[invoice.customer_id, invoice.pk]
    )


def _contact():
    contact = ContactFactory(first_name="Anna")
    return contact, reverse("contacts:update", args=[contact.customer_id, contact.pk])


# what, how the form is opened, a field and the two values two people type, how
# someone else changes it through the service
CASES = {
    "customer": (_customer, "name", "Theirs", "Mine"),
    "address": (_address, "city", "Theirs", "Mine"),
    "invoice": (_invoice, "reference", "Theirs", "Mine"),
    "contact": (_contact, "first_name", "Theirs", "Mine"),
}


def _someone_else_saves(obj, field, value):
    if isinstance(obj, Contact):
        contact_update(contact=obj, data={field: value})
    elif isinstance(obj, Customer):
        customer_update(customer=obj, data={field: value})
    elif isinstance(obj, Address):
        address_update(address=obj, data={field: value})
    else:
        document_update(document=obj, data={field: value})


def _opened_form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    data = {
        name: form[name].value()
        for name in form.fields
        if form[name].value() is not None
    }
    assert data["version"]
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("what", CASES)
def test_a_save_based_on_a_changed_row_is_refused_and_shows_the_current_values(
    client_for, manager, what
):
    make, field, theirs, mine = CASES[what]
    obj, url = make()
    client = client_for(manager)
    data = _opened_form(client, url)
    _someone_else_saves(type(obj).objects.get(pk=obj.pk), field, theirs)
    response = client.post(url, {**data, field: mine})
    assert response.status_code == 200
    assert "since you opened it, so nothing was saved" in response.content.decode()
    # The form shows what is stored now, with the new version to save against.
    assert response.context["form"][field].value() == theirs
    obj.refresh_from_db()
    assert getattr(obj, field) == theirs
    # Saved again from the refreshed form, the change goes through.
    data = {**_opened_form(client, url), field: mine}
    assert client.post(url, data).status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == mine


# What a tampered or broken form carries instead of the version it was opened on.
UNREADABLE_VERSIONS = {
    "removed": None,
    "empty": "",
    "blank": "   ",
    "garbage": "not a version",
}


def _with_version(data: dict, version: str) -> dict:
    data = {key: value for key, value in data.items() if key != "version"}
    if UNREADABLE_VERSIONS[version] is not None:
        data["version"] = UNREADABLE_VERSIONS[version]
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("version", UNREADABLE_VERSIONS)
@pytest.mark.parametrize("what", CASES)
def test_a_save_without_a_readable_version_is_refused_like_a_stale_one(
    client_for, manager, what, version
):
    make, field, theirs, mine = CASES[what]
    obj, url = make()
    client = client_for(manager)
    data = _opened_form(client, url)
    _someone_else_saves(type(obj).objects.get(pk=obj.pk), field, theirs)
    data = _with_version({**data, field: mine}, version)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "since you opened it, so nothing was saved" in response.content.decode()
    obj.refresh_from_db()
    assert getattr(obj, field) == theirs


@pytest.mark.django_db
@pytest.mark.parametrize("what", CASES)
def test_an_unchanged_row_saves_as_before(client_for, manager, what):
    make, field, _, mine = CASES[what]
    obj, url = make()
    client = client_for(manager)
    response = client.post(url, {**_opened_form(client, url), field: mine})
    assert response.status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == mine


@pytest.mark.django_db
def test_a_row_deleted_since_the_form_opened_is_refused_with_a_message(
    client_for, manager
):
    address, url = _address()
    client = client_for(manager)
    data = _opened_form(client, url)
    stale = Address.objects.get(pk=address.pk)
    Address.objects.filter(pk=address.pk).delete()
    with pytest.raises(EditConflict, match="no longer exists"):
        address_update(address=stale, data={"city": "Mine"}, version=data["version"])
    # Through the page, the user is told and sent back to the list.
    customer = Customer.objects.get(pk=address.customer_id)
    other = AddressFactory(customer=customer, kind="shipping", city="Gouda")
    other_url = reverse("customers:address_update", args=[customer.pk, other.pk])
    data = _opened_form(client, other_url)
    Address.objects.filter(pk=other.pk).delete()
    response = client.post(other_url, {**data, "city": "Mine"})
    assert response.status_code == 404  # the page's own lookup no longer finds it


@pytest.mark.django_db
def test_a_service_called_without_a_version_is_not_checked():
    invoice = make_invoice(CustomerFactory())
    document_update(document=invoice, data={"amount": Decimal("5.00")})
    stale = Invoice.objects.get(pk=invoice.pk)
    document_update(document=invoice, data={"amount": Decimal("6.00")})
    document_update(document=stale, data={"reference": "no form, no check"})
    assert Invoice.objects.get(pk=invoice.pk).reference == "no form, no check"


@pytest.mark.parametrize("what", CASES)
@RACE_TEST[0]
@RACE_TEST[1]
def test_two_saves_of_one_opened_version_at_once_one_wins(what):
    make, field, theirs, mine = CASES[what]
    obj, _ = make()
    version = type(obj).objects.get(pk=obj.pk).version

    def save(value):
        def call():
            fresh = type(obj).objects.get(pk=obj.pk)
            if isinstance(fresh, Customer):
                return customer_update(
                    customer=fresh, data={field: value}, version=version
                )
            if isinstance(fresh, Address):
                return address_update(
                    address=fresh, data={field: value}, version=version
                )
            return document_update(document=fresh, data={field: value}, version=version)

        return call

    outcomes = at_the_same_time(save(theirs), save(mine))
    refused = [o for o in outcomes if isinstance(o, EditConflict)]
    saved = [o for o in outcomes if not isinstance(o, Exception)]
    assert (len(saved), len(refused)) == (1, 1), outcomes
    obj.refresh_from_db()
    assert getattr(obj, field) == getattr(saved[0], field)


@pytest.mark.django_db
def test_the_admin_refuses_to_save_over_a_customer_changed_since_it_opened(
    admin_client,
):
    customer = CustomerFactory(name="Fjord Foods")
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    response = admin_client.get(url)
    version = response.context["adminform"].form["version"].value()
    assert version == customer.version
    customer_update(customer=customer, data={"name": "Theirs"})
    data = {
        "name": "Mine",
        "is_active": "on",
        "notes": "",
        "version": version,
        **_empty_inlines(response),
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "since you opened it, so nothing was saved" in response.content.decode()
    customer.refresh_from_db()
    assert customer.name == "Theirs"
    data["version"] = customer.version
    assert admin_client.post(url, data).status_code == 302
    customer.refresh_from_db()
    assert customer.name == "Mine"


@pytest.mark.django_db
@pytest.mark.parametrize("version", UNREADABLE_VERSIONS)
def test_the_admin_refuses_a_contact_posted_without_a_readable_version(
    admin_client, version
):
    contact = ContactFactory(first_name="Anna", last_name="Berg", roles=[])
    url = reverse("admin:contacts_contact_change", args=[contact.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: form[name].value()
        for name in form.fields
        if form[name].value() not in (None, [])
    }
    contact_update(contact=contact, data={"first_name": "Theirs"})
    data = _with_version({**data, "first_name": "Mine"}, version)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "since you opened it, so nothing was saved" in response.content.decode()
    contact.refresh_from_db()
    assert contact.first_name == "Theirs"


def _empty_inlines(response) -> dict:
    """The management forms of the page's inlines, with no rows."""
    data = {}
    for formset in response.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data
