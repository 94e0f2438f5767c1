"""The default groups and their permissions on customers and addresses. Later apps
grant their own permissions to the same groups in their own migrations."""

from django.db import migrations

from core.permissions import grant_group_permissions, revoke_group_permissions

GRANTS = {
    "Sales viewer": ["customers.view_customer", "customers.view_address"],
    "Sales staff": ["customers.view_customer", "customers.view_address"],
    "Sales manager": [
        f"customers.{action}_{model}"
        for model in ("customer", "address")
        for action in ("view", "add", "change", "delete")
    ],
}


def grant(apps, schema_editor):
    grant_group_permissions(apps, GRANTS)


def revoke(apps, schema_editor):
    revoke_group_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("customers", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
