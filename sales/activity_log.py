"""What the Activity Log shows of sales orders, invoices and shipments."""

from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from core.history import TrackedModel, register_tracked_model


def _document(
    key: str, label: str, title: str, model: str, position: int
) -> TrackedModel:
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
        position=position,
        hidden_fields=("contact",),
        phone_fields=lambda record: ("contact_phone",),
    )


def register_tracked_models() -> None:
    for tracked in (
        _document(
            "sales_order",
            _("Sales order"),
            gettext_noop("Sales order %(number)s"),
            "sales.SalesOrder",
            50,
        ),
        _document(
            "invoice",
            _("Invoice"),
            gettext_noop("Invoice %(number)s"),
            "sales.Invoice",
            60,
        ),
        _document(
            "shipment",
            _("Shipment"),
            gettext_noop("Shipment %(number)s"),
            "sales.Shipment",
            70,
        ),
    ):
        register_tracked_model(tracked)
