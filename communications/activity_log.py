"""What the Activity Log shows of emails and suppressions."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.history import TrackedModel, register_tracked_model


def register_tracked_models() -> None:
    register_tracked_model(
        TrackedModel(
            key="delivery",
            label=_("Email"),
            model="communications.Delivery",
            customer_field="customer_id",
            describe=lambda record: (
                gettext("Email “%(subject)s” to %(email)s")
                % {"subject": record.subject, "email": record.email}
            ),
            position=80,
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
        )
    )
    register_tracked_model(
        TrackedModel(
            key="suppression",
            label=_("Suppression"),
            model="communications.Suppression",
            customer_field="customer_id",
            describe=lambda record: (
                gettext("Suppression of %(email)s") % {"email": record.email}
            ),
            position=90,
            hidden_fields=("customer",),
        )
    )
