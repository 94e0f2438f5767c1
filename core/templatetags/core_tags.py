from django import template
from django_countries import countries

from core import forms

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    """The country's name for a country code read from an annotation."""
    return countries.name(code) if code else ""


@register.filter
def error_summary(form) -> list[forms.SummaryError]:
    """The errors of a refused form, for the summary above it."""
    return forms.error_summary(form)


@register.filter
def has_required_fields(form) -> bool:
    """Whether the form asks for a field it cannot do without (the note on marks)."""
    return any(field.field.required for field in form.visible_fields())
