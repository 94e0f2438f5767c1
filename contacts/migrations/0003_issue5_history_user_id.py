"""Issue 5: the history tables keep the id of the user who made each change as a
plain integer instead of a foreign key with on_delete=SET_NULL, so deleting a user no
longer erases who made their changes (see core/history.py).

The column (history_user_id) stays where it is with its values and its index; only the
foreign key constraint goes. In the migration state the field becomes the plain
`history_user_id` IntegerField that `tracked_history()` declares.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

HISTORY_MODELS = ["historicalcontactrole", "historicalcontactfieldsettings", "historicalcontact", "historicalcontactdetail"]


def database_operations():
    return [
        migrations.AlterField(
            model_name=name,
            name="history_user",
            field=models.ForeignKey(
                null=True,
                db_constraint=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        )
        for name in HISTORY_MODELS
    ]


def state_operations():
    operations = []
    for name in HISTORY_MODELS:
        operations += [
            migrations.RemoveField(model_name=name, name="history_user"),
            migrations.AddField(
                model_name=name,
                name="history_user_id",
                field=models.IntegerField(blank=True, db_index=True, null=True),
            ),
        ]
    return operations


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contacts", "0002_standard_roles_and_group_permissions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=database_operations(),
            state_operations=state_operations(),
        )
    ]
