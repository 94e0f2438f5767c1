"""Issue 11: the index the Activity Log reads a customer's history by (core.history)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contacts', '0007_history_activity_index'),
        ('customers', '0005_history_activity_index'),
        ('sales', '0002_default_groups'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='historicalinvoice',
            index=models.Index(fields=['customer', '-history_date', '-history_id'], name='invoice_h_activity'),
        ),
        migrations.AddIndex(
            model_name='historicalsalesorder',
            index=models.Index(fields=['customer', '-history_date', '-history_id'], name='salesorder_h_activity'),
        ),
        migrations.AddIndex(
            model_name='historicalsending',
            index=models.Index(fields=['customer', '-history_date', '-history_id'], name='sending_h_activity'),
        ),
        migrations.AddIndex(
            model_name='historicalshipment',
            index=models.Index(fields=['customer', '-history_date', '-history_id'], name='shipment_h_activity'),
        ),
    ]
