"""Every history record gets its `history_group` (core.history_groups): the records
one save wrote share it and are one entry of the Activity Log. Records written before
get a group of their own, by their date. The Activity Log's index becomes (customer,
newest group first)."""

import core.history_groups
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0009_verbose_names_for_translation"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="historicaladdress",
            name="address_h_activity",
        ),
        migrations.RemoveIndex(
            model_name="historicalcustomer",
            name="customer_h_activity",
        ),
        migrations.AddField(
            model_name="historicaladdress",
            name="history_group",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalcustomer",
            name="history_group",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(
            core.history_groups.backfill_history_groups(
                "customers.historicaladdress", "customers.historicalcustomer"
            ),
            migrations.RunPython.noop,
        ),
        migrations.AlterField(
            model_name="historicaladdress",
            name="history_group",
            field=models.UUIDField(
                default=core.history_groups.current_history_group, editable=False
            ),
        ),
        migrations.AlterField(
            model_name="historicalcustomer",
            name="history_group",
            field=models.UUIDField(
                default=core.history_groups.current_history_group, editable=False
            ),
        ),
        migrations.AddIndex(
            model_name="historicaladdress",
            index=models.Index(
                fields=["customer", "-history_group"], name="address_h_activity"
            ),
        ),
        migrations.AddIndex(
            model_name="historicalcustomer",
            index=models.Index(
                fields=["id", "-history_group"], name="customer_h_activity"
            ),
        ),
    ]
