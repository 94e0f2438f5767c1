"""Reading customers: the list (search, filters, sorts, the count, a page) and the
billing address.

The list is built to cost what a page shows, not what the table holds (issue 11,
docs/benchmarks-scale.md):
- every order is served by an index (name and number on customers, city and country
  on the billing addresses), and the search by trigram indexes on PostgreSQL, reached
  through one IN over a UNION of the three searches (an OR across tables cannot use
  them);
- a page is one query: the page's ids are cut from the ordered, filtered ids in a
  subquery, and only those rows are joined to their billing address and annotated
  with the columns other apps contribute (customers.list_columns);
- the count is exact up to LIST_CAP rows and stops there; an unfiltered list larger
  than that shows PostgreSQL's estimate of the table's rows ("about 100,000"), which
  costs nothing, instead of counting every row on every view.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import F, FilteredRelation, OuterRef, Q, QuerySet, Subquery

from customers.list_columns import ListColumn
from customers.models import Address, Customer

# Rows a list counts exactly and lets a user page through; past them, narrow it.
LIST_CAP = 10_000

# sort key -> the order, each served by an index (see the models' Meta.indexes).
_BILLING = "billing"
SORTS = {
    "name": ("name", "number"),
    "number": ("number",),
    "city": (f"{_BILLING}__city", "name", "number"),
    "country": (f"{_BILLING}__country", "name", "number"),
}
DEFAULT_SORT = "name"


@dataclass(frozen=True)
class ListCount:
    """How many customers a list has: `value` exactly, or `about` it (an estimate),
    or `more_than` it (the cap)."""

    value: int
    estimated: bool = False
    capped: bool = False


def _with_billing(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    # A LEFT JOIN to the billing address (at most one: a unique constraint).
    return customers.alias(
        **{
            _BILLING: FilteredRelation(
                "addresses", condition=Q(addresses__kind="billing")
            )
        }
    )


def _order(sort: str) -> list:
    descending = sort.startswith("-")
    fields = SORTS.get(sort.lstrip("-"), SORTS[DEFAULT_SORT])
    return [_direction(F(field), descending) for field in fields]


def _direction(field: F, descending: bool):
    if field.name.startswith(f"{_BILLING}__"):
        # Customers without a billing address come last either way.
        return field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
    # Not for name and number (never NULL): DESC NULLS LAST is not what the index
    # read backwards gives, and PostgreSQL would sort the whole table instead.
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
    customers = _with_billing(Customer.objects.all())
    search = search.strip()
    if search:
        customers = customers.filter(_search(search))
    if country:
        customers = customers.filter(**{f"{_BILLING}__country": country})
    if active is not None:
        customers = customers.filter(is_active=active)
    return customers.order_by(*_order(sort))


def customer_list_page(
    customers: QuerySet[Customer],
    *,
    start: int,
    stop: int,
    columns: list[ListColumn] = (),
) -> list[Customer]:
    """Customers start..stop of the list, each with its billing city and country and
    the contributed columns, in one query."""
    page_ids = customers.values("pk")[start:stop]
    rows = _with_billing(Customer.objects.filter(pk__in=page_ids)).annotate(
        billing_city=F(f"{_BILLING}__city"),
        billing_country=F(f"{_BILLING}__country"),
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
