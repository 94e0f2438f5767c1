"""The default groups and standard roles come from post_migrate handlers: they are
there on a fresh database, after `flush`, and running them again changes nothing; a
permission is granted to a default group once, so one an administrator removed
stays removed."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db.models.signals import post_migrate

from contacts.models import STANDARD_ROLE_CODES, ContactRole
from core.models import DefaultGroupGrant
from core.permissions import DEFAULT_GROUPS, create_default_groups


def group_permissions() -> dict[str, set[str]]:
    return {
        group.name: {
            f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
        }
        for group in Group.objects.prefetch_related("permissions__content_type")
    }


@pytest.mark.django_db(transaction=True)
def test_flush_brings_the_groups_and_roles_back():
    before = group_permissions()
    call_command("flush", verbosity=0, interactive=False)
    assert group_permissions() == before
    assert set(before) == set(DEFAULT_GROUPS)
    assert set(ContactRole.objects.values_list("code", flat=True)) == set(
        STANDARD_ROLE_CODES
    )


def run_post_migrate() -> None:
    """What every `migrate` ends with."""
    for app_config in apps.get_app_configs():
        post_migrate.send(sender=app_config, app_config=app_config, apps=apps)


@pytest.mark.django_db
def test_the_handlers_are_idempotent():
    before = group_permissions()
    run_post_migrate()
    assert group_permissions() == before
    assert Group.objects.count() == len(DEFAULT_GROUPS)
    assert ContactRole.objects.count() == len(STANDARD_ROLE_CODES)


@pytest.mark.django_db
def test_a_permission_an_administrator_removed_stays_removed_after_migrate():
    viewer = Group.objects.get(name="Sales viewer")
    viewer.permissions.remove(Permission.objects.get(codename="view_contact"))
    # The migrated state's models, as `migrate` passes them ...
    call_command("migrate", verbosity=0)
    assert "contacts.view_contact" not in group_permissions()["Sales viewer"]
    # ... and the project's, as `flush` and the tests do.
    run_post_migrate()
    assert "contacts.view_contact" not in group_permissions()["Sales viewer"]


@pytest.mark.django_db
def test_a_permission_a_later_release_declares_is_granted_once():
    class Contacts:
        label = "contacts"
        default_group_permissions = {"Sales viewer": ["view_contact", "add_contact"]}

    create_default_groups(Contacts(), apps=apps)
    assert "contacts.add_contact" in group_permissions()["Sales viewer"]
    assert DefaultGroupGrant.objects.filter(
        group__name="Sales viewer", permission__codename="add_contact"
    ).exists()
    Group.objects.get(name="Sales viewer").permissions.remove(
        Permission.objects.get(codename="add_contact")
    )
    create_default_groups(Contacts(), apps=apps)
    assert "contacts.add_contact" not in group_permissions()["Sales viewer"]


@pytest.mark.django_db
def test_a_deleted_default_group_comes_back_with_all_its_permissions():
    before = group_permissions()
    Group.objects.get(name="Sales staff").delete()
    run_post_migrate()
    assert group_permissions() == before


@pytest.mark.django_db
def test_a_renamed_standard_role_keeps_its_name():
    ContactRole.objects.filter(code="primary").update(name="Main contact")
    contacts = apps.get_app_config("contacts")
    post_migrate.send(sender=contacts, app_config=contacts, apps=apps)
    assert ContactRole.objects.get(code="primary").name == "Main contact"


@pytest.mark.django_db
def test_each_group_gets_what_its_apps_declare():
    permissions = group_permissions()
    assert "contacts.update_customer_contact_details" in permissions["Sales staff"]
    assert "contacts.update_customer_contact_details" not in permissions["Sales viewer"]
    assert "customers.add_customer" in permissions["Sales manager"]
    assert "customers.add_customer" not in permissions["Sales staff"]
    assert "sales.send_invoice" in permissions["Sales staff"]
    assert all(
        "activity.view_activity_log" in permissions[group] for group in DEFAULT_GROUPS
    )


@pytest.mark.django_db
def test_an_unknown_permission_or_group_is_refused(settings):
    class Config:
        label = "contacts"
        default_group_permissions = {"Sales viewer": ["view_nothing"]}

    with pytest.raises(ImproperlyConfigured, match="view_nothing"):
        create_default_groups(Config(), apps=apps)
    Config.default_group_permissions = {"Interns": ["view_contact"]}
    with pytest.raises(ImproperlyConfigured, match="Interns"):
        create_default_groups(Config(), apps=apps)
