"""Every history record gets its `history_group` (core.history_groups): the records
one save wrote share it and are one entry of the Activity Log. Records written before
get a group of their own, by their date. The Activity Log's index becomes (customer,
newest group first)."""

import core.history_groups
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0007_sendings_become_deliveries"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="historicalinvoice",
            name="invoice_h_activity",
        ),
        migrations.RemoveIndex(
            model_name="historicalsalesorder",
            name="salesorder_h_activity",
        ),
        migrations.RemoveIndex(
            model_name="historicalshipment",
            name="shipment_h_activity",
        ),
        migrations.AddField(
            model_name="historicalinvoice",
            name="history_group",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalsalesorder",
            name="history_group",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalshipment",
            name="history_group",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(
            core.history_groups.backfill_history_groups(
                "sales.historicalinvoice",
                "sales.historicalsalesorder",
                "sales.historicalshipment",
            ),
            migrations.RunPython.noop,
        ),
        migrations.AlterField(
            model_name="historicalinvoice",
            name="history_group",
            field=models.UUIDField(
                default=core.history_groups.current_history_group, editable=False
            ),
        ),
        migrations.AlterField(
            model_name="historicalsalesorder",
            name="history_group",
            field=models.UUIDField(
                default=core.history_groups.current_history_group, editable=False
            ),
        ),
        migrations.AlterField(
            model_name="historicalshipment",
            name="history_group",
            field=models.UUIDField(
                default=core.history_groups.current_history_group, editable=False
            ),
        ),
        migrations.AddIndex(
            model_name="historicalinvoice",
            index=models.Index(
                fields=["customer", "-history_group"], name="invoice_h_activity"
            ),
        ),
        migrations.AddIndex(
            model_name="historicalsalesorder",
            index=models.Index(
                fields=["customer", "-history_group"], name="salesorder_h_activity"
            ),
        ),
        migrations.AddIndex(
            model_name="historicalshipment",
            index=models.Index(
                fields=["customer", "-history_group"], name="shipment_h_activity"
            ),
        ),
    ]
