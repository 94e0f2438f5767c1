from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet, _get_foreign_key
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import HistoryAdmin, VersionedAdminForm
from core.services import GONE, GONE_MESSAGE
from customers.models import ONE_BILLING_ADDRESS_CODE, Address, Customer
from customers.services import customer_number_next, lock_customers


class CustomerRowAdminForm(VersionedAdminForm):
    """The admin form of a row that belongs to a customer (a contact, a detail, a
    document): its customer is locked first, the one it belongs to and the one
    chosen, as the services lock it, so the admin takes the product's lock order
    (the customer, then its contacts and other rows) and cannot deadlock with a
    merge, a Send or the card window. A customer deleted meanwhile is refused."""

    def lock_first(self) -> None:
        keys = set()
        if self.instance.pk is not None:
            keys.update(
                type(self.instance)
                ._default_manager.filter(pk=self.instance.pk)
                .values_list("customer_id", flat=True)
            )
        chosen = self.cleaned_data.get("customer")
        keys.add(chosen.pk if chosen is not None else self.instance.customer_id)
        keys.discard(None)
        try:
            lock_customers(keys)
        except Customer.DoesNotExist as gone:
            raise ValidationError(
                str(GONE_MESSAGE) % {"object": Customer._meta.verbose_name},
                code=GONE,
            ) from gone


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
                        gettext("This customer already has a billing address."),
                        code=ONE_BILLING_ADDRESS_CODE,
                    ),
                )
            raise ValidationError(
                gettext("A customer has at most one billing address.")
            )


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


# A customer's addresses, contacts and contact details are edited inline up to this
# many of a kind; past it the page links to them instead. Each inline row renders its
# widgets (a country select of 250 options per address): 50 addresses and 200
# contacts took 5–6 s to render (docs/benchmarks-scale.md).
INLINE_LIMIT = 20


@admin.register(Customer)
class CustomerAdmin(HistoryAdmin):
    list_display = ["number", "name", "is_active", "created_at"]
    list_filter = ["is_active", "addresses__country"]
    search_fields = ["number", "name", "addresses__city"]
    readonly_fields = ["number", "created_at", "updated_at", "linked_records"]
    fields = [
        "number",
        "name",
        "is_active",
        "notes",
        "created_at",
        "updated_at",
        "linked_records",
    ]
    # Apps above customers add theirs with register_customer_inline().
    inlines = [AddressInline]

    def get_deleted_objects(self, objs, request):
        """On the deletion's POST, the customers are locked before what goes with
        them is collected (the product's lock order: the customer first), so a
        document created for one of them at that moment either comes first and is
        listed (it protects the customer) or waits and finds the customer gone."""
        if request.method == "POST":
            keys = [obj.pk for obj in objs]
            list(
                Customer.objects.select_for_update().filter(pk__in=keys).order_by("pk")
            )
        return super().get_deleted_objects(objs, request)

    def changelist_view(self, request, extra_context=None):
        # The delete action collects and deletes in one transaction, under the
        # customers' locks (get_deleted_objects).
        if request.method != "POST":
            return super().changelist_view(request, extra_context)
        with transaction.atomic():
            return super().changelist_view(request, extra_context)

    def _related_counts(self, obj) -> dict:
        """{inline class: number of rows of the customer}, read once per page (kept
        on the customer object the page shows)."""
        if not hasattr(obj, "_admin_related_counts"):
            obj._admin_related_counts = {
                inline: inline.model._default_manager.filter(
                    **{_get_foreign_key(Customer, inline.model).name: obj}
                ).count()
                for inline in self.inlines
            }
        return obj._admin_related_counts

    def get_inlines(self, request, obj):
        if obj is None:
            return self.inlines
        counts = self._related_counts(obj)
        return [inline for inline in self.inlines if counts[inline] <= INLINE_LIMIT]

    @admin.display(description=_("more records"))
    def linked_records(self, obj):
        """For each kind with more rows than INLINE_LIMIT: how many, a link to them
        in their own list, and a link to add one."""
        if obj is None or obj.pk is None:
            return ""
        items = []
        for inline, count in self._related_counts(obj).items():
            if count <= INLINE_LIMIT:
                continue
            meta = inline.model._meta
            foreign_key = _get_foreign_key(Customer, inline.model)
            changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
            add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
            items.append(
                format_html(
                    '<li>{} {}: <a href="{}?{}={}">{}</a> · '
                    '<a href="{}?{}={}">{}</a></li>',
                    count,
                    meta.verbose_name_plural,
                    changelist,
                    f"{foreign_key.name}__id__exact",
                    obj.pk,
                    gettext("show them"),
                    add,
                    foreign_key.name,
                    obj.pk,
                    gettext("add one"),
                )
            )
        if not items:
            return "–"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "{}", ((i,) for i in items))
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.number = customer_number_next()
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        # An inline of an app above may warn about what it saved (contacts: a mobile
        # number typed as Telephone): said after the save, never refusing it.
        for warning in getattr(formset, "warnings", ()):
            self.message_user(request, warning, messages.WARNING)


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
