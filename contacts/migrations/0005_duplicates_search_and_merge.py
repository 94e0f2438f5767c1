"""Issue 13: the merge permission, "Not a duplicate", the stored possible duplicates
(filled here for the contacts that exist: from now on the writers keep them current),
the indexes of the header search's and the warnings' equality lookups, and room in the
contact history's change reason for a merge's summary."""

import django.db.models.deletion
import django.db.models.functions.text
import simple_history.models
from django.db import migrations, models


def find_existing_possible_duplicates(apps, schema_editor):
    """The possible duplicates among the contacts already stored, customer by
    customer (contacts.duplicates: the same rule the writers apply)."""
    from django.utils import timezone

    from contacts.duplicates import ComparedContact, find_pairs

    Contact = apps.get_model("contacts", "Contact")
    PossibleDuplicate = apps.get_model("contacts", "PossibleDuplicate")
    now = timezone.now()
    rows = Contact.objects.order_by("customer_id", "pk").values_list(
        "customer_id", "pk", "first_name", "last_name", "email", "phone"
    )
    found, customer_id, people = [], None, []

    def flush():
        for finding in find_pairs(people):
            found.append(
                PossibleDuplicate(
                    customer_id=customer_id,
                    contact_a_id=finding.a,
                    contact_b_id=finding.b,
                    same_email=finding.same_email,
                    same_phone=finding.same_phone,
                    name_similarity=finding.name_similarity,
                    found_at=now,
                )
            )

    for row_customer_id, *fields in rows.iterator(chunk_size=2000):
        if row_customer_id != customer_id:
            flush()
            customer_id, people = row_customer_id, []
        people.append(ComparedContact(*fields))
        if len(found) >= 1000:
            PossibleDuplicate.objects.bulk_create(found)
            found.clear()
    flush()
    PossibleDuplicate.objects.bulk_create(found)


class Migration(migrations.Migration):

    dependencies = [
        ('contacts', '0004_contact_card_version'),
        ('customers', '0003_issue5_history_user_id'),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalNotDuplicate',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('updated_at', models.DateTimeField(blank=True, editable=False)),
                ('history_user_id', models.IntegerField(blank=True, db_index=True, null=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical not a duplicate',
                'verbose_name_plural': 'historical not duplicates',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='NotDuplicate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'not a duplicate',
                'verbose_name_plural': 'not duplicates',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='PossibleDuplicate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('same_email', models.BooleanField(default=False)),
                ('same_phone', models.BooleanField(default=False)),
                ('name_similarity', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('found_at', models.DateTimeField()),
            ],
            options={
                'ordering': ['-found_at', '-pk'],
            },
        ),
        migrations.AlterModelOptions(
            name='contact',
            options={'ordering': ['first_name', 'last_name', 'pk'], 'permissions': [('merge_contact', 'Merge contacts')]},
        ),
        migrations.AlterField(
            model_name='historicalcontact',
            name='history_change_reason',
            field=models.TextField(null=True),
        ),
        migrations.AddIndex(
            model_name='contact',
            index=models.Index(fields=['phone'], name='contact_phone'),
        ),
        migrations.AddIndex(
            model_name='contact',
            index=models.Index(django.db.models.functions.text.Upper('email'), name='contact_email_upper'),
        ),
        migrations.AddIndex(
            model_name='contactdetail',
            index=models.Index(fields=['value'], name='contactdetail_value'),
        ),
        migrations.AddIndex(
            model_name='contactdetail',
            index=models.Index(django.db.models.functions.text.Upper('value'), name='contactdetail_value_upper'),
        ),
        migrations.AddField(
            model_name='historicalnotduplicate',
            name='contact_a',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='contacts.contact'),
        ),
        migrations.AddField(
            model_name='historicalnotduplicate',
            name='contact_b',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='contacts.contact'),
        ),
        migrations.AddField(
            model_name='historicalnotduplicate',
            name='customer',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='customers.customer'),
        ),
        migrations.AddField(
            model_name='notduplicate',
            name='contact_a',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contacts.contact'),
        ),
        migrations.AddField(
            model_name='notduplicate',
            name='contact_b',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contacts.contact'),
        ),
        migrations.AddField(
            model_name='notduplicate',
            name='customer',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='customers.customer'),
        ),
        migrations.AddField(
            model_name='possibleduplicate',
            name='contact_a',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contacts.contact'),
        ),
        migrations.AddField(
            model_name='possibleduplicate',
            name='contact_b',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contacts.contact'),
        ),
        migrations.AddField(
            model_name='possibleduplicate',
            name='customer',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='customers.customer'),
        ),
        migrations.AddConstraint(
            model_name='notduplicate',
            constraint=models.UniqueConstraint(fields=('contact_a', 'contact_b'), name='contacts_notduplicate_once'),
        ),
        migrations.AddConstraint(
            model_name='notduplicate',
            constraint=models.CheckConstraint(condition=models.Q(('contact_a__lt', models.F('contact_b'))), name='contacts_notduplicate_ordered'),
        ),
        migrations.AddIndex(
            model_name='possibleduplicate',
            index=models.Index(fields=['-found_at', '-id'], name='possibleduplicate_new'),
        ),
        migrations.AddConstraint(
            model_name='possibleduplicate',
            constraint=models.UniqueConstraint(fields=('contact_a', 'contact_b'), name='contacts_possibleduplicate_once'),
        ),
        migrations.AddConstraint(
            model_name='possibleduplicate',
            constraint=models.CheckConstraint(condition=models.Q(('contact_a__lt', models.F('contact_b'))), name='contacts_possibleduplicate_ordered'),
        ),
        migrations.RunPython(
            find_existing_possible_duplicates, migrations.RunPython.noop
        ),
    ]
