from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.permissions import SALES_MANAGER, SALES_STAFF, SALES_VIEWER

READ = ["view_delivery"]
WORK = [*READ, "retry_delivery"]


class CommunicationsConfig(AppConfig):
    name = "communications"
    verbose_name = _("Communications")
    # Whoever may see documents sees what became of their emails (Failed
    # communications); staff may retry them; managers also lift suppressions.
    default_group_permissions = {
        SALES_VIEWER: READ,
        SALES_STAFF: WORK,
        SALES_MANAGER: [*WORK, "view_suppression", "lift_suppression"],
    }

    def ready(self):
        from anymail.signals import tracking
        from django.conf import settings

        from communications import (
            checks,  # noqa: F401  (registers the checks)
            tasks,  # noqa: F401  (its task is declared under the project's settings)
        )
        from communications.activity_log import register_tracked_models
        from communications.health import OutboxMoving
        from communications.marks import (
            suppressed_addresses_in_use,
            suppression_marks,
        )
        from communications.outbox import outbox_sweep
        from communications.privacy import register_personal_data
        from communications.webhooks import record_tracking_event
        from contacts.marks import email_marks
        from core.health import register_readiness_check
        from core.worker import register_periodic_job

        register_tracked_models()
        register_personal_data()
        email_marks.register_marker(suppression_marks)
        email_marks.register_check(
            "Suppressed email addresses in use", suppressed_addresses_in_use
        )
        tracking.connect(record_tracking_event, dispatch_uid="communications.tracking")
        # Lapsed claims become `unconfirmed`; due deliveries are asked for.
        register_periodic_job(
            name="outbox-sweep",
            function=outbox_sweep,
            every=timedelta(seconds=settings.COMMUNICATIONS_SWEEP_SECONDS),
        )
        # A limit of 0 turns the check off.
        register_readiness_check(
            "outbox",
            OutboxMoving,
            applies=lambda: settings.READINESS_OUTBOX_WAIT_SECONDS > 0,
        )
