"""Issue 11: indexes for the customer list's order, sorts and filters, and trigram
indexes for its search (PostgreSQL only: core.db creates them there and records them
everywhere)."""

import core.db
import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0003_issue5_history_user_id'),
    ]

    operations = [
        core.db.PostgreSQLTrigramExtension(),
        migrations.AlterModelOptions(
            name='address',
            options={'ordering': ['customer_id', 'kind', 'city', 'pk'], 'verbose_name_plural': 'addresses'},
        ),
        core.db.PostgreSQLAddIndex(
            model_name='address',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Upper('city'), name='gin_trgm_ops'), name='address_city_trgm'),
        ),
        migrations.AddIndex(
            model_name='customer',
            index=models.Index(fields=['name', 'number', 'id'], name='customer_list_order'),
        ),
        core.db.PostgreSQLAddIndex(
            model_name='customer',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Upper('name'), name='gin_trgm_ops'), name='customer_name_trgm'),
        ),
        core.db.PostgreSQLAddIndex(
            model_name='customer',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Upper('number'), name='gin_trgm_ops'), name='customer_number_trgm'),
        ),
    ]
