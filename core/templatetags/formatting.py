"""Filters that format a value for the page; none of them reads the database."""

from django import template

from core.phones import format_phone_number

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """A stored E.164 number in international format: `+31 6 12345678`."""
    return format_phone_number(value)
