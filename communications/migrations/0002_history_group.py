"""Every history record gets its `history_group` (core.history_groups): the records
one save wrote share it and are one entry of the Activity Log. Records written before
get a group of their own, by their date. The Activity Log's index becomes (customer,
newest group first)."""

import core.history_groups
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("communications", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="historicaldelivery",
            name="delivery_h_activity",
        ),
        migrations.RemoveIndex(
            model_name="historicalsuppression",
            name="suppression_h_activity",
        ),
        migrations.AddField(
            model_name="historicaldelivery",
            name="history_group",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalsuppression",
            name="history_group",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(
            core.history_groups.backfill_history_groups(
                "communications.historicaldelivery",
                "communications.historicalsuppression",
            ),
            migrations.RunPython.noop,
        ),
        migrations.AlterField(
            model_name="historicaldelivery",
            name="history_group",
            field=models.UUIDField(
                default=core.history_groups.current_history_group, editable=False
            ),
        ),
        migrations.AlterField(
            model_name="historicalsuppression",
            name="history_group",
            field=models.UUIDField(
                default=core.history_groups.current_history_group, editable=False
            ),
        ),
        migrations.AddIndex(
            model_name="historicaldelivery",
            index=models.Index(
                fields=["customer", "-history_group"], name="delivery_h_activity"
            ),
        ),
        migrations.AddIndex(
            model_name="historicalsuppression",
            index=models.Index(
                fields=["customer", "-history_group"], name="suppression_h_activity"
            ),
        ),
    ]
