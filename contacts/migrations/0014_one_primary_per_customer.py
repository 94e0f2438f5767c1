from django.db import migrations, models
from django.db.models import Q

from core.db import AddFalseBooleanField


def keep_one_primary(apps, schema_editor):
    """Each customer's oldest contact with the Primary role keeps it; the others
    lose it (routing used to send to all of them)."""
    Contact = apps.get_model("contacts", "Contact")
    Role = apps.get_model("contacts", "ContactRole")
    primary = Role.objects.filter(code="primary").first()
    if primary is None:
        return
    through = Contact.roles.through
    holders = (
        through.objects.filter(contactrole=primary)
        .order_by("contact__customer_id", "contact__created_at", "contact_id")
        .values_list("pk", "contact_id", "contact__customer_id")
    )
    kept, dropped, seen = [], [], set()
    for link_id, contact_id, customer_id in holders:
        if customer_id in seen:
            dropped.append(link_id)
        else:
            seen.add(customer_id)
            kept.append(contact_id)
    through.objects.filter(pk__in=dropped).delete()
    Contact.objects.filter(pk__in=kept).update(is_primary=True)


class Migration(migrations.Migration):

    dependencies = [
        ("contacts", "0013_history_group"),
    ]

    operations = [
        # In place on SQLite: a rebuild of the table would recreate its trigram indexes.
        AddFalseBooleanField(
            model_name="contact",
            name="is_primary",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="primary"
            ),
        ),
        migrations.AddField(
            model_name="historicalcontact",
            name="is_primary",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="primary"
            ),
        ),
        migrations.RunPython(keep_one_primary, migrations.RunPython.noop),
        # A partial unique index: created in place on SQLite too.
        migrations.AddConstraint(
            model_name="contact",
            constraint=models.UniqueConstraint(
                condition=Q(is_primary=True),
                fields=("customer",),
                name="contacts_contact_one_primary_per_customer",
                violation_error_message="This customer already has a Primary contact.",
            ),
        ),
    ]
