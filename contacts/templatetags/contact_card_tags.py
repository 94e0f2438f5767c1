"""How a contact detail is shown and linked on the Contact card."""

from django import template

from contacts.models import ContactDetail

register = template.Library()


@register.filter
def contact_href(detail: ContactDetail) -> str:
    """The link a detail opens: mailto:, tel: or the website itself."""
    if detail.kind == ContactDetail.Kind.EMAIL:
        return f"mailto:{detail.value}"
    if detail.kind in ContactDetail.PHONE_KINDS:
        return f"tel:{detail.value}"
    return detail.value
