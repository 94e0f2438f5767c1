from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from core.models import NumberSequence


class HistoryAdmin(SimpleHistoryAdmin):
    """The admin of a model with history: its history can be read, never reverted.

    SIMPLE_HISTORY_REVERT_DISABLED only hides the Revert button; the past version's
    form would still save when posted to. This refuses the post as well, so the
    history stays what happened.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(
            request, object_id, version_id, extra_context=extra_context
        )


@admin.register(NumberSequence)
class NumberSequenceAdmin(admin.ModelAdmin):
    list_display = ["name", "last_value", "updated_at"]
    readonly_fields = ["name", "last_value", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
