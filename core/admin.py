from django import forms
from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.models import (
    NumberSequence,
    PeriodicJobRun,
    UserPreferences,
    WorkerHeartbeat,
)
from core.services import EditConflict, lock_unchanged


class VersionedAdminForm(forms.ModelForm):
    """An admin form that refuses to save over a row someone changed since the form
    was opened (core.services.lock_unchanged), as the application's forms do.

    The check locks the row and runs last, after the form's own checks (which may
    lock a related row first: a document's contact), inside the transaction in
    which the admin saves, so the row stays as checked until it is saved. Rows that
    come earlier in the product's lock order (docs/architecture.md) are locked
    before the form's checks lock anything, by `lock_first`.
    """

    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = getattr(self.instance, "version", "")

    def lock_first(self) -> None:
        """Lock what comes before this row in the product's lock order; called
        once the fields are read, before the form's own checks. A form of a
        customer's row locks the customer (customers.admin.CustomerRowAdminForm)."""

    def _clean_form(self):
        try:
            self.lock_first()
        except ValidationError as refused:
            self.add_error(None, refused)
            return
        super()._clean_form()

    def _post_clean(self):
        super()._post_clean()
        if self.instance.pk and not self.errors:
            try:
                lock_unchanged(
                    self.instance, version=self.cleaned_data.get("version") or ""
                )
            except EditConflict as conflict:
                self.add_error(
                    None,
                    ValidationError(
                        gettext(
                            "%(conflict)s Reload the page to see the current values."
                        )
                        % {"conflict": conflict.message % (conflict.params or {})},
                        code=conflict.code,
                    ),
                )


class HistoryAdmin(SimpleHistoryAdmin):
    """The admin of a model with history: its history can be read, never reverted,
    and a save over a row that changed since the form opened is refused.

    SIMPLE_HISTORY_REVERT_DISABLED only hides the Revert button; the past version's
    form would still save when posted to. This refuses the post as well, so the
    history stays what happened.
    """

    form = VersionedAdminForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or any(
            "version" in fieldset[1]["fields"] for fieldset in fieldsets
        ):
            return fieldsets
        first, options = fieldsets[0]
        return [
            (first, {**options, "fields": [*options["fields"], "version"]}),
            *fieldsets[1:],
        ]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(
            request, object_id, version_id, extra_context=extra_context
        )


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline whose fields are named for screen readers too: the
    columns' headings do not label the inputs below them, so each input carries its
    field's name (`aria-label`), as axe-core asks (WCAG 1.3.1, 4.1.2). The first
    column's heading, empty in Django's template, gets a name too."""

    template = "admin/edit_inline/tabular_labelled.html"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            _name_for_screen_readers(formfield)
        return formfield

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                if "DELETE" in form.fields:  # the formset's own "Delete?" box
                    _name_for_screen_readers(form.fields["DELETE"])

        return LabelledFormSet


def _name_for_screen_readers(formfield) -> None:
    if not formfield.widget.is_hidden:
        formfield.widget.attrs.setdefault("aria-label", capfirst(formfield.label))


@admin.register(NumberSequence)
class NumberSequenceAdmin(admin.ModelAdmin):
    list_display = ["name", "last_value", "updated_at"]
    readonly_fields = ["name", "last_value", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdminMixin:
    """What the application records for itself: shown, never changed by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["hostname", "pid", "started_at", "last_seen_at"]


@admin.register(PeriodicJobRun)
class PeriodicJobRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "last_started_at", "last_finished_at"]


# Django stores a permission's name in English when it is created; the admin shows it
# in the user's language: the default permissions by their action and model, the
# others by their name, which each model's Meta.permissions marks for translation.
_DEFAULT_PERMISSION_NAMES = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission: Permission) -> str:
    """ "Contacts | contact | Can view contact", in the active language."""
    model = permission.content_type.model_class()
    if model is None:  # the permission of a model since removed
        return str(permission)
    action, _separator, model_name = permission.codename.partition("_")
    if model_name == model._meta.model_name and action in _DEFAULT_PERMISSION_NAMES:
        name = _DEFAULT_PERMISSION_NAMES[action] % {"model": model._meta.verbose_name}
    else:
        name = gettext(permission.name)
    return (
        f"{model._meta.app_config.verbose_name} | {model._meta.verbose_name} | {name}"
    )


class PermissionLabelsMixin:
    """The permissions' select of a user or group, labelled in the user's language."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            formfield.label_from_instance = permission_label
        return formfield


class UserPreferencesInline(admin.StackedInline):
    model = UserPreferences
    can_delete = False
    fields = ["language"]


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(PermissionLabelsMixin, auth_admin.UserAdmin):
    inlines = [UserPreferencesInline]


@admin.register(Group)
class GroupAdmin(PermissionLabelsMixin, auth_admin.GroupAdmin):
    pass
