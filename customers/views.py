from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.forms import Form
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import (
    CreateView,
    DeleteView,
    ListView,
    TemplateView,
    UpdateView,
)

from core.views import ServiceFormMixin
from customers import selectors, services
from customers.forms import AddressForm, CustomerForm, CustomerListForm
from customers.list_columns import list_columns_for
from customers.models import Address, Customer
from customers.pages import CustomerPageMixin, customer_pages


class CustomerListView(PermissionRequiredMixin, TemplateView):
    """Sales → Customers: search, filter, sort and page through the customers, with
    the columns other apps contribute (customers.list_columns). Costs one query for
    the count and one for the page, whatever the number of customers."""

    permission_required = "customers.view_customer"
    raise_exception = True
    paginate_by = 25
    template_name = "customers/customer_list.html"

    def get_context_data(self, **kwargs):
        form = CustomerListForm(self.request.GET, sorts=selectors.SORTS)
        filters = form.filters()
        sort = form.value("sort") or selectors.DEFAULT_SORT
        customers = selectors.customer_list(sort=sort, **filters)
        narrowed = any(value not in ("", None) for value in filters.values())
        count = selectors.customer_list_count(customers, narrowed=narrowed)
        columns = list_columns_for(self.request.user)
        paginator = _ListPaginator(
            lambda start, stop: selectors.customer_list_page(
                customers, start=start, stop=stop, columns=columns
            ),
            count=min(count.value, selectors.LIST_CAP),
            per_page=self.paginate_by,
        )
        page_obj = paginator.get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        without_sort = query.copy()
        without_sort.pop("sort", None)
        kwargs.update(
            form=form,
            search=filters["search"],
            narrowed=narrowed,
            count=count,
            list_cap=selectors.LIST_CAP,
            columns=columns,
            rows=[
                {
                    "customer": customer,
                    "cells": [
                        {"label": c.label, "value": c.cell(customer)} for c in columns
                    ],
                }
                for customer in page_obj.object_list
            ],
            page_obj=page_obj,
            customer_list=page_obj.object_list,
            sort=sort,
            sort_links=_sort_links(sort, without_sort.urlencode()),
            filter_query=query.urlencode(),
        )
        return super().get_context_data(**kwargs)


class _ListPaginator(Paginator):
    """A paginator whose count is given (customer_list_count) and whose pages are
    read by a function of (start, stop): one query per page."""

    def __init__(self, read, *, count: int, per_page: int):
        super().__init__(_Slicer(read), per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count


class _Slicer:
    def __init__(self, read):
        self.read = read

    def __getitem__(self, window: slice):
        return self.read(window.start, window.stop)


def _sort_links(current: str, query: str) -> dict[str, dict]:
    """For each sortable column: the link that sorts by it (reversed when it is the
    current sort) and the current direction, for aria-sort."""
    links = {}
    for key in selectors.SORTS:
        direction = ""
        target = key
        if current == key:
            direction, target = "ascending", f"-{key}"
        elif current == f"-{key}":
            direction = "descending"
        prefix = f"{query}&" if query else ""
        links[key] = {"href": f"?{prefix}sort={target}", "direction": direction}
    return links


class CustomerCreateView(PermissionRequiredMixin, ServiceFormMixin, CreateView):
    permission_required = "customers.add_customer"
    raise_exception = True
    form_class = CustomerForm
    template_name = "customers/customer_form.html"
    success_message = _("Customer %(object)s was created.")

    def save(self, form):
        return services.customer_create(**form.model_data())


class CustomerUpdateView(PermissionRequiredMixin, ServiceFormMixin, UpdateView):
    permission_required = "customers.change_customer"
    raise_exception = True
    model = Customer
    form_class = CustomerForm
    template_name = "customers/customer_form.html"
    success_message = _("Customer %(name)s was saved.")

    def save(self, form):
        return services.customer_update(
            customer=self.object,
            data=form.model_data(),
            version=form.opened_version(),
        )


class CustomerDetailView(CustomerPageMixin, TemplateView):
    """The customer's Overview tab: its own cards, then the panels other apps add."""

    permission_required = "customers.view_customer"
    parent_url_kwarg = "pk"
    template_name = "customers/customer_detail.html"
    active_tab = "overview"

    def get_context_data(self, **kwargs):
        if self.request.user.has_perm("customers.view_address"):
            kwargs["billing_address"] = selectors.customer_billing_address(
                customer=self.customer
            )
        kwargs["panels"] = customer_pages.panels(
            "overview", self.request, self.customer
        )
        return super().get_context_data(**kwargs)


class AddressListView(CustomerPageMixin, ListView):
    """The customer's Addresses tab."""

    permission_required = ("customers.view_customer", "customers.view_address")
    template_name = "customers/address_list.html"
    active_tab = "addresses"

    def get_queryset(self):
        return self.customer.addresses.order_by("kind", "city", "pk")


class AddressMixin(CustomerPageMixin, ServiceFormMixin):
    model = Address
    form_class = AddressForm
    template_name = "customers/address_form.html"
    active_tab = "addresses"

    def get_queryset(self):
        return Address.objects.filter(customer=self.customer)

    def get_success_url(self):
        return reverse("customers:addresses", kwargs={"customer_pk": self.customer.pk})


class AddressCreateView(AddressMixin, CreateView):
    permission_required = ("customers.view_customer", "customers.add_address")
    success_message = _("The address was added.")

    def save(self, form):
        return services.address_create(customer=self.customer, **form.model_data())


class AddressUpdateView(AddressMixin, UpdateView):
    permission_required = ("customers.view_customer", "customers.change_address")
    success_message = _("The address was saved.")

    def save(self, form):
        return services.address_update(
            address=self.object,
            data=form.model_data(),
            version=form.opened_version(),
        )


class AddressDeleteView(AddressMixin, DeleteView):
    permission_required = ("customers.view_customer", "customers.delete_address")
    template_name = "customers/address_confirm_delete.html"
    form_class = Form
    success_message = _("The address was deleted.")

    def save(self, form):
        services.address_delete(address=self.object)
        return self.object
