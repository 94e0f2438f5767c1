"""Adapters that let an include fetch what it shows through the sales selectors, so
the page that includes it needs one line and no change to its view."""

from django import template

from sales import selectors

register = template.Library()


@register.simple_tag
def customer_documents(customer):
    """`{% customer_documents customer as sections %}`."""
    return selectors.customer_documents(customer=customer)


@register.simple_tag
def customer_who_receives_what(customer):
    """`{% customer_who_receives_what customer as rows %}`."""
    return selectors.customer_who_receives_what(customer=customer)


@register.filter
def can_view_kind(user, kind) -> bool:
    return user.has_perm(f"sales.view_{kind._meta.model_name}")


@register.filter
def can_add_kind(user, kind) -> bool:
    return user.has_perm(f"sales.add_{kind._meta.model_name}")
