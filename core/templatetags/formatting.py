"""Filters that format a value for the page; none of them reads the database."""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from core.phones import format_phone_number

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """A stored E.164 number in international format: `+31 6 12345678`."""
    return format_phone_number(value)


# Where a long address may break: before each period and the @ sign, after a slash.
_BREAK_POINTS = re.compile(r"(?=[.@])|(?<=/)")


@register.filter
def wrappable(value: str) -> str:
    """The value with line-break opportunities (<wbr>) at its natural points, so a
    long email address or website wraps as `anna.peeters` / `@fjord-systems` /
    `.example.com` in a narrow column instead of in the middle of a word."""
    if not value:
        return ""
    parts = _BREAK_POINTS.split(str(value))
    return mark_safe("<wbr>".join(escape(part) for part in parts if part))


@register.filter
def phone_link(value: str) -> str:
    """A stored E.164 number as a tel: link in international format, kept on one
    line (.phone): every phone number the pages show goes through here."""
    if not value:
        return ""
    return format_html(
        '<a class="phone" href="tel:{}">{}</a>', value, format_phone_number(value)
    )


@register.filter
def email_link(value: str) -> str:
    """An email address as a mailto: link that wraps at its natural points: every
    email address the pages show goes through here."""
    if not value:
        return ""
    return format_html('<a href="mailto:{}">{}</a>', value, wrappable(value))
