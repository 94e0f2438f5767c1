"""The default groups, created by a `post_migrate` handler, as `contrib.auth` creates
permissions: on a fresh database, after every `migrate`, and after `flush`.

Each app declares what the default groups may do with its own models, as an attribute
of its AppConfig:

    class ContactsConfig(AppConfig):
        default_group_permissions = {"Sales viewer": ["view_contact"], …}

Each declared permission is granted once: the grant is remembered (`DefaultGroupGrant`),
so a permission an administrator removed from a default group stays removed, while one
a later release declares is granted by the `migrate` that brings it. A default group
that is missing (deleted, or a fresh database) is created with all its permissions.
"""

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS

SALES_VIEWER = "Sales viewer"
SALES_STAFF = "Sales staff"
SALES_MANAGER = "Sales manager"
DEFAULT_GROUPS = (SALES_VIEWER, SALES_STAFF, SALES_MANAGER)


def create_default_groups(
    sender: AppConfig, apps=global_apps, using: str = DEFAULT_DB_ALIAS, **kwargs
) -> None:
    """Grant the default groups the permissions `sender` declares. Connected to
    post_migrate after contrib.auth's handler, so the app's permissions exist.
    `migrate` passes the migrated state as `apps`; `flush` passes none."""
    grants: dict[str, list[str]] = getattr(sender, "default_group_permissions", {})
    if not grants:
        return
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    try:
        DefaultGroupGrant = apps.get_model("core", "DefaultGroupGrant")
    except LookupError:
        # core's tables are not migrated yet (`migrate auth`): the migrate that
        # creates them grants.
        return
    for group_name, codenames in grants.items():
        if group_name not in DEFAULT_GROUPS:
            raise ImproperlyConfigured(
                f"{sender.label} grants permissions to {group_name!r}, which is not "
                f"a default group ({', '.join(DEFAULT_GROUPS)})."
            )
        group, _ = Group.objects.using(using).get_or_create(name=group_name)
        permissions = list(
            Permission.objects.using(using).filter(
                content_type__app_label=sender.label, codename__in=codenames
            )
        )
        missing = set(codenames) - {permission.codename for permission in permissions}
        if missing:
            raise ImproperlyConfigured(
                f"{sender.label} grants unknown permissions: "
                f"{', '.join(sorted(missing))}."
            )
        granted_before = set(
            DefaultGroupGrant.objects.using(using)
            .filter(group=group, permission__in=permissions)
            .values_list("permission_id", flat=True)
        )
        new = [p for p in permissions if p.pk not in granted_before]
        group.permissions.add(*new)
        DefaultGroupGrant.objects.using(using).bulk_create(
            [DefaultGroupGrant(group=group, permission=p) for p in new]
        )
