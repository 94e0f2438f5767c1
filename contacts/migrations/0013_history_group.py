"""Every history record gets its `history_group` (core.history_groups): the records
one save wrote share it and are one entry of the Activity Log. Records written before
get a group of their own, by their date. The Activity Log's index becomes (customer,
newest group first)."""

import core.history_groups
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0012_contact_no_notification_emails"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="historicalcontact",
            name="contact_h_activity",
        ),
        migrations.RemoveIndex(
            model_name="historicalcontactdetail",
            name="contactdetail_h_activity",
        ),
        migrations.AddField(
            model_name="historicalcontact",
            name="history_group",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalcontactdetail",
            name="history_group",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalcontactfieldsettings",
            name="history_group",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalcontactrole",
            name="history_group",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalnotduplicate",
            name="history_group",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(
            core.history_groups.backfill_history_groups(
                "contacts.historicalcontact",
                "contacts.historicalcontactdetail",
                "contacts.historicalcontactfieldsettings",
                "contacts.historicalcontactrole",
                "contacts.historicalnotduplicate",
            ),
            migrations.RunPython.noop,
        ),
        migrations.AlterField(
            model_name="historicalcontact",
            name="history_group",
            field=models.UUIDField(
                default=core.history_groups.current_history_group, editable=False
            ),
        ),
        migrations.AlterField(
            model_name="historicalcontactdetail",
            name="history_group",
            field=models.UUIDField(
                default=core.history_groups.current_history_group, editable=False
            ),
        ),
        migrations.AlterField(
            model_name="historicalcontactfieldsettings",
            name="history_group",
            field=models.UUIDField(
                default=core.history_groups.current_history_group, editable=False
            ),
        ),
        migrations.AlterField(
            model_name="historicalcontactrole",
            name="history_group",
            field=models.UUIDField(
                default=core.history_groups.current_history_group, editable=False
            ),
        ),
        migrations.AlterField(
            model_name="historicalnotduplicate",
            name="history_group",
            field=models.UUIDField(
                default=core.history_groups.current_history_group, editable=False
            ),
        ),
        migrations.AddIndex(
            model_name="historicalcontact",
            index=models.Index(
                fields=["customer", "-history_group"], name="contact_h_activity"
            ),
        ),
        migrations.AddIndex(
            model_name="historicalcontactdetail",
            index=models.Index(
                fields=["customer", "-history_group"], name="contactdetail_h_activity"
            ),
        ),
    ]
