from datetime import timedelta

import axes.apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from core import (
            checks,  # noqa: F401  (registers the system checks)
            languages,  # noqa: F401  (remembers the language at sign-in)
            sign_in,  # noqa: F401  (a sign-in's fixed lifetime)
        )
        from core.health import register_core_checks
        from core.permissions import create_default_groups
        from core.privacy import personal_data
        from core.worker import prune_finished_task_results, register_periodic_job

        register_core_checks()
        personal_data.declare_not_personal(
            "core.UserPreferences", why="a user's (staff's) own settings"
        )
        for model in (
            "core.NumberSequence",
            "core.WorkerHeartbeat",
            "core.PeriodicJobRun",
        ):
            personal_data.declare_not_personal(
                model, why="the application's bookkeeping"
            )

        # Connected after contrib.auth's create_permissions (auth is installed
        # before core), so every app's permissions exist when they are granted.
        post_migrate.connect(create_default_groups, dispatch_uid="core.default_groups")
        register_periodic_job(
            name="task-results-prune",
            function=prune_finished_task_results,
            every=timedelta(hours=1),
        )


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, on the site of core.sites."""

    default = False  # "core" is CoreConfig; this one is named in full
    default_site = "core.sites.AdminSite"


# axes' class named through its module: a second AppConfig class in this module's
# names would keep Django from choosing CoreConfig as the app's.
class AxesConfig(axes.apps.AppConfig):
    """django-axes (the sign-in lockout) with a name in the reader's language in the
    admin; its other words are translated through core.third_party_words."""

    default = False  # named in full in INSTALLED_APPS
    verbose_name = _("Sign-in attempts")
