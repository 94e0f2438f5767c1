"""What the Activity Log shows of customers and their addresses."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.history import TrackedModel, register_tracked_model


def _address(record) -> str:
    # The live model (read through the record) names the kinds.
    title = record.instance_type.title_of_kind(record.kind)
    return f"{title} {record.city}".strip()


def register_tracked_models() -> None:
    register_tracked_model(
        TrackedModel(
            key="customer",
            label=_("Customer"),
            model="customers.Customer",
            customer_field="id",
            describe=lambda record: (
                gettext("Customer %(name)s") % {"name": record.name}
            ),
            position=10,
        )
    )
    register_tracked_model(
        TrackedModel(
            key="address",
            label=_("Address"),
            model="customers.Address",
            customer_field="customer_id",
            describe=_address,
            position=20,
        )
    )
