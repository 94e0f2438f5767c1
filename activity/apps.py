from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.permissions import DEFAULT_GROUPS


class ActivityConfig(AppConfig):
    name = "activity"
    verbose_name = _("Activity Log")
    # Every default group may read customers' Activity Logs (core.permissions).
    default_group_permissions = {
        group: ["view_activity_log"] for group in DEFAULT_GROUPS
    }

    def ready(self):
        from activity import checks  # noqa: F401  (registers the system checks)
        from customers.pages import CustomerTab, customer_pages

        customer_pages.register_tab(
            CustomerTab(
                key="activity",
                label=_("Activity"),
                url_name="activity:list",
                permissions=("activity.view_activity_log",),
                position=40,
            )
        )
