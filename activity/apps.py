from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "activity"
    verbose_name = "Activity Log"

    def ready(self):
        from activity import checks  # noqa: F401  (registers the system checks)
