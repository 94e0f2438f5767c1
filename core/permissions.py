"""Grants the default groups their permissions from data migrations.

Django creates model permissions after migrations have run, so a data migration that
grants them must create them first.
"""

from django.contrib.auth.management import create_permissions


def grant_group_permissions(apps, grants: dict[str, list[str]]) -> None:
    """Give each named group (created if missing) its `app.codename` permissions."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, permission_names in grants.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for permission_name in permission_names:
            app_label, codename = permission_name.split(".")
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )


def revoke_group_permissions(apps, grants: dict[str, list[str]]) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, permission_names in grants.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for permission_name in permission_names:
            app_label, codename = permission_name.split(".")
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                )
            )
