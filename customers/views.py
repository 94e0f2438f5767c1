from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import (
    CreateView,
    DeleteView,
    DetailView,
    ListView,
    UpdateView,
)

from contacts.selectors import contact_card
from customers import selectors, services
from customers.forms import AddressForm, CustomerForm
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


class CustomerListView(PermissionRequiredMixin, ListView):
    permission_required = "customers.view_customer"
    raise_exception = True
    paginate_by = 25
    template_name = "customers/customer_list.html"

    def get_queryset(self):
        return selectors.customer_list(search=self.request.GET.get("q", ""))

    def get_context_data(self, **kwargs):
        kwargs["search"] = self.request.GET.get("q", "")
        return super().get_context_data(**kwargs)


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
