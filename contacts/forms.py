from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from contacts.models import (
    OPTIONAL_CONTACT_FIELDS,
    Contact,
    ContactFieldSettings,
    ContactRole,
)
from contacts.validators import format_phone_number
from core.forms import ModelForm


class ContactForm(ModelForm):
    """A contact person with its roles. Which optional fields show, and which are
    required, is the organisation's choice (ContactFieldSettings); Contact.clean()
    enforces the same choice wherever a contact is saved."""

    roles = forms.ModelMultipleChoiceField(
        label="Roles",
        queryset=ContactRole.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="A contact can have several roles.",
    )

    class Meta:
        model = Contact
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "job_title",
            "department",
            "roles",
        ]
        labels = {
            "first_name": "First name",
            "last_name": "Last name",
            "email": "Email address",
            "phone": "Phone number",
            "job_title": "Job title",
            "department": "Department",
        }
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def __init__(
        self, *args, field_settings: ContactFieldSettings | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        field_settings = field_settings or ContactFieldSettings.load()
        for name in OPTIONAL_CONTACT_FIELDS:
            if name not in field_settings.shown_fields():
                del self.fields[name]
            elif name in field_settings.required_fields():
                self.fields[name].required = True
        if "phone" in self.fields and self.instance.phone and not self.is_bound:
            self.initial["phone"] = format_phone_number(self.instance.phone)

    def add_error(self, field, error):
        # Contact.clean() checks every field, also those this organisation hides:
        # an error about a hidden field is shown above the form, never a crash.
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
