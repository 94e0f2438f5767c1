from contacts.models import ContactDetail
from customers.models import Customer


def customer_primary_details(*, customer: Customer) -> dict[str, ContactDetail | None]:
    """The customer's primary email, telephone, mobile and website, by kind (None
    where the customer has none). Communications use these by default."""
    primaries = {kind: None for kind in ContactDetail.Kind.values}
    for detail in ContactDetail.objects.filter(customer=customer, is_primary=True):
        primaries[detail.kind] = detail
    return primaries
