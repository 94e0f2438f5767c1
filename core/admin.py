from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.text import capfirst
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


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline whose fields are named for screen readers too: the
    columns' headings do not label the inputs below them, so each input carries its
    field's name (`aria-label`), as axe-core asks (WCAG 1.3.1, 4.1.2)."""

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
