"""Issue 11: the index the Activity Log reads a customer's history by (core.history)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contacts', '0006_search_trigram_indexes'),
        ('customers', '0005_history_activity_index'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='historicalcontact',
            index=models.Index(fields=['customer', '-history_date', '-history_id'], name='contact_h_activity'),
        ),
        migrations.AddIndex(
            model_name='historicalcontactdetail',
            index=models.Index(fields=['customer', '-history_date', '-history_id'], name='contactdetail_h_activity'),
        ),
    ]
