"""The models whose history makes up a customer's Activity Log.

Adding a model with history (simple-history, through `core.history.tracked_history`)
to the log is one entry in TRACKED_MODELS: the model, where its historical records keep
the customer's id, the words for its kind, and how to name one of its records. For
example, a sales order with a `customer` foreign key and a `number`:

    TrackedModel(
        key="sales_order",
        label=gettext_lazy("Sales order"),
        model="sales.SalesOrder",
        customer_field="customer_id",
        describe=lambda record: gettext("Sales order %(number)s")
        % {"number": record.number},
    )

`label` is lazy (gettext_lazy) and `describe` translates when it is called: both
are read while a page is rendered, in the reader's language.

The customer field must be a column of the historical record itself (a join would
lose the records of deleted parents); a model without its own `customer` foreign key
should keep one (an email about a document: the document's customer). Every model in the
list costs one more branch in the log's UNION query and at most one more query per
page; the page's query count stays independent of the size of the history.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.utils import get_history_model_for_model

from core.phones import format_phone_number


def _no_phone_fields(record) -> Collection[str]:
    return ()


@dataclass(frozen=True)
class TrackedModel:
    key: str  # the kind filter's value, e.g. "contact"
    label: str  # the kind filter's words, e.g. "Contact" (gettext_lazy)
    model: str  # "app_label.ModelName"
    customer_field: str  # attname on the historical record holding the customer id
    describe: Callable[[Any], str]  # the object as it was, from a historical record
    hidden_fields: tuple[str, ...] = ()  # beyond those every entry hides
    # The fields of a record that hold a phone number (stored E.164), shown in
    # international format: `+31 6 12345678`, never `+31612345678`.
    phone_fields: Callable[[Any], Collection[str]] = _no_phone_fields

    @cached_property
    def live_model(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @cached_property
    def history_model(self) -> type[models.Model]:
        # Cached: simple-history's manager descriptor builds a new manager class on
        # every access, which costs milliseconds.
        return get_history_model_for_model(self.live_model)


def _address(record) -> str:
    # The live model (read through the record, not imported) names the kinds.
    title = record.instance_type.title_of_kind(record.kind)
    return f"{title} {record.city}".strip()


def _contact(record) -> str:
    name = " ".join(part for part in (record.first_name, record.last_name) if part)
    return gettext("Contact %(name)s") % {"name": name}


def _contact_detail_phone_fields(record) -> Collection[str]:
    # A detail's value is a phone number when its kind is one; the record's live
    # model (read through the record, not imported) says which kinds are.
    return ("value",) if record.kind in record.instance_type.PHONE_KINDS else ()


def _contact_detail(record) -> str:
    value = record.value
    if _contact_detail_phone_fields(record):
        value = format_phone_number(value)
    return f"{record.get_kind_display()} {value}"


def _document(key: str, label: str, title: str, model: str) -> TrackedModel:
    """A sales document, named by its number (`title`: "Invoice %(number)s", marked
    with gettext_noop, translated when shown). Its contact link is left out: the
    snapshot (name, email, phone) shows the contact and outlives it, and the link
    itself would read as a bare id."""
    return TrackedModel(
        key=key,
        label=label,
        model=model,
        customer_field="customer_id",
        describe=lambda record: gettext(title) % {"number": record.number},
        hidden_fields=("contact",),
        phone_fields=lambda record: ("contact_phone",),
    )


TRACKED_MODELS: list[TrackedModel] = [
    TrackedModel(
        key="customer",
        label=_("Customer"),
        model="customers.Customer",
        customer_field="id",
        describe=lambda record: gettext("Customer %(name)s") % {"name": record.name},
    ),
    TrackedModel(
        key="address",
        label=_("Address"),
        model="customers.Address",
        customer_field="customer_id",
        describe=_address,
    ),
    TrackedModel(
        key="contact",
        label=_("Contact"),
        model="contacts.Contact",
        customer_field="customer_id",
        describe=_contact,
        phone_fields=lambda record: ("phone",),
    ),
    TrackedModel(
        key="contact_detail",
        label=_("Contact detail"),
        model="contacts.ContactDetail",
        customer_field="customer_id",
        describe=_contact_detail,
        phone_fields=_contact_detail_phone_fields,
    ),
    _document(
        "sales_order",
        _("Sales order"),
        gettext_noop("Sales order %(number)s"),
        "sales.SalesOrder",
    ),
    _document(
        "invoice", _("Invoice"), gettext_noop("Invoice %(number)s"), "sales.Invoice"
    ),
    _document(
        "shipment",
        _("Shipment"),
        gettext_noop("Shipment %(number)s"),
        "sales.Shipment",
    ),
    TrackedModel(
        key="delivery",
        label=_("Email"),
        model="communications.Delivery",
        customer_field="customer_id",
        describe=lambda record: (
            gettext("Email “%(subject)s” to %(email)s")
            % {"subject": record.subject, "email": record.email}
        ),
        # The email's words, its status and how it went; not the bookkeeping.
        hidden_fields=(
            "about_type",
            "about_id",
            "contact",
            "requested_by",
            "language",
            "from_email",
            "message_id",
            "provider_message_id",
            "status_changed_at",
            "next_attempt_at",
        ),
    ),
    TrackedModel(
        key="suppression",
        label=_("Suppression"),
        model="communications.Suppression",
        customer_field="customer_id",
        describe=lambda record: (
            gettext("Suppression of %(email)s") % {"email": record.email}
        ),
        hidden_fields=("customer",),
    ),
]


def tracked_model(key: str) -> TrackedModel | None:
    return next((tracked for tracked in TRACKED_MODELS if tracked.key == key), None)
