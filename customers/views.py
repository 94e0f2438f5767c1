from django.contrib.auth.mixins import PermissionRequiredMixin
from django.forms import Form
from django.urls import reverse
from django.views.generic import (
    CreateView,
    DeleteView,
    ListView,
    TemplateView,
    UpdateView,
)

from core.views import ServiceFormMixin
from customers import selectors, services
from customers.forms import AddressForm, CustomerForm
from customers.models import Address, Customer
from customers.pages import CustomerPageMixin, customer_pages


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
    success_message = "Customer %(object)s was created."

    def save(self, form):
        return services.customer_create(**form.cleaned_data)


class CustomerUpdateView(PermissionRequiredMixin, ServiceFormMixin, UpdateView):
    permission_required = "customers.change_customer"
    raise_exception = True
    model = Customer
    form_class = CustomerForm
    template_name = "customers/customer_form.html"
    success_message = "Customer %(name)s was saved."

    def save(self, form):
        return services.customer_update(customer=self.object, data=form.cleaned_data)


class CustomerDetailView(CustomerPageMixin, TemplateView):
    """The customer's Overview tab: its own cards, then the panels other apps add."""

    permission_required = "customers.view_customer"
    parent_url_kwarg = "pk"
    template_name = "customers/customer_detail.html"
    active_tab = "overview"

    def get_context_data(self, **kwargs):
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

    def save(self, form):
        services.address_delete(address=self.object)
        return self.object
