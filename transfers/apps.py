from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    """Imports started in the browser: the file kept from its preview to its
    Confirm, then imported in the background by contacts.imports, with its progress
    and its report. Above contacts in the layers; nothing imports it."""

    name = "transfers"
    verbose_name = _("Imports")

    def ready(self):
        from transfers.privacy import register_personal_data

        register_personal_data()
