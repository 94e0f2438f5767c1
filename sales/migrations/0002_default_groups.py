"""Once granted the default groups the sales documents' permissions.

Kept so that the migration history of existing databases stays whole; it does nothing
now. The groups come from `core.permissions.create_default_groups`, a post_migrate handler.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0001_initial"),
        ("customers", "0002_default_groups"),
    ]

    operations = []
