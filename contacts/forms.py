from collections.abc import Sequence

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.html import format_html
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from contacts.models import (
    CONTACT_PERSON_FIELDS,
    OPTIONAL_CONTACT_FIELDS,
    PERSON_NAME_FIELDS,
    Contact,
    ContactDetail,
    ContactFieldSettings,
    ContactRole,
    Person,
)
from contacts.services.card import DetailInput
from contacts.services.links import PERSON_GONE_MESSAGE
from contacts.services.merge import merge_defaults
from contacts.validators import normalize_phone_number
from core.forms import ModelForm, SummaryError, error_summary, field_errors
from core.phones import format_phone_number
from core.validators import validate_single_line


class PhoneNumberInput(PhoneNumberField):
    """One phone number as a person types it (django-phonenumber-field's form
    field), read with `region`, the country of the customer's billing address, and
    cleaned to E.164. Read and refused by the rule every writer shares
    (`contacts.validators.normalize_phone_number`), so its refusals are ours, in the
    user's language ("one digit too many"), not the library's."""

    def to_python(self, value):
        if value in self.empty_values:
            return self.empty_value
        return normalize_phone_number(str(value), region=self.region)


class ContactForm(ModelForm):
    """A contact person with its roles. Which optional fields show, and which are
    required, is the organisation's choice (ContactFieldSettings); Contact.clean()
    enforces the same choice wherever a contact is saved."""

    phone = PhoneNumberInput(
        label=_("Phone number"),
        required=False,
        max_length=Contact._meta.get_field("phone").max_length,
        # As typed, also when refused (the library's widget would reformat it).
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    roles = forms.ModelMultipleChoiceField(
        label=_("Roles"),
        queryset=ContactRole.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("A contact can have several roles."),
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
            "language",
            "no_notification_emails",
            "is_active",
            "started_on",
            "ended_on",
        ]
        labels = {
            "first_name": _("First name"),
            "last_name": _("Last name"),
            "email": _("Email address"),
            "job_title": _("Job title"),
            "department": _("Department"),
            "language": _("Language of emails"),
            "no_notification_emails": _("No notification emails"),
            "is_active": _("Active"),
            "started_on": _("Contact since"),
            "ended_on": _("Contact until"),
        }
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ended_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(
        self, *args, field_settings: ContactFieldSettings | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        field_settings = field_settings or ContactFieldSettings.load()
        for name in OPTIONAL_CONTACT_FIELDS:
            if name not in self.fields:
                continue
            if name not in field_settings.shown_fields():
                del self.fields[name]
            elif name in field_settings.required_fields():
                self.fields[name].required = True
        if "phone" in self.fields and self.is_bound:
            self.fields["phone"].region = self.instance.phone_region()
        elif "phone" in self.fields and self.instance.phone:
            self.initial["phone"] = format_phone_number(self.instance.phone)
        if "language" in self.fields:
            self.fields["language"].choices = language_choices()


PERSON_FIELD_REFUSED_MESSAGE = _(
    "Every contact needs a %(field)s, and this person has none: add it on their "
    "contact at another customer first."
)


class ExistingPersonContactForm(ContactForm):
    """An existing person made a contact of this customer: the work details
    only. The name and language are the person's (shown, not edited); the view
    puts the person on the form's instance, read from the hidden `person`."""

    person = forms.IntegerField(widget=forms.HiddenInput)

    class Meta(ContactForm.Meta):
        fields = [
            name for name in ContactForm.Meta.fields if name not in PERSON_NAME_FIELDS
        ]

    def add_error(self, field, error):
        # A rule about the name (a last name the organisation requires) is about
        # the person's, which this form does not edit: said so, not "This field is
        # required." without a field.
        if field is None and isinstance(error, ValidationError):
            errors = dict(getattr(error, "error_dict", {}))
            names = [name for name in PERSON_NAME_FIELDS if name in errors]
            if names:
                for name in names:
                    del errors[name]
                errors.setdefault(NON_FIELD_ERRORS, []).extend(
                    ValidationError(
                        PERSON_FIELD_REFUSED_MESSAGE,
                        code="person_field",
                        params={"field": Contact._meta.get_field(name).verbose_name},
                    )
                    for name in names
                )
                error = ValidationError(errors)
        super().add_error(field, error)

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.person_id is None and "person" in cleaned_data:
            # Their last link was removed since the person was picked.
            raise ValidationError(PERSON_GONE_MESSAGE, code="person_gone")
        return cleaned_data


def organisation_language_name() -> str:
    """The organisation's language, named in the user's language ("Dutch")."""
    code = settings.ORGANISATION_LANGUAGE
    names = dict(settings.LANGUAGES)
    if code in names:
        return str(names[code])
    return get_language_info(code)["name_translated"]


def language_choices() -> list[tuple[str, str]]:
    """The contact's language of emails: blank (the organisation's, named) first,
    then each language of the product."""
    blank = gettext("Organisation's language (%(language)s)") % {
        "language": organisation_language_name()
    }
    return [("", blank), *[(code, name) for code, name in settings.LANGUAGES]]


# The window's primary fields carry the card's words: Email Address, Telephone,
# Mobile Phone, Website.
PRIMARY_FIELD_LABELS = dict(ContactDetail.Kind.choices)
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
# More additional rows than a person would ever keep on one card: a window that
# posts more is refused, and never builds more forms than this.
MAX_ADDITIONAL_ROWS = 100
ADDITIONAL_PREFIX = "additional"


class ContactCardPrimaryForm(forms.Form):
    """The primary fields (value and description per kind) and the card's version.

    The forms only check the shape of the input; the rules (formats, primaries) are
    applied by `contacts.services.card.contact_details_update`.
    """

    # The card's version when the window opened (contact_card_version); any text:
    # one missing or unreadable is refused by the service like a stale one.
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for kind, label in PRIMARY_FIELD_LABELS.items():
            self.fields[kind] = forms.CharField(
                label=label,
                required=False,
                max_length=VALUE_MAX_LENGTH,
                validators=[validate_single_line],
                widget=forms.TextInput(attrs=PRIMARY_FIELD_ATTRS[kind]),
            )
            self.fields[f"{kind}_description"] = forms.CharField(
                # Seen as "Description" beside its field; heard as "Description of
                # Email Address".
                label=format_html(
                    '{description}<span class="visually-hidden"> {of_kind}</span>',
                    description=gettext("Description"),
                    of_kind=gettext("of %(kind)s") % {"kind": label},
                ),
                required=False,
                max_length=DESCRIPTION_MAX_LENGTH,
                validators=[validate_single_line],
            )

    def kind_rows(self):
        """(value field, description field) per kind, for the template."""
        return [
            (self[kind], self[f"{kind}_description"]) for kind in PRIMARY_FIELD_LABELS
        ]


class AdditionalDetailForm(forms.Form):
    """One row under "Additional contact details"."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Type"), choices=ContactDetail.Kind.choices)
    value = forms.CharField(
        label=_("Value"),
        required=False,
        max_length=VALUE_MAX_LENGTH,
        validators=[validate_single_line],
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[validate_single_line],
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


class BaseAdditionalDetailFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove")

    def clean(self):
        super().clean()
        # A negative count would read as "no rows": every additional detail removed.
        if self.management_form.cleaned_data.get("TOTAL_FORMS", 0) < 0:
            raise ValidationError(
                _("The window's rows could not be read. Open it again and retry."),
                code="invalid_row_count",
            )


AdditionalDetailFormSet = forms.formset_factory(
    AdditionalDetailForm,
    formset=BaseAdditionalDetailFormSet,
    extra=0,
    can_delete=True,
    # absolute_max: however many rows the management form claims, no more forms
    # are built (a forged count cannot make the window render millions of rows).
    max_num=MAX_ADDITIONAL_ROWS,
    absolute_max=MAX_ADDITIONAL_ROWS,
    validate_max=True,
)


class ContactCardWindow:
    """The editing window of the Contact card: the primary fields and the rows of
    additional details, as one form. It checks the shape of the input, hands the
    rows to the service (`inputs`) and puts the service's errors back at the fields
    they are about (`add_service_errors`)."""

    def __init__(self, *, card=None, version: str = "0", data=None):
        if data is not None and "add_row" in data:
            # Without JavaScript, Add comes here: the same window, one row more.
            data = data.copy()
            total = f"{ADDITIONAL_PREFIX}-TOTAL_FORMS"
            count = data.get(total, "")
            # ASCII digits only: str.isdigit() also takes "²", which int() refuses.
            if count.isascii() and count.isdigit():
                data[total] = str(int(count) + 1)
        self.adds_row = data is not None and "add_row" in data
        self.form = ContactCardPrimaryForm(
            data=data, initial=None if data else self._initial(card, version)
        )
        self.formset = AdditionalDetailFormSet(
            data=data,
            prefix=ADDITIONAL_PREFIX,
            initial=None if data else self._initial_rows(card),
        )

    @staticmethod
    def _initial(card, version: str) -> dict:
        initial = {"version": version}
        for row in card.primaries if card else ():
            if row.detail is not None:
                initial[row.kind] = row.detail.display_value
                initial[f"{row.kind}_description"] = row.detail.description
        return initial

    @staticmethod
    def _initial_rows(card) -> list[dict]:
        return [
            {
                "id": detail.pk,
                "kind": detail.kind,
                "value": detail.display_value,
                "description": detail.description,
            }
            for detail in (card.additional if card else ())
        ]

    def is_valid(self) -> bool:
        # Both, so each shows its own errors.
        return all([self.form.is_valid(), self.formset.is_valid()])

    def error_summary(self) -> list[SummaryError]:
        """Every error of the window in the order of its fields, for the summary at
        its top; each names and links to its field."""
        if not self.form.is_bound:
            return []
        summary = error_summary(self.form)
        summary += [
            SummaryError("", message) for message in self.formset.non_form_errors()
        ]
        for number, row in enumerate(self.formset.forms, start=1):
            summary += [SummaryError("", message) for message in row.non_field_errors()]
            summary += field_errors(
                row, gettext("Additional detail %(number)s") % {"number": number}
            )
        return summary

    def focus_first_error(self) -> None:
        """Give the first field with an error the focus when the window opens (the
        HTML `autofocus`: with or without JavaScript, in the dialog or the page). A
        row added without JavaScript gets it on its first field instead."""
        fields = [self.form[name] for name in self.form.fields]
        for row in self.formset.forms:
            fields += [row[name] for name in ("kind", "value", "description")]
        invalid = [field for field in fields if field.errors]
        if invalid:
            target = invalid[0]
        elif self.adds_row and self.formset.forms:
            target = self.formset.forms[-1]["kind"]
        else:
            return
        target.field.widget.attrs["autofocus"] = True

    @property
    def version(self) -> str:
        return self.form.cleaned_data["version"]

    def _rows(self) -> list[AdditionalDetailForm]:
        """The row forms to save: removed and blank rows left out."""
        return [
            form
            for form in self.formset.forms
            if not self.formset._should_delete_form(form) and not form.is_blank()
        ]

    def primary_inputs(self) -> dict[str, DetailInput]:
        data = self.form.cleaned_data
        return {
            kind: DetailInput(
                kind=kind, value=data[kind], description=data[f"{kind}_description"]
            )
            for kind in PRIMARY_FIELD_LABELS
        }

    def typed_values(self) -> list[tuple[str, str]]:
        """(kind, value) of every value in the window, as typed: what the duplicate
        warning reads."""
        return [
            (row.kind, row.value)
            for row in [*self.primary_inputs().values(), *self.additional_inputs()]
            if row.value.strip()
        ]

    def additional_inputs(self) -> list[DetailInput]:
        return [
            DetailInput(
                pk=form.cleaned_data["id"],
                kind=form.cleaned_data["kind"],
                value=form.cleaned_data["value"],
                description=form.cleaned_data["description"],
            )
            for form in self._rows()
        ]

    def add_service_errors(self, error: ValidationError) -> None:
        """The service keys its errors by row (`primary.<kind>.<field>`,
        `additional.<index>.<field>`); each goes to the field it is about."""
        rows = self._rows()
        for key, messages in error.message_dict.items():
            part, row, field = key.split(".")
            if part == "primary":
                name = row if field == "value" else f"{row}_{field}"
                self.form.add_error(name, messages)
            else:
                rows[int(row)].add_error(field, messages)


# How the merge preview shows a value of these fields (else as stored).
_MERGE_SHOWN = {
    "phone": format_phone_number,
    "language": lambda code: str(dict(settings.LANGUAGES).get(code, code)),
}


class ContactMergeForm(forms.Form):
    """The merge preview: for each field on which the two contacts differ, which
    contact's value stays (defaults: contacts.services.merge.merge_defaults), and the
    two contacts' versions when the preview was opened."""

    KEEP, MERGE_AWAY = "keep", "merge_away"

    # Not required: a preview posted without them is refused as stale by the merge.
    keep_version = forms.CharField(required=False, widget=forms.HiddenInput)
    merge_away_version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, keep: Contact, merge_away: Contact, **kwargs):
        super().__init__(*args, **kwargs)
        self.keep, self.merge_away = keep, merge_away
        self.fields["keep_version"].initial = keep.version
        self.fields["merge_away_version"].initial = merge_away.version
        defaults = merge_defaults(keep=keep, merge_away=merge_away)
        for name in CONTACT_PERSON_FIELDS:
            kept, other = getattr(keep, name), getattr(merge_away, name)
            if kept == other:
                continue
            shown = _MERGE_SHOWN.get(name, str)
            self.fields[name] = forms.ChoiceField(
                label=str(Contact._meta.get_field(name).verbose_name).capitalize(),
                choices=[
                    (self.KEEP, shown(kept) or gettext("(empty)")),
                    (self.MERGE_AWAY, shown(other) or gettext("(empty)")),
                ],
                initial=self.KEEP if defaults[name] == kept else self.MERGE_AWAY,
                widget=forms.RadioSelect,
            )

    def choice_fields(self):
        return [self[name] for name in CONTACT_PERSON_FIELDS if name in self.fields]

    def chosen_values(self) -> dict[str, str]:
        """The value that stays, by field, for the fields the user chose on."""
        return {
            name: getattr(
                self.keep if self.cleaned_data[name] == self.KEEP else self.merge_away,
                name,
            )
            for name in CONTACT_PERSON_FIELDS
            if name in self.fields
        }


class SamePersonLinkForm(forms.Form):
    """Link as one person: whose name (and language) stays. The default is the
    person with more customers, then the one recorded first, as the merge preview
    keeps the established value."""

    keep = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, persons: Sequence[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.persons = {person.pk: person for person in persons}
        self.fields["keep"].label = gettext("Whose name and language stay")
        self.fields["keep"].choices = [
            (person.pk, person.full_name) for person in persons
        ]
        self.fields["keep"].initial = persons[0].pk

    def kept_and_joined(self) -> tuple[Person, Person]:
        keep = self.persons[self.cleaned_data["keep"]]
        [join] = [person for pk, person in self.persons.items() if pk != keep.pk]
        return keep, join
