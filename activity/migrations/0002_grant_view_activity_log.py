"""Once granted the default groups the permission to read the Activity Log.

Kept so that the migration history of existing databases stays whole; it does nothing
now. The groups come from `core.permissions.create_default_groups`, a post_migrate handler.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0001_activity_log_permission"),
        ("customers", "0002_default_groups"),
    ]

    operations = []
