from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityLog(models.Model):
    """Not a table: the home of the permission to read customers' Activity Logs.

    The log is read from the history tables of the models each app registers
    (core.history.register_tracked_model); it has no rows of its own. An unmanaged
    model without default permissions gives the permission a name of its own app,
    `activity.view_activity_log`, instead of hanging it on Customer or on one of the
    history models, and no table is ever created for it.
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_activity_log", "Can view the activity log")]
        verbose_name = _("activity log")

    def __str__(self) -> str:
        return str(_("Activity Log"))
