import functools

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.forms import ModelForm
from customers.models import Address, Customer


class CustomerForm(ModelForm):
    class Meta:
        model = Customer
        fields = ["name", "is_active", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class AddressForm(ModelForm):
    class Meta:
        model = Address
        fields = [
            "kind",
            "street_line_1",
            "street_line_2",
            "postal_code",
            "city",
            "region",
            "country",
        ]


class CountryFilterSelect(forms.Select):
    """The list's country filter: 250 options rendered by joining strings made once
    per language, instead of Django's template per option (about 10 ms a page, most
    of the list's rendering time)."""

    def render(self, name, value, attrs=None, renderer=None):
        attributes = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = f'<option value="{escape(value)}">' if value else None
        options = "".join(
            option.replace(chosen, f"{chosen[:-1]} selected>", 1)
            if chosen and option.startswith(chosen)
            else option
            for option in _country_options(get_language())
        )
        return format_html(
            "<select{}>{}</select>", flatatt(attributes), mark_safe(options)
        )


@functools.lru_cache(maxsize=8)
def _country_options(language: str) -> tuple[str, ...]:
    """`<option value="NL">Netherlands</option>` for "All countries" and every
    country, escaped, in the language's order. Called with the active language
    (get_language()), whose words these are."""
    return tuple(
        f'<option value="{escape(code)}">{escape(label)}</option>'
        for code, label in [("", gettext("All countries")), *countries]
    )


class CustomerListForm(forms.Form):
    """The customer list's search, filters and sort, read from the query string. A
    value that is not one of the choices is ignored (the list shows unfiltered),
    never an error page."""

    ACTIVE_CHOICES = [
        ("", _("Active and inactive")),
        ("yes", _("Active")),
        ("no", _("Inactive")),
    ]

    q = forms.CharField(required=False, max_length=200, label=_("Search"))
    country = forms.ChoiceField(
        required=False,
        label=_("Country"),
        widget=CountryFilterSelect(attrs={"id": "customer-country"}),
    )
    active = forms.ChoiceField(
        required=False, choices=ACTIVE_CHOICES, label=_("Status")
    )
    sort = forms.ChoiceField(required=False)

    def __init__(self, *args, sorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries")), *countries]
        self.fields["sort"].choices = [
            (f"{prefix}{key}", key) for key in sorts for prefix in ("", "-")
        ]

    def value(self, name: str) -> str:
        """The field's cleaned value, or "" when it was not valid."""
        if not self.is_valid() and name in self.errors:
            return ""
        return self.cleaned_data.get(name) or ""

    def filters(self) -> dict:
        active = {"yes": True, "no": False}.get(self.value("active"))
        return {
            "search": self.value("q").strip(),
            "country": self.value("country"),
            "active": active,
        }
