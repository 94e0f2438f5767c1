"""The default groups, created by a `post_migrate` handler, as `contrib.auth` creates
permissions: on a fresh database, after every `migrate`, and after `flush`.

Each app declares what the default groups may do with its own models, as an attribute
of its AppConfig:

    class ContactsConfig(AppConfig):
        default_group_permissions = {"Sales viewer": ["view_contact"], …}

Running again changes nothing that is already there: a missing group is created and a
missing permission granted. A permission an administrator removed from a default group
is granted again by the next `migrate`; give other rights through groups of your own.
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
        group.permissions.add(*permissions)
