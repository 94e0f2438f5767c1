"""The sales fixtures (a customer, Ivy with the Invoice role) serve these tests too."""

from tests.sales.conftest import customer, ivy  # noqa: F401
