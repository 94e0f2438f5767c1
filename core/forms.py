from dataclasses import dataclass

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext


class ModelForm(forms.ModelForm):
    """The project's model form: labels sit above their fields, without a colon.

    A model's rules check every field, also those a form does not show (a contact
    field the organisation hides, a document's snapshot of its contact, a value a
    service fills in): an error about such a field is shown above the form, never a
    crash (Django's `add_error` raises for a field the form lacks).
    """

    # The row's version when the form was opened (TimeStampedModel.version); the
    # services refuse a save based on a row that changed since (lock_unchanged).
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = getattr(self.instance, "version", "")

    def model_data(self) -> dict:
        """The cleaned values of the model's fields, for a service."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "version"
        }

    def opened_version(self) -> str | None:
        """The version the form was opened on; None for a new row. A form of a
        stored row posted without one gives "", which no row's version is."""
        if not self.instance.pk:
            return None
        return self.cleaned_data.get("version") or ""

    def add_error(self, field, error):
        if field is None and (isinstance(error, dict) or hasattr(error, "error_dict")):
            errors = {}
            for name, messages in ValidationError(error).error_dict.items():
                if name in self._errors and name != NON_FIELD_ERRORS:
                    # Refused already by the form field (a required field left
                    # empty): the model's same verdict would show twice.
                    continue
                key = name if name in self.fields else NON_FIELD_ERRORS
                errors.setdefault(key, []).extend(messages)
            if not errors:
                return
            error = errors
        elif field is not None and field not in self.fields:
            field = None
        super().add_error(field, error)


@dataclass(frozen=True)
class SummaryError:
    """One line of a form's error summary: the field it is about (its label and id;
    none for an error about the whole form) and what is wrong."""

    label: str
    message: str
    field_id: str = ""


def error_summary(form: forms.BaseForm) -> list[SummaryError]:
    """Every error of a bound form, those about the whole form first, then each
    field's in the order of the fields: the summary above a refused form."""
    if not form.is_bound:
        return []
    summary = [SummaryError("", message) for message in form.non_field_errors()]
    return summary + field_errors(form, "")


def field_errors(form: forms.BaseForm, row_label: str) -> list[SummaryError]:
    """The errors of the form's fields, each labelled by its field (and the row it
    is in, for a form of a formset)."""
    summary = []
    for name in form.fields:
        field = form[name]
        label = strip_tags(str(field.label))
        if row_label:
            label = gettext("%(row)s, %(field)s") % {"row": row_label, "field": label}
        summary += [
            SummaryError(label, message, field.id_for_label) for message in field.errors
        ]
    return summary
