from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import (
    CreateView,
    DeleteView,
    DetailView,
    ListView,
    TemplateView,
    UpdateView,
)

from contacts.selectors import contact_card
from customers import selectors, services
from customers.forms import AddressForm, CustomerForm, CustomerListForm
from customers.list_columns import list_columns_for
from customers.models import Address, Customer


class ServiceFormMixin:
    """Saves a valid form through a service; a ValidationError the service raises (a
    rule across rows, a race lost to another user) goes back to the form's fields."""

    success_message = ""

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.get_success_message())
        return HttpResponseRedirect(self.get_success_url())

    def get_success_message(self) -> str:
        return self.success_message.format(object=self.object)


class CustomerScopedMixin(PermissionRequiredMixin):
    """A page under /customers/<customer_pk>/: the permission is checked first (403),
    then the customer is loaded (404), and the page shows the customer's tabs."""

    raise_exception = True
    customer_url_kwarg = "customer_pk"
    active_tab = ""
    # PUT and DELETE would bypass the forms and services (DeleteView answers DELETE
    # by deleting directly): only GET and POST.
    http_method_names = ["get", "post", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.customer = get_object_or_404(Customer, pk=kwargs[self.customer_url_kwarg])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("customer", self.customer)
        kwargs.setdefault("active_tab", self.active_tab)
        return super().get_context_data(**kwargs)


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
        count = selectors.customer_list_count(
            customers,
            narrowed=any(value not in ("", None) for value in filters.values()),
        )
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
            narrowed=any(value not in ("", None) for value in filters.values()),
            count=count,
            list_cap=selectors.LIST_CAP,
            columns=columns,
            rows=[
                {"customer": customer, "cells": [c.cell(customer) for c in columns]}
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
    success_message = "Customer {object.name} ({object.number}) was created."

    def save(self, form):
        return services.customer_create(**form.cleaned_data)


class CustomerUpdateView(PermissionRequiredMixin, ServiceFormMixin, UpdateView):
    permission_required = "customers.change_customer"
    raise_exception = True
    model = Customer
    form_class = CustomerForm
    template_name = "customers/customer_form.html"
    success_message = "Customer {object.name} was saved."

    def save(self, form):
        return services.customer_update(customer=self.object, data=form.cleaned_data)


class CustomerDetailView(PermissionRequiredMixin, DetailView):
    """The customer's Overview tab."""

    permission_required = "customers.view_customer"
    raise_exception = True
    model = Customer
    template_name = "customers/customer_detail.html"

    def get_context_data(self, **kwargs):
        kwargs["customer"] = self.object
        kwargs["active_tab"] = "overview"
        kwargs["billing_address"] = selectors.customer_billing_address(
            customer=self.object
        )
        kwargs["contact_card"] = contact_card(customer=self.object)
        return super().get_context_data(**kwargs)


class AddressListView(CustomerScopedMixin, ListView):
    """The customer's Addresses tab."""

    permission_required = ("customers.view_customer", "customers.view_address")
    template_name = "customers/address_list.html"
    active_tab = "addresses"

    def get_queryset(self):
        return self.customer.addresses.order_by("kind", "city", "pk")


class AddressMixin(CustomerScopedMixin, ServiceFormMixin):
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
    success_message = "The address was added."

    def save(self, form):
        return services.address_create(customer=self.customer, **form.cleaned_data)


class AddressUpdateView(AddressMixin, UpdateView):
    permission_required = ("customers.view_customer", "customers.change_address")
    success_message = "The address was saved."

    def save(self, form):
        return services.address_update(address=self.object, data=form.cleaned_data)


class AddressDeleteView(AddressMixin, DeleteView):
    permission_required = ("customers.view_customer", "customers.delete_address")
    template_name = "customers/address_confirm_delete.html"
    form_class = Form
    success_message = "The address was deleted."

    def form_valid(self, form):
        services.address_delete(address=self.object)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())
