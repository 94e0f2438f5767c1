"""Once created the standard contact roles and granted the default groups contacts' permissions.

Kept so that the migration history of existing databases stays whole; it does nothing
now. The roles come from `contacts.models.create_standard_roles` and the groups from
`core.permissions.create_default_groups`, both post_migrate handlers.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0001_initial"),
        ("customers", "0002_default_groups"),
    ]

    operations = []
