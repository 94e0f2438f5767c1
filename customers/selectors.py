from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from customers.models import Address, Customer


def customer_list(*, search: str = "") -> QuerySet[Customer]:
    """Customers sorted by name, each annotated with its billing city and country, in
    one query whatever the page size."""
    customers = customers_with_phone_region().annotate(
        billing_city=Subquery(_billing_address().values("city")[:1])
    )
    search = search.strip()
    if search:
        city_matches = Address.objects.filter(
            customer=OuterRef("pk"), city__icontains=search
        )
        customers = customers.filter(
            Q(name__icontains=search)
            | Q(number__icontains=search)
            | Exists(city_matches)
        )
    return customers.order_by("name", "number")


def customer_billing_address(*, customer: Customer) -> Address | None:
    return customer.addresses.filter(kind=Address.Kind.BILLING).first()


def customers_with_phone_region() -> QuerySet[Customer]:
    """Customers annotated with their billing country, so that customer_phone_region()
    reads it without a query of its own: for imports and other work on many rows."""
    return Customer.objects.annotate(
        billing_country=Subquery(_billing_address().values("country")[:1])
    )


def _billing_address() -> QuerySet[Address]:
    """The billing address of the customer of the outer query."""
    return Address.objects.filter(customer=OuterRef("pk"), kind=Address.Kind.BILLING)


def customer_phone_region(*, customer: Customer) -> str | None:
    """The country phone numbers of this customer are read by: its billing address's."""
    # Customers read through customer_list() or customers_with_phone_region() carry
    # their billing country already.
    if hasattr(customer, "billing_country"):
        return customer.billing_country or None
    return (
        Address.objects.filter(customer=customer, kind=Address.Kind.BILLING)
        .values_list("country", flat=True)
        .first()
    )


BILLING_COUNTRIES_CACHE_KEY = "customers:billing_countries"
# A country's first billing address is read by the phone search within this time.
BILLING_COUNTRIES_CACHE_SECONDS = 300


def billing_countries() -> list[str]:
    """The distinct countries of the billing addresses: the countries a national
    phone number typed into the header search is read in. Cached (shared by the
    workers with Redis), since it changes only when a customer in a new country
    arrives; one query when it is not."""

    def read() -> list[str]:
        return sorted(
            Address.objects.filter(kind=Address.Kind.BILLING)
            .exclude(country="")
            .order_by()
            .values_list("country", flat=True)
            .distinct()
        )

    return cache.get_or_set(
        BILLING_COUNTRIES_CACHE_KEY, read, BILLING_COUNTRIES_CACHE_SECONDS
    )
