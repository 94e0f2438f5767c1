"""Columns that other apps contribute to the customer list.

`customers` knows nothing of the apps above it (contacts, sales); an app that has
something to show of each customer in the list registers a ListColumn in its
`AppConfig.ready()`. A column is an annotation on the list's page query (a subquery,
so the page stays one query whatever the columns) and a function that turns the
annotated value into the cell (text, escaped; or safe HTML such as a link).

    register_customer_list_column(ListColumn(
        key="primary_email",
        label=gettext_lazy("Email"),   # translated when shown
        annotation=lambda: Subquery(...),   # built on first use, models loaded
        display=email_link,   # core.templatetags.formatting: a mailto: link
        permission="contacts.view_contactdetail",
    ))
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Expression


@dataclass(frozen=True)
class ListColumn:
    key: str  # the annotation's name; unique
    label: str  # the column's header; translated when shown: gettext_lazy("…")
    annotation: Callable[[], Expression]  # evaluated for the page's customers only
    display: Callable[[Any], str] = str  # the cell from the annotated value
    permission: str = ""  # shown only to users with this permission

    def cell(self, customer) -> str:
        value = getattr(customer, self.key)
        if value in (None, ""):
            return ""
        return self.display(value)


LIST_COLUMNS: list[ListColumn] = []


def register_customer_list_column(column: ListColumn) -> None:
    if any(existing.key == column.key for existing in LIST_COLUMNS):
        raise ValueError(f"A customer list column {column.key!r} is registered.")
    LIST_COLUMNS.append(column)


def list_columns_for(user) -> list[ListColumn]:
    return [
        column
        for column in LIST_COLUMNS
        if not column.permission or user.has_perm(column.permission)
    ]
