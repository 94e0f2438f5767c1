from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class ModelForm(forms.ModelForm):
    """The project's model form: labels sit above their fields, without a colon.

    A model's rules check every field, also those a form does not show (a contact
    field the organisation hides, a document's snapshot of its contact, a value a
    service fills in): an error about such a field is shown above the form, never a
    crash (Django's `add_error` raises for a field the form lacks).
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

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
