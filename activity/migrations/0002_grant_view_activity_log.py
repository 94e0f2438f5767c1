"""Every default group may read customers' Activity Logs."""

from django.db import migrations

from core.permissions import grant_group_permissions, revoke_group_permissions

GRANTS = {
    group: ["activity.view_activity_log"]
    for group in ("Sales viewer", "Sales staff", "Sales manager")
}


def grant(apps, schema_editor):
    grant_group_permissions(apps, GRANTS)


def revoke(apps, schema_editor):
    revoke_group_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0001_activity_log_permission"),
        ("customers", "0002_default_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
