from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The header search: finds customers, contact persons and contact-card
    details. It reads the apps below it, so it sits above them."""

    name = "search"
    verbose_name = _("Search")
