from django import template
from django_countries import countries

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    """The country's name for a country code read from an annotation."""
    return countries.name(code) if code else ""
