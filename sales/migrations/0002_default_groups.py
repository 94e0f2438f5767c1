"""What the default groups may do with sales orders, invoices and shipments: viewers
read them; staff and managers also create, change and send them. Deleting documents
is left to administrators (documents are business records; cancel them instead)."""

from django.db import migrations

from core.permissions import grant_group_permissions, revoke_group_permissions

KINDS = ("salesorder", "invoice", "shipment")
READ = [f"sales.view_{kind}" for kind in KINDS] + ["sales.view_sending"]
WORK = READ + [
    f"sales.{action}_{kind}" for kind in KINDS for action in ("add", "change", "send")
]
GRANTS = {"Sales viewer": READ, "Sales staff": WORK, "Sales manager": WORK}


def grant(apps, schema_editor):
    grant_group_permissions(apps, GRANTS)


def revoke(apps, schema_editor):
    revoke_group_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0001_initial"),
        ("customers", "0002_default_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
