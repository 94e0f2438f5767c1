from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from contacts import services
from contacts.models import ContactDetail
from core.admin import HistoryAdmin

DETAIL_FIELDS = ["kind", "value", "description"]


def _changes(form) -> dict:
    return {name: form.cleaned_data[name] for name in DETAIL_FIELDS}


class ContactDetailInlineFormSet(BaseInlineFormSet):
    """Saves the inline rows through the contact services, so the primary flags
    follow the rules: removals first (promoting the oldest remaining), then changes,
    then new rows (the first of a kind becomes primary)."""

    def save_new(self, form, commit=True):
        return services.contact_detail_create(customer=self.instance, **_changes(form))

    def save_existing(self, form, obj, commit=True):
        return services.contact_detail_update(detail=obj, data=_changes(form))

    def delete_existing(self, obj, commit=True):
        if commit:
            services.contact_detail_delete(detail=obj)


class ContactDetailInline(admin.TabularInline):
    model = ContactDetail
    formset = ContactDetailInlineFormSet
    extra = 0
    fields = [*DETAIL_FIELDS, "is_primary"]
    readonly_fields = ["is_primary"]


@admin.register(ContactDetail)
class ContactDetailAdmin(HistoryAdmin):
    list_display = ["customer", "kind", "value", "description", "is_primary"]
    list_filter = ["kind", "is_primary"]
    list_select_related = ["customer"]
    search_fields = ["customer__name", "customer__number", "value", "description"]
    autocomplete_fields = ["customer"]
    readonly_fields = ["is_primary", "created_at", "updated_at"]

    def get_fields(self, request, obj=None):
        return ["customer", *DETAIL_FIELDS, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        # A detail stays with its customer: moving it would bypass both customers'
        # primary rules.
        if obj is not None:
            return ["customer", *self.readonly_fields]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            saved = services.contact_detail_update(detail=obj, data=_changes(form))
        else:
            saved = services.contact_detail_create(
                customer=form.cleaned_data["customer"], **_changes(form)
            )
        # The admin reads the saved object back (its pk for the redirect, messages).
        obj.pk, obj.is_primary = saved.pk, saved.is_primary

    def delete_model(self, request, obj):
        services.contact_detail_delete(detail=obj)

    def delete_queryset(self, request, queryset):
        for detail in queryset.select_related("customer"):
            services.contact_detail_delete(detail=detail)
