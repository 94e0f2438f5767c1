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
        from contacts.person_actions import PersonAction, register_person_action
        from core.worker import register_periodic_job
        from privacy.registrations import register_personal_data
        from privacy.services import erase_expired_copies

        register_personal_data()
        # On the person's page: the export downloads at once (recorded), the
        # erasure opens its confirmation.
        register_person_action(
            "privacy.export",
            PersonAction(
                label=_("Export data"),
                url_name="privacy:person",
                permission="privacy.handle_personal_data",
                post=(("export", "1"),),
            ),
        )
        register_person_action(
            "privacy.erase",
            PersonAction(
                label=_("Erase person"),
                url_name="privacy:person",
                permission="privacy.handle_personal_data",
                danger=True,
            ),
        )
        register_periodic_job(
            name="privacy-retention",
            function=erase_expired_copies,
            every=timedelta(days=1),
        )
