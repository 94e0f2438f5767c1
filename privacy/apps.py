from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.permissions import SALES_MANAGER


class PrivacyConfig(AppConfig):
    """A person's data: the export, the erasure and the retention of issued
    documents' copies, through core.privacy's registry. At the top of the layers:
    it reads every app; none imports it."""

    name = "privacy"
    verbose_name = _("Privacy")
    default_group_permissions = {
        SALES_MANAGER: ["handle_personal_data", "view_erasurelog", "view_exportlog"],
    }

    def ready(self):
        from core.worker import register_periodic_job
        from privacy.registrations import register_personal_data
        from privacy.services import erase_expired_copies

        register_personal_data()
        register_periodic_job(
            name="privacy-retention",
            function=erase_expired_copies,
            every=timedelta(days=1),
        )
