from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline

from communications.models import Delivery, DeliveryEvent, Suppression
from core.admin import HistoryAdmin, ReadOnlyAdminMixin

# What the outbox recorded is read here, never written by hand: a delivery is
# retried from Failed communications, a suppression lifted from the customer's
# Contacts tab, with a reason.


class DeliveryInline(GenericTabularInline):
    """The deliveries of a document (its admin page), read-only."""

    model = Delivery
    ct_field = "about_type"
    ct_fk_field = "about_id"
    fields = ["email", "reason", "status", "status_changed_at", "requested_by"]
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["email", "subject", "status", "status_changed_at", "customer"]
    list_filter = ["status"]
    list_select_related = ["customer"]
    search_fields = ["email", "subject", "message_id", "provider_message_id"]
    raw_id_fields = ["customer", "contact", "requested_by"]


@admin.register(DeliveryEvent)
class DeliveryEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["email", "event_type", "provider", "occurred_at"]
    list_filter = ["event_type", "provider"]
    search_fields = ["email", "event_id"]
    raw_id_fields = ["delivery"]


@admin.register(Suppression)
class SuppressionAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["email", "reason", "created_at", "lifted_at"]
    list_filter = ["reason"]
    search_fields = ["email"]
    raw_id_fields = ["customer", "lifted_by"]
