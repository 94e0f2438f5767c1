from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from contacts.models import (
    OPTIONAL_CONTACT_FIELDS,
    Contact,
    ContactDetail,
    ContactFieldSettings,
    ContactRole,
)
from contacts.services import DetailInput
from core.forms import ModelForm
from core.phones import format_phone_number


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


PRIMARY_FIELD_LABELS = {
    ContactDetail.Kind.EMAIL: "Email",
    ContactDetail.Kind.TELEPHONE: "Telephone",
    ContactDetail.Kind.MOBILE: "Mobile",
    ContactDetail.Kind.WEBSITE: "Website",
}
# Plain text inputs: the browser's own checks (type=email, type=url) would stop a
# value before the server can say at its field what is wrong with it.
PRIMARY_FIELD_ATTRS = {
    ContactDetail.Kind.EMAIL: {"inputmode": "email", "autocomplete": "off"},
    ContactDetail.Kind.TELEPHONE: {"type": "tel", "autocomplete": "off"},
    ContactDetail.Kind.MOBILE: {"type": "tel", "autocomplete": "off"},
    ContactDetail.Kind.WEBSITE: {"inputmode": "url", "autocomplete": "off"},
}
VALUE_MAX_LENGTH = ContactDetail._meta.get_field("value").max_length
DESCRIPTION_MAX_LENGTH = ContactDetail._meta.get_field("description").max_length


def shown_value(kind: str, value: str) -> str:
    """A stored value as the window shows it: phone numbers in international format."""
    if kind in ContactDetail.PHONE_KINDS:
        return format_phone_number(value)
    return value


class ContactCardPrimaryForm(forms.Form):
    """The primary fields (value and description per kind) and the card's version.

    The forms only check the shape of the input; the rules (formats, primaries) are
    applied by `contacts.services.contact_details_update`, whose errors the view puts
    back at these fields.
    """

    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for kind, label in PRIMARY_FIELD_LABELS.items():
            self.fields[kind] = forms.CharField(
                label=label,
                required=False,
                max_length=VALUE_MAX_LENGTH,
                widget=forms.TextInput(attrs=PRIMARY_FIELD_ATTRS[kind]),
            )
            self.fields[f"{kind}_description"] = forms.CharField(
                label=f"{label} description",
                required=False,
                max_length=DESCRIPTION_MAX_LENGTH,
            )

    @classmethod
    def initial_from(cls, card) -> dict[str, str]:
        initial = {"version": card.version}
        for row in card.primaries:
            if row.detail is not None:
                initial[row.kind] = shown_value(row.kind, row.detail.value)
                initial[f"{row.kind}_description"] = row.detail.description
        return initial

    def kind_rows(self):
        """(value field, description field) per kind, for the template."""
        return [
            (self[kind], self[f"{kind}_description"]) for kind in PRIMARY_FIELD_LABELS
        ]

    def inputs(self) -> dict[str, DetailInput]:
        return {
            kind: DetailInput(
                kind=kind,
                value=self.cleaned_data[kind],
                description=self.cleaned_data[f"{kind}_description"],
            )
            for kind in PRIMARY_FIELD_LABELS
        }


class AdditionalDetailForm(forms.Form):
    """One row under "Additional contact details"."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="Kind", choices=ContactDetail.Kind.choices)
    value = forms.CharField(label="Value", required=False, max_length=VALUE_MAX_LENGTH)
    description = forms.CharField(
        label="Description", required=False, max_length=DESCRIPTION_MAX_LENGTH
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def is_blank(self) -> bool:
        """A new row left empty: ignored, like a row never added."""
        data = self.cleaned_data
        return (
            not data.get("id") and not data.get("value") and not data.get("description")
        )

    def input(self) -> DetailInput:
        return DetailInput(
            pk=self.cleaned_data["id"],
            kind=self.cleaned_data["kind"],
            value=self.cleaned_data["value"],
            description=self.cleaned_data["description"],
        )


class BaseAdditionalDetailFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = "Remove"

    @classmethod
    def initial_from(cls, card) -> list[dict]:
        return [
            {
                "id": detail.pk,
                "kind": detail.kind,
                "value": shown_value(detail.kind, detail.value),
                "description": detail.description,
            }
            for detail in card.additional
        ]

    def rows(self) -> list[tuple[AdditionalDetailForm, DetailInput]]:
        """The rows to save, each with its form: removed and blank rows left out."""
        return [
            (form, form.input())
            for form in self.forms
            if not self._should_delete_form(form) and not form.is_blank()
        ]


AdditionalDetailFormSet = forms.formset_factory(
    AdditionalDetailForm,
    formset=BaseAdditionalDetailFormSet,
    extra=0,
    can_delete=True,
)
ADDITIONAL_PREFIX = "additional"
