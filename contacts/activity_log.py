"""What the Activity Log shows of contacts and contact details."""

from collections.abc import Collection

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contacts.models import PERSON_PAGE_PERMISSIONS, Contact
from core.history import TrackedModel, register_tracked_model
from core.phones import format_phone_number


def _contact(record) -> str:
    name = " ".join(part for part in (record.first_name, record.last_name) if part)
    return gettext("Contact %(name)s") % {"name": name}


def _contact_urls(keys: Collection[int], reader) -> dict[int, str]:
    """A contact's name leads to its person's page, while the contact exists and
    for those who may open that page."""
    if not reader.has_perms(PERSON_PAGE_PERMISSIONS):
        return {}
    return {
        pk: reverse("persons:detail", args=[person_id])
        for pk, person_id in Contact.objects.filter(pk__in=keys).values_list(
            "pk", "person_id"
        )
    }


def _contact_detail_phone_fields(record) -> Collection[str]:
    # A detail's value is a phone number when its kind is one; the record's live
    # model says which kinds are.
    return ("value",) if record.kind in record.instance_type.PHONE_KINDS else ()


def _contact_detail(record) -> str:
    value = record.value
    if _contact_detail_phone_fields(record):
        value = format_phone_number(value)
    return f"{record.get_kind_display()} {value}"


def register_tracked_models() -> None:
    register_tracked_model(
        TrackedModel(
            key="contact",
            label=_("Contact"),
            model="contacts.Contact",
            customer_field="customer_id",
            describe=_contact,
            position=30,
            # Follows the Primary role, whose change the entry shows already.
            hidden_fields=("is_primary",),
            phone_fields=lambda record: ("phone",),
            object_urls=_contact_urls,
        )
    )
    register_tracked_model(
        TrackedModel(
            key="contact_detail",
            label=_("Contact detail"),
            model="contacts.ContactDetail",
            customer_field="customer_id",
            describe=_contact_detail,
            position=40,
            phone_fields=_contact_detail_phone_fields,
        )
    )
