from django.contrib import messages
from django.forms import Form
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.generic import CreateView, DeleteView, ListView, UpdateView

from contacts import services
from contacts.forms import ContactForm
from contacts.models import Contact, ContactRole
from customers.views import CustomerScopedMixin, ServiceFormMixin


class ContactListView(CustomerScopedMixin, ListView):
    """The customer's Contacts tab: every contact with its roles at a glance."""

    permission_required = ("customers.view_customer", "contacts.view_contact")
    template_name = "contacts/contact_list.html"
    active_tab = "contacts"
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return self.customer.contacts.prefetch_related("roles")

    def get_context_data(self, **kwargs):
        contacts = self.object_list
        # Read from the prefetched roles: no query of its own.
        kwargs["has_primary"] = any(
            role.code == ContactRole.PRIMARY
            for contact in contacts
            for role in contact.roles.all()
        )
        return super().get_context_data(**kwargs)


class ContactMixin(CustomerScopedMixin, ServiceFormMixin):
    model = Contact
    form_class = ContactForm
    template_name = "contacts/contact_form.html"
    active_tab = "contacts"
    # PUT and DELETE would bypass the forms and services: only GET and POST.
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return Contact.objects.filter(customer=self.customer)

    def get_success_url(self):
        return reverse("contacts:list", kwargs={"customer_pk": self.customer.pk})


class ContactCreateView(ContactMixin, CreateView):
    permission_required = ("customers.view_customer", "contacts.add_contact")
    success_message = "Contact {object.full_name} was added."

    def get_initial(self):
        initial = super().get_initial()
        # Propose Primary while no contact of the customer holds it (so the first
        # contact of a customer always has it proposed).
        primary = ContactRole.objects.filter(code=ContactRole.PRIMARY).first()
        if primary and not primary.contacts.filter(customer=self.customer).exists():
            initial["roles"] = [primary.pk]
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # The form checks the phone number with the customer's billing country.
        kwargs["instance"] = Contact(customer=self.customer)
        return kwargs

    def save(self, form):
        data = dict(form.cleaned_data)
        roles = data.pop("roles")
        return services.contact_create(customer=self.customer, roles=roles, **data)


class ContactUpdateView(ContactMixin, UpdateView):
    permission_required = ("customers.view_customer", "contacts.change_contact")
    success_message = "Contact {object.full_name} was saved."

    def save(self, form):
        data = dict(form.cleaned_data)
        roles = data.pop("roles")
        return services.contact_update(contact=self.object, data=data, roles=roles)


class ContactDeleteView(ContactMixin, DeleteView):
    permission_required = ("customers.view_customer", "contacts.delete_contact")
    template_name = "contacts/contact_confirm_delete.html"
    form_class = Form

    def form_valid(self, form):
        name = self.object.full_name
        services.contact_delete(contact=self.object)
        messages.success(self.request, f"Contact {name} was deleted.")
        return HttpResponseRedirect(self.get_success_url())
