"""Issue 11: the index the Activity Log reads a customer's history by (core.history)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0004_search_and_list_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='historicaladdress',
            index=models.Index(fields=['customer', '-history_date', '-history_id'], name='address_h_activity'),
        ),
        migrations.AddIndex(
            model_name='historicalcustomer',
            index=models.Index(fields=['id', '-history_date', '-history_id'], name='customer_h_activity'),
        ),
    ]
