from django.contrib import admin

from privacy.models import ErasureLog, ExportLog


class ReadOnlyLogAdmin(admin.ModelAdmin):
    """A record of what was done: read, never written or removed by hand."""

    list_display = ("identifier", "requested_by", "created_at")
    search_fields = ("identifier",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ErasureLog)
class ErasureLogAdmin(ReadOnlyLogAdmin):
    fields = ("identifier", "requested_by", "created_at", "counts")


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyLogAdmin):
    fields = ("identifier", "requested_by", "created_at")
