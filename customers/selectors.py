"""Reading customers: the list (search, filters, sorts, the count, a page) and the
billing address.

The list is built to cost what a page shows, not what the table holds (issue 11,
docs/benchmarks-scale.md):
- every order is served by an index on customers (name, number, and the copies of
  the billing city and country the database keeps on each customer), and the search
  by trigram indexes on PostgreSQL, reached through one IN over a UNION of the three
  searches (an OR across tables cannot use them);
- a page is one query: the page's ids are cut from the ordered, filtered ids in a
  subquery, and only those rows are annotated with the columns other apps contribute
  (customers.list_columns);
- the count is exact up to LIST_CAP rows and stops there; an unfiltered list larger
  than that shows PostgreSQL's estimate of the table's rows ("about 100,000"), which
  costs nothing, instead of counting every row on every view.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from customers.list_columns import ListColumn
from customers.models import Address, Customer

# Rows a list counts exactly and lets a user page through; past them, narrow it.
LIST_CAP = 2_000

# sort key -> the order, each served by an index (see Customer.Meta.indexes).
SORTS = {
    "name": ("name", "number"),
    "number": ("number",),
    "city": ("billing_city", "name", "number"),
    "country": ("billing_country", "name", "number"),
}
_NULLABLE = {"billing_city", "billing_country"}
DEFAULT_SORT = "name"


@dataclass(frozen=True)
class ListCount:
    """How many customers a list has: `value` exactly, or `about` it (an estimate),
    or `more_than` it (the cap)."""

    value: int
    estimated: bool = False
    capped: bool = False


def _order(sort: str) -> list:
    descending = sort.startswith("-")
    fields = SORTS.get(sort.lstrip("-"), SORTS[DEFAULT_SORT])
    return [_direction(field, descending) for field in fields]


def _direction(name: str, descending: bool):
    field = F(name)
    if name in _NULLABLE:
        # Customers without a billing address count as after Z: last going up,
        # first going down, which is the index read forwards or backwards (PostgreSQL
        # puts NULLs last; SQLite is told to).
        return (
            field.desc(nulls_first=True) if descending else field.asc(nulls_last=True)
        )
    return field.desc() if descending else field.asc()


def _search(term: str) -> Q:
    """Customers whose name, number or the city of any of their addresses contains
    the term. One IN over a UNION: each part reads its own trigram index."""
    by_name = Customer.objects.filter(name__icontains=term).values("pk").order_by()
    by_number = Customer.objects.filter(number__icontains=term).values("pk").order_by()
    by_city = (
        Address.objects.filter(city__icontains=term).values("customer_id").order_by()
    )
    return Q(pk__in=by_name.union(by_number, by_city))


def customer_list(
    *, search: str = "", sort: str = DEFAULT_SORT, country: str = "", active=None
) -> QuerySet[Customer]:
    """The customers of the list, filtered and ordered (not yet annotated: a page of
    them is read by customer_list_page)."""
    customers = Customer.objects.all()
    search = search.strip()
    if search:
        customers = customers.filter(_search(search))
    if country:
        customers = customers.filter(billing_country=country)
    if active is not None:
        customers = customers.filter(is_active=active)
    return customers.order_by(*_order(sort))


def customer_list_page(
    customers: QuerySet[Customer],
    *,
    start: int,
    stop: int,
    columns: Sequence[ListColumn] = (),
) -> list[Customer]:
    """Customers start..stop of the list with the contributed columns, in one query."""
    page_ids = customers.values("pk")[start:stop]
    rows = Customer.objects.filter(pk__in=page_ids).annotate(
        **{column.key: column.annotation() for column in columns},
    )
    return list(rows.order_by(*customers.query.order_by))


def customer_list_count(customers: QuerySet[Customer], *, narrowed: bool) -> ListCount:
    """The list's count, one query that reads at most LIST_CAP + 1 index entries."""
    capped = customers.order_by().values("pk")[: LIST_CAP + 1]
    if narrowed or connection.vendor != "postgresql":
        value = capped.count()
        return ListCount(min(value, LIST_CAP), capped=value > LIST_CAP)
    sql, params = capped.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT count(*) FROM ({sql}) AS capped), "
            "(SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass)",
            [*params, Customer._meta.db_table],
        )
        value, estimate = cursor.fetchone()
    if value <= LIST_CAP:
        return ListCount(value)
    # reltuples is as fresh as the last ANALYZE (autovacuum keeps it close): an
    # estimate, and said so on the page.
    return ListCount(max(estimate, value), estimated=True)


def customer_billing_address(*, customer: Customer) -> Address | None:
    return customer.addresses.filter(kind=Address.Kind.BILLING).first()


def customers_with_phone_region() -> QuerySet[Customer]:
    """Customers annotated with their billing country, so that customer_phone_region()
    reads it without a query of its own: for imports and other work on many rows."""
    return Customer.objects.annotate(
        phone_region=Subquery(_billing_address().values("country")[:1])
    )


def _billing_address() -> QuerySet[Address]:
    """The billing address of the customer of the outer query."""
    return Address.objects.filter(customer=OuterRef("pk"), kind=Address.Kind.BILLING)


def customer_phone_region(*, customer: Customer) -> str | None:
    """The country phone numbers of this customer are read by: its billing address's."""
    # Customers read through customers_with_phone_region() carry it already. (Not
    # Customer.billing_country: an instance read before its address changed keeps
    # the old copy, and the address is what the rule names.)
    if hasattr(customer, "phone_region"):
        return customer.phone_region or None
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

    countries = cache.get_or_set(
        BILLING_COUNTRIES_CACHE_KEY, read, BILLING_COUNTRIES_CACHE_SECONDS
    )
    return countries or []
