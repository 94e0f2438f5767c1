"""How a contact detail is shown and linked on the Contact card."""

from django import template

from contacts.models import ContactDetail
from core.phones import format_phone_number

register = template.Library()


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
