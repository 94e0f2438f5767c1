"""Once created the default groups and granted them customers' permissions.

Kept so that the migration history of existing databases stays whole; it does nothing
now. The groups come from `core.permissions.create_default_groups`, a post_migrate handler,
with the permissions each app declares in its AppConfig.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("customers", "0001_initial"),
    ]

    operations = []
