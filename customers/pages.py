"""A customer's pages: their tabs and the panels other apps contribute to them.

`customers` owns the customer page but knows nothing of the apps above it. An app that
has something to show there registers it from its `AppConfig.ready()`, the way the
admin registers models:

    customer_pages.register_tab(CustomerTab(key="contacts", …))
    customer_pages.register_panel(CustomerPanel(page="overview", …))

The views of those apps are pages of the customer too: they use `CustomerPageMixin`,
which checks the permission (403), loads the customer (404) and puts the customer, its
tabs and the panels of the page in the context.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from core.views import ParentScopedMixin
from customers.models import Customer


@dataclass(frozen=True)
class CustomerTab:
    key: str  # the `active_tab` of its pages
    label: str  # translated when shown: give gettext_lazy("…")
    url_name: str  # reversed with the customer's pk
    permissions: tuple[str, ...]  # the user needs all of them to see the tab
    position: int


@dataclass(frozen=True)
class CustomerPanel:
    """A box on one of the customer's pages (`page` is a tab's key).

    `context` reads what the panel shows; it returns None when the panel is not for
    this user (no permission), else the template's context.
    """

    key: str
    page: str
    template_name: str
    context: Callable[[HttpRequest, Customer], dict | None]
    position: int


@dataclass(frozen=True)
class ShownTab:
    key: str
    label: str
    url: str


class CustomerPages:
    def __init__(self):
        self._tabs: dict[str, CustomerTab] = {}
        self._panels: dict[str, CustomerPanel] = {}

    def register_tab(self, tab: CustomerTab) -> None:
        self._tabs[tab.key] = tab

    def register_panel(self, panel: CustomerPanel) -> None:
        self._panels[panel.key] = panel

    def tabs(self, request: HttpRequest, customer: Customer) -> list[ShownTab]:
        """The tabs this user may open, in order."""
        return [
            ShownTab(tab.key, tab.label, reverse(tab.url_name, args=[customer.pk]))
            for tab in sorted(self._tabs.values(), key=lambda tab: tab.position)
            if request.user.has_perms(tab.permissions)
        ]

    def panels(
        self,
        page: str,
        request: HttpRequest,
        customer: Customer,
        *,
        before: int | None = None,
        after: int | None = None,
    ) -> list[SafeString]:
        """The page's panels this user may see, rendered in order; with `before` or
        `after`, only those positioned below or above it."""
        rendered = []
        for panel in sorted(self._panels.values(), key=lambda panel: panel.position):
            if panel.page != page:
                continue
            if before is not None and panel.position >= before:
                continue
            if after is not None and panel.position <= after:
                continue
            context = panel.context(request, customer)
            if context is not None:
                context.setdefault("customer", customer)
                rendered.append(
                    render_to_string(panel.template_name, context, request=request)
                )
        return rendered


customer_pages = CustomerPages()


class CustomerPageMixin(ParentScopedMixin):
    """A page of one customer, under /customers/<customer_pk>/, with the customer's
    tabs (`active_tab` marked). A tab's own page adds the panels registered for it:
    `customer_pages.panels(...)`."""

    parent_model = Customer
    parent_url_kwarg = "customer_pk"
    active_tab = ""

    @property
    def customer(self) -> Customer:
        return self.parent

    def get_context_data(self, **kwargs):
        kwargs.setdefault("customer", self.customer)
        kwargs.setdefault("active_tab", self.active_tab)
        kwargs["customer_tabs"] = customer_pages.tabs(self.request, self.customer)
        return super().get_context_data(**kwargs)
