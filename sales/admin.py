from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from communications.admin import DeliveryInline
from core.admin import HistoryAdmin
from core.money import currency_choices, default_currency
from core.phones import format_phone_number
from customers.admin import CustomerRowAdminForm
from sales import services
from sales.models import Invoice, SalesOrder, Shipment

SNAPSHOT = ["contact_name", "contact_email", "contact_phone_number"]


class DocumentAdminForm(CustomerRowAdminForm):
    """Locks the customer, then the chosen contact while the form is checked
    (`document_contact_lock`).

    The admin checks the form and saves it in one transaction, so the lock holds
    until the document is saved: a contact deleted meanwhile is refused here, at
    the contact field, instead of by the service once the admin no longer shows
    errors (a server error)."""

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("contact") is not None:
            try:
                cleaned_data["contact"] = services.document_contact_lock(
                    contact=cleaned_data["contact"]
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


class DocumentAdmin(HistoryAdmin):
    """Saves through sales.services: the number is generated and the assigned
    contact's snapshot copied, exactly as in the application."""

    form = DocumentAdminForm

    list_display = ["number", "customer", "date", "status", "contact_name"]
    list_filter = ["status", "date"]
    list_select_related = ["customer"]
    search_fields = ["number", "reference", "customer__name", "contact_name"]
    # Searched as typed, not a select of every contact of every customer (500,000
    # options at 100,000 customers).
    autocomplete_fields = ["customer", "contact"]
    readonly_fields = ["number", *SNAPSHOT, "created_at", "updated_at"]
    extra_fields: list[str] = []
    inlines = [DeliveryInline]

    def get_fields(self, request, obj=None):
        return [
            "number",
            "customer",
            "date",
            "reference",
            "status",
            *self.extra_fields,
            "contact",
            *SNAPSHOT,
            "created_at",
            "updated_at",
        ]

    @admin.display(description=_("contact's phone number"))
    def contact_phone_number(self, document) -> str:
        return format_phone_number(document.contact_phone)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "currency":
            return forms.ChoiceField(
                label=_("Currency"),
                choices=currency_choices(),
                initial=default_currency(),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "contact":
            kwargs["error_messages"] = {
                "invalid_choice": services.CONTACT_DELETED_MESSAGE
            }
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        contact = form.cleaned_data.get("contact")
        if change:
            services.document_update(document=obj, data={}, contact=contact)
        else:
            services.document_create_from(document=obj, contact=contact)


class AmountDocumentAdmin(DocumentAdmin):
    list_display = [*DocumentAdmin.list_display, "amount_with_currency"]
    extra_fields = ["amount", "currency"]

    @admin.display(description=_("amount"), ordering="amount")
    def amount_with_currency(self, document) -> str:
        return document.amount_display


@admin.register(SalesOrder)
class SalesOrderAdmin(AmountDocumentAdmin):
    pass


@admin.register(Invoice)
class InvoiceAdmin(AmountDocumentAdmin):
    pass


@admin.register(Shipment)
class ShipmentAdmin(DocumentAdmin):
    extra_fields = ["carrier", "tracking_code"]
