"""The four standard contact roles, and what the default groups may do with contacts
and contact details."""

from django.db import migrations

from core.permissions import grant_group_permissions, revoke_group_permissions

ROLES = [
    ("primary", "Primary", "Main point of contact"),
    ("order", "Order", "Used for sales order communication"),
    ("invoice", "Invoice", "Used for billing and invoice communication"),
    ("shipment", "Shipment", "Used for shipment notifications"),
]

READ = [
    "contacts.view_contactrole",
    "contacts.view_contact",
    "contacts.view_contactdetail",
]
EDIT = [
    *READ,
    "contacts.add_contact",
    "contacts.change_contact",
    "contacts.delete_contact",
    "contacts.update_customer_contact_details",
]
GRANTS = {
    "Sales viewer": READ,
    "Sales staff": EDIT,
    "Sales manager": [
        *EDIT,
        "contacts.add_contactdetail",
        "contacts.change_contactdetail",
        "contacts.delete_contactdetail",
    ],
}


def create_roles(apps, schema_editor):
    ContactRole = apps.get_model("contacts", "ContactRole")
    for position, (code, name, description) in enumerate(ROLES, start=1):
        ContactRole.objects.update_or_create(
            code=code,
            defaults={"name": name, "description": description, "position": position},
        )
    grant_group_permissions(apps, GRANTS)


def remove_roles(apps, schema_editor):
    revoke_group_permissions(apps, GRANTS)
    ContactRole = apps.get_model("contacts", "ContactRole")
    ContactRole.objects.filter(code__in=[code for code, _, _ in ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0001_initial"),
        ("customers", "0002_default_groups"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
