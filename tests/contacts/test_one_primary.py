"""At most one Primary contact per customer: refused at the Roles field by every
writer of roles, and held by the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from contacts.models import Contact
from contacts.services.links import contact_create, contact_update
from contacts.services.merge import contacts_merge
from tests.contacts.csv_helpers import (
    CONTACTS_HEADER,
    customer_with_billing_country,
    run_failing,
    write_csv,
)
from tests.contacts.factories import ContactFactory, role
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db

TAKEN = (
    "Petra Visser is already the Primary contact of this customer; take the role "
    "off there first."
)


@pytest.fixture
def customer():
    return CustomerFactory(name="Fjord Foods")


@pytest.fixture
def petra(customer):
    return contact_create(
        customer=customer,
        first_name="Petra",
        last_name="Visser",
        roles=[role("primary"), role("order")],
    )


def test_a_second_primary_is_refused_at_the_roles_field_naming_the_holder(
    customer, petra
):
    with pytest.raises(ValidationError) as refused:
        contact_create(customer=customer, first_name="Jan", roles=[role("primary")])

    assert refused.value.message_dict == {"roles": [TAKEN]}
    assert list(Contact.objects.values_list("first_name", flat=True)) == ["Petra"]


def test_primary_moves_once_the_holder_gives_it_up(customer, petra):
    jan = contact_create(customer=customer, first_name="Jan", roles=[role("order")])
    with pytest.raises(ValidationError):
        contact_update(contact=jan, data={}, roles=[role("primary")])

    contact_update(contact=petra, data={}, roles=[role("order")])
    contact_update(contact=jan, data={}, roles=[role("primary")])

    assert list(Contact.objects.filter(is_primary=True)) == [jan]
    assert list(role("primary").contacts.all()) == [jan]


def test_each_customer_has_its_own_primary(customer, petra):
    other = CustomerFactory()
    contact_create(customer=other, first_name="Jan", roles=[role("primary")])

    assert Contact.objects.filter(is_primary=True).count() == 2


def test_the_database_refuses_a_second_primary_written_past_the_services(
    customer, petra
):
    jan = ContactFactory(customer=customer)

    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.filter(pk=jan.pk).update(is_primary=True)


def test_the_contact_form_says_who_holds_primary(client_for, editor, customer, petra):
    url = reverse("contacts:create", args=[customer.pk])

    response = client_for(editor).post(
        url, {"first_name": "Jan", "roles": [str(role("primary").pk)]}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["roles"] == [TAKEN]
    assert TAKEN in response.content.decode()
    assert not Contact.objects.filter(first_name="Jan").exists()


def test_the_admin_form_says_who_holds_primary(admin_client, customer, petra):
    response = admin_client.post(
        reverse("admin:contacts_contact_add"),
        {
            "customer": customer.pk,
            "first_name": "Jan",
            "language": "",
            "roles": [str(role("primary").pk)],
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["roles"] == [TAKEN]


def test_an_import_row_giving_a_second_primary_is_refused_at_its_line(tmp_path):
    dutch = customer_with_billing_country("C00001", "NL", name="Dutch BV")
    contact_create(
        customer=dutch, first_name="Petra", last_name="Visser", roles=[role("primary")]
    )
    path = write_csv(
        tmp_path / "contacts.csv",
        CONTACTS_HEADER + "C00001,Jan,,,,,,primary\n" + "C00001,Kees,,,,,,order\n",
    )

    _, out, err = run_failing("import_contacts", str(path), skip_invalid=True)

    assert "1 added, 0 updated, 0 unchanged, 1 refused" in out
    assert f"Line 2, column roles: {TAKEN}" in err
    assert set(role("primary").contacts.values_list("first_name", flat=True)) == {
        "Petra"
    }


def test_two_rows_of_one_file_giving_primary_keep_the_first(tmp_path):
    customer_with_billing_country("C00001", "NL", name="Dutch BV")
    path = write_csv(
        tmp_path / "contacts.csv",
        CONTACTS_HEADER
        + "C00001,Petra,Visser,,,,,primary\n"
        + "C00001,Jan,,,,,,primary\n",
    )

    _, _, err = run_failing("import_contacts", str(path), skip_invalid=True)

    assert f"Line 3, column roles: {TAKEN}" in err
    assert list(Contact.objects.filter(is_primary=True).values_list("first_name")) == [
        ("Petra",)
    ]


def test_a_merge_keeps_the_primary_of_either_contact(customer, petra):
    jan = contact_create(customer=customer, first_name="Jan", roles=[role("invoice")])

    kept = contacts_merge(keep=jan, merge_away=petra, values={})

    kept.refresh_from_db()
    assert kept.is_primary
    assert set(kept.roles.values_list("code", flat=True)) == {
        "primary",
        "order",
        "invoice",
    }


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_primary_on_each_customers_oldest_contact():
    executor = MigrationExecutor(connection)
    before = [("contacts", "0013_history_group")]
    after = [("contacts", "0014_one_primary_per_customer")]
    try:
        executor.migrate(before)
        apps = executor.loader.project_state(before).apps
        Customer = apps.get_model("customers", "Customer")
        Contact = apps.get_model("contacts", "Contact")
        Role = apps.get_model("contacts", "ContactRole")
        primary = Role.objects.get(code="primary")
        order = Role.objects.get(code="order")
        one, two = (
            Customer.objects.create(number=f"M{n}", name=f"Migrated {n}")
            for n in (1, 2)
        )
        oldest = Contact.objects.create(customer=one, first_name="Oldest")
        newer = Contact.objects.create(customer=one, first_name="Newer")
        alone = Contact.objects.create(customer=two, first_name="Alone")
        for contact in (oldest, newer, alone):
            contact.roles.set([primary, order])

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        apps = executor.loader.project_state(after).apps
        Contact = apps.get_model("contacts", "Contact")
        holders = {
            contact.first_name: (
                contact.is_primary,
                sorted(contact.roles.values_list("code", flat=True)),
            )
            for contact in Contact.objects.all()
        }
        assert holders == {
            "Oldest": (True, ["order", "primary"]),
            "Newer": (False, ["order"]),
            "Alone": (True, ["order", "primary"]),
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
