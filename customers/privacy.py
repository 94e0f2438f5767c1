"""Customers are organisations: their names, notes and addresses are the business's,
not a person's (core.privacy). A sole trader's name is the customer's name and stays
with the customer's invoices."""

from core.privacy import personal_data


def register_personal_data() -> None:
    for model in ("customers.Customer", "customers.Address"):
        personal_data.declare_not_personal(
            model, why="an organisation's name, notes and addresses"
        )
