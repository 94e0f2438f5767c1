from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from core.admin import HistoryAdmin
from customers.models import ONE_BILLING_ADDRESS_CODE, Address, Customer
from customers.services import customer_number_next


class AddressInlineFormSet(BaseInlineFormSet):
    def clean(self):
        # Each form is checked against the database alone; two new billing rows in
        # the same submission must be caught here, not by the constraint (a 500).
        super().clean()
        billing_forms = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("kind") == Address.Kind.BILLING
        ]
        if len(billing_forms) > 1:
            for form in billing_forms[1:]:
                form.add_error(
                    "kind",
                    ValidationError(
                        "This customer already has a billing address.",
                        code=ONE_BILLING_ADDRESS_CODE,
                    ),
                )
            raise ValidationError("A customer has at most one billing address.")


class AddressInline(admin.StackedInline):
    model = Address
    formset = AddressInlineFormSet
    extra = 0
    fields = [
        "kind",
        ("street_line_1", "street_line_2"),
        ("postal_code", "city"),
        ("region", "country"),
    ]


@admin.register(Customer)
class CustomerAdmin(HistoryAdmin):
    list_display = ["number", "name", "is_active", "created_at"]
    list_filter = ["is_active", "addresses__country"]
    search_fields = ["number", "name", "addresses__city"]
    readonly_fields = ["number", "created_at", "updated_at"]
    fields = ["number", "name", "is_active", "notes", "created_at", "updated_at"]
    # Apps above customers add theirs with register_customer_inline().
    inlines = [AddressInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.number = customer_number_next()
        super().save_model(request, obj, form, change)


def register_customer_inline(inline: type[admin.options.InlineModelAdmin]) -> None:
    """Show an app's inline on the customer's admin page (its contacts, its contact
    details): the app above registers it, so customers imports nothing of it."""
    CustomerAdmin.inlines = [*CustomerAdmin.inlines, inline]


@admin.register(Address)
class AddressAdmin(HistoryAdmin):
    list_display = ["customer", "kind", "city", "country"]
    list_filter = ["kind", "country"]
    list_select_related = ["customer"]
    search_fields = ["customer__name", "customer__number", "city", "postal_code"]
    autocomplete_fields = ["customer"]
