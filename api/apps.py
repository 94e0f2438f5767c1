from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The JSON API: resources over the other apps' services and selectors, at the
    top of the layers (it may import every app; none imports it)."""

    name = "api"
    verbose_name = _("API")

    def ready(self):
        from api import schema  # noqa: F401  (registers the token's security scheme)
        from core.privacy import personal_data

        personal_data.declare_not_personal(
            "api.ApiToken", why="a token of a user (staff), not of a customer's person"
        )
