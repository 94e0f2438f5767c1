from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
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


# The first column's heading of Django's tabular inline, left empty by Django.
_EMPTY_ORIGINAL_HEADING = '<th class="original"></th>'


@register.filter
def name_original_column(html: SafeString) -> SafeString:
    """Django's tabular inline (admin/edit_inline/tabular_labelled.html) with a
    heading for screen readers in its first column."""
    heading = format_html(
        '<th class="original"><span class="visually-hidden">{}</span></th>',
        gettext("Saved row"),
    )
    return mark_safe(html.replace(_EMPTY_ORIGINAL_HEADING, heading, 1))  # noqa: S308
