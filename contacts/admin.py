"""The contacts in the admin. Every save here passes Contact.clean() through the
admin's model forms: the organisation's required fields, emails normalised, phone
numbers read with the customer's billing country."""

from django import forms
from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from contacts.models import (
    ONE_LINK_PER_CUSTOMER_MESSAGE,
    STANDARD_ROLE_CODES,
    Contact,
    ContactDetail,
    ContactFieldSettings,
    ContactRole,
    NotDuplicate,
    Person,
)
from contacts.services.card import (
    DETAIL_FIELDS,
    contact_detail_create,
    contact_detail_delete,
    contact_detail_update,
)
from contacts.services.duplicates import not_duplicate_unmark
from contacts.services.links import (
    PRIMARY_TAKEN_MESSAGE,
    contact_delete,
    contact_save,
    person_update,
    primary_holder,
)
from core.admin import HistoryAdmin, LabelledTabularInline
from core.phones import format_phone_number
from customers.admin import CustomerRowAdminForm, register_customer_inline


def _roles_display(contact: Contact) -> str:
    # contact.roles.all() reads the prefetched roles: no query per row.
    return ", ".join(role.label for role in contact.roles.all())


class PhoneShownFormattedForm(CustomerRowAdminForm):
    """Shows a stored number as people read it (`+31 6 12345678`), not in E.164;
    a save reads it back through the model's rules, and an unchanged number is not
    a change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound or self.instance.pk is None:
            return
        for name in self.phone_fields():
            if name in self.fields:
                self.initial[name] = format_phone_number(getattr(self.instance, name))

    def phone_fields(self) -> list[str]:
        if isinstance(self.instance, ContactDetail):
            return ["value"] if self.instance.kind in ContactDetail.PHONE_KINDS else []
        return ["phone"]


def _gives_primary(form) -> bool:
    roles = form.cleaned_data.get("roles") or ()
    return any(role.code == ContactRole.PRIMARY for role in roles)


class ContactAdminForm(PhoneShownFormattedForm):
    """Refuses Primary at the Roles field while another contact of the customer
    holds it (the service checks again under the customer's lock)."""

    def clean(self):
        cleaned = super().clean()
        customer = cleaned.get("customer")
        person_id = self.instance.person_id
        if (
            customer is not None
            and person_id is not None
            and Contact.objects.filter(person_id=person_id, customer=customer)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            # Moving the link to a customer the person is linked to already.
            self.add_error("customer", ONE_LINK_PER_CUSTOMER_MESSAGE)
        if customer is not None and _gives_primary(self):
            holder = primary_holder(customer_id=customer.pk, exclude=self.instance.pk)
            if holder is not None:
                self.add_error(
                    "roles", PRIMARY_TAKEN_MESSAGE % {"name": holder.full_name}
                )
        return cleaned


class RolesAsCheckboxesMixin:
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "roles":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Contact)
class ContactAdmin(RolesAsCheckboxesMixin, HistoryAdmin):
    form = ContactAdminForm
    list_display = [
        "full_name",
        "customer",
        "email",
        "phone_international",
        "roles_list",
        "updated_at",
    ]
    list_filter = ["roles", "language"]
    list_select_related = ["customer"]
    search_fields = [
        "first_name",
        "last_name",
        "email",
        "phone",
        "job_title",
        "department",
        "customer__name",
        "customer__number",
    ]
    autocomplete_fields = ["customer"]
    readonly_fields = ["created_at", "updated_at"]
    fields = [
        "customer",
        ("first_name", "last_name"),
        ("email", "phone"),
        ("job_title", "department"),
        "language",
        "roles",
        ("created_at", "updated_at"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("roles")

    def save_model(self, request, obj, form, change):
        # The form has cleaned the contact; the service stores it with its roles
        # and its customer's possible duplicates.
        contact_save(contact=obj, roles=form.cleaned_data["roles"])

    def save_related(self, request, form, formsets, change):
        # The roles were stored by save_model; no form.save_m2m() here.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.display(description=_("name"), ordering="first_name")
    def full_name(self, contact: Contact) -> str:
        return contact.full_name

    @admin.display(description=_("phone number"), ordering="phone")
    def phone_international(self, contact: Contact) -> str:
        return format_phone_number(contact.phone)

    @admin.display(description=_("roles"))
    def roles_list(self, contact: Contact) -> str:
        return _roles_display(contact)

    def delete_model(self, request, obj):
        contact_delete(contact=obj)

    def delete_queryset(self, request, queryset):
        for contact in queryset:
            contact_delete(contact=contact)


class ContactInlineFormSet(BaseInlineFormSet):
    """Reads the role choices once for all rows: a customer with fifty contacts
    must not cost fifty queries for the same four roles."""

    _role_choices = None

    def _share_role_choices(self, form):
        field = form.fields.get("roles")
        if field is None:
            return form
        if self._role_choices is None:
            # Iterated, not list(): list() would ask its length first, a COUNT.
            self._role_choices = [choice for choice in field.choices]
        field.choices = self._role_choices
        return form

    def _construct_form(self, i, **kwargs):
        return self._share_role_choices(super()._construct_form(i, **kwargs))

    def save_new(self, form, commit=True):
        return self._save(form, commit)

    def save_existing(self, form, obj, commit=True):
        return self._save(form, commit)

    def _save(self, form, commit):
        # Through the service, so the customer's possible duplicates stay current.
        contact = form.save(commit=False)
        if commit:
            contact_save(contact=contact, roles=form.cleaned_data["roles"])
        return contact

    def clean(self):
        """At most one Primary among the customer's contacts (the inline shows them
        all): the second form giving it is refused at its Roles field."""
        super().clean()
        holder = None
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            if not _gives_primary(form):
                continue
            if holder is None:
                holder = form.instance
                continue
            # The form's instance carries the typed name (model form's clean).
            form.add_error("roles", PRIMARY_TAKEN_MESSAGE % {"name": holder.full_name})

    @property
    def empty_form(self):
        return self._share_role_choices(super().empty_form)

    def delete_existing(self, obj, commit=True):
        if commit:
            contact_delete(contact=obj)


class ContactInline(RolesAsCheckboxesMixin, admin.StackedInline):
    model = Contact
    form = PhoneShownFormattedForm
    formset = ContactInlineFormSet
    extra = 0
    show_change_link = True
    fields = [
        ("first_name", "last_name"),
        ("email", "phone"),
        ("job_title", "department"),
        "language",
        "roles",
    ]

    def get_queryset(self, request):
        # Each row's ticked roles come from one prefetch, not a query per row.
        return super().get_queryset(request).prefetch_related("roles")


@admin.register(ContactRole)
class ContactRoleAdmin(HistoryAdmin):
    list_display = ["shown_name", "code", "shown_description", "position"]
    list_editable = ["position"]
    search_fields = ["name", "code", "description"]
    prepopulated_fields = {"code": ["name"]}

    @admin.display(description=_("name"), ordering="name")
    def shown_name(self, role: ContactRole) -> str:
        # A standard role in the user's language; the form edits the stored name.
        return role.label

    @admin.display(description=_("description"))
    def shown_description(self, role: ContactRole) -> str:
        return role.description_label

    def get_readonly_fields(self, request, obj=None):
        # Sales documents find their contacts by these codes.
        if obj is not None and obj.code in STANDARD_ROLE_CODES:
            return ["code"]
        return []

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and obj.code in STANDARD_ROLE_CODES:
            return {}
        return super().get_prepopulated_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.code in STANDARD_ROLE_CODES:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(ContactFieldSettings)
class ContactFieldSettingsAdmin(HistoryAdmin):
    """One row: the organisation's choice of shown and required contact fields."""

    list_display = ["__str__", "updated_at"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "description": _(
                    "Which optional fields the contact form shows, and which must be "
                    "filled in. First name is always shown and required. A required "
                    "field must be shown. The rule holds everywhere a contact is "
                    "saved: the Contacts tab, the admin and imports."
                ),
                "fields": [
                    ("show_last_name", "require_last_name"),
                    ("show_email", "require_email"),
                    ("show_phone", "require_phone"),
                    ("show_job_title", "require_job_title"),
                    ("show_department", "require_department"),
                    ("created_at", "updated_at"),
                ],
            },
        )
    ]

    def has_add_permission(self, request):
        return (
            super().has_add_permission(request)
            and not ContactFieldSettings.objects.exists()
        )

    def has_delete_permission(self, request, obj=None):
        return False


DETAIL_FIELDS = list(DETAIL_FIELDS)


def _changes(form) -> dict:
    return {name: form.cleaned_data[name] for name in DETAIL_FIELDS}


class ContactDetailInlineFormSet(BaseInlineFormSet):
    """Saves each inline row through the contact services, so the primary flags
    follow the one primary rule whatever the order the admin saves the rows in.

    `warnings` collects what the saved rows warn about (a mobile number as
    Telephone); the customer's admin shows them after the save."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings: list[str] = []

    def _warn(self, detail: ContactDetail) -> ContactDetail:
        if warning := detail.type_warning():
            self.warnings.append(warning)
        return detail

    def save_new(self, form, commit=True):
        return self._warn(
            contact_detail_create(customer=self.instance, **_changes(form))
        )

    def save_existing(self, form, obj, commit=True):
        return self._warn(contact_detail_update(detail=obj, data=_changes(form)))

    def delete_existing(self, obj, commit=True):
        if commit:
            contact_detail_delete(detail=obj)


class ContactDetailInline(LabelledTabularInline):
    model = ContactDetail
    form = PhoneShownFormattedForm
    formset = ContactDetailInlineFormSet
    extra = 0
    fields = [*DETAIL_FIELDS, "is_primary"]
    readonly_fields = ["is_primary"]


@admin.register(ContactDetail)
class ContactDetailAdmin(HistoryAdmin):
    form = PhoneShownFormattedForm
    list_display = ["customer", "kind", "shown_value", "description", "is_primary"]
    list_filter = ["kind", "is_primary"]
    list_select_related = ["customer"]
    search_fields = ["customer__name", "customer__number", "value", "description"]
    autocomplete_fields = ["customer"]
    readonly_fields = ["is_primary", "created_at", "updated_at"]

    @admin.display(description=_("value"), ordering="value")
    def shown_value(self, detail: ContactDetail) -> str:
        return detail.display_value

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
            saved = contact_detail_update(detail=obj, data=_changes(form))
        else:
            saved = contact_detail_create(
                customer=form.cleaned_data["customer"], **_changes(form)
            )
        # The admin reads the saved object back (its pk for the redirect, messages).
        obj.pk, obj.is_primary = saved.pk, saved.is_primary
        if warning := saved.type_warning():
            self.message_user(request, warning, messages.WARNING)

    def delete_model(self, request, obj):
        contact_detail_delete(detail=obj)

    def delete_queryset(self, request, queryset):
        for detail in queryset.select_related("customer"):
            contact_detail_delete(detail=detail)


@admin.register(NotDuplicate)
class NotDuplicateAdmin(HistoryAdmin):
    """The pairs managers marked "Not a duplicate" on the Possible duplicates page.
    Marks are made there; here they can only be read and undone (deleted), after
    which the pair is proposed again if its contacts still look alike."""

    list_display = ["contact_a", "contact_b", "customer", "created_at"]
    list_select_related = ["contact_a", "contact_b", "customer"]
    search_fields = ["customer__name", "customer__number"]
    readonly_fields = ["customer", "contact_a", "contact_b", "created_at"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        not_duplicate_unmark(mark=obj)

    def delete_queryset(self, request, queryset):
        for mark in queryset:
            not_duplicate_unmark(mark=mark)


register_customer_inline(ContactInline)
register_customer_inline(ContactDetailInline)


PERSON_ADMIN_FIELDS = (
    "first_name",
    "last_name",
    "language",
    "personal_email",
    "personal_phone",
)


class PersonContactInline(admin.TabularInline):
    """A person's links, read only: each is changed on its own contact's page."""

    model = Contact
    fields = ["customer", "job_title", "email", "phone", "is_active"]
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    """Who someone is, once; a person comes with their first contact and goes with
    their last, so there is no Add or Delete here."""

    list_display = ["full_name", "personal_email", "updated_at"]
    search_fields = ["first_name", "last_name", "personal_email", "personal_phone"]
    readonly_fields = ["created_at", "updated_at"]
    fields = [
        PERSON_ADMIN_FIELDS[:2],
        "language",
        PERSON_ADMIN_FIELDS[3:],
        ("created_at", "updated_at"),
    ]
    inlines = [PersonContactInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Through the service: a new name shows at every customer of the person.
        # Only the person's own fields (the form's version is the admin's).
        changed = [name for name in form.changed_data if name in PERSON_ADMIN_FIELDS]
        person_update(person=obj, data={name: getattr(obj, name) for name in changed})

    @admin.display(description=_("name"), ordering="first_name")
    def full_name(self, person: Person) -> str:
        return person.full_name
