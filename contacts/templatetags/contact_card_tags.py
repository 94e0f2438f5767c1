"""Display helpers for the Contact card: how a stored value is shown and linked."""

from django import template

from contacts.models import ContactDetail
from contacts.validators import format_phone_number

register = template.Library()


@register.filter
def international_phone(value: str) -> str:
    """`+31612345678` shown as `+31 6 12345678`."""
    return format_phone_number(value) if value else ""


@register.filter
def contact_display(detail: ContactDetail) -> str:
    """The value as a person reads it: phone numbers in international format."""
    if detail.kind in ContactDetail.PHONE_KINDS:
        return format_phone_number(detail.value)
    return detail.value


@register.filter
def contact_href(detail: ContactDetail) -> str:
    """The link a detail opens: mailto:, tel: or the website itself."""
    if detail.kind == ContactDetail.Kind.EMAIL:
        return f"mailto:{detail.value}"
    if detail.kind in ContactDetail.PHONE_KINDS:
        return f"tel:{detail.value}"
    return detail.value
