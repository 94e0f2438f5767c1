from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views.generic import (
    CreateView,
    DeleteView,
    ListView,
    TemplateView,
    UpdateView,
)

from contacts import selectors, services
from contacts.forms import ContactCardWindow, ContactForm
from contacts.models import Contact, ContactRole
from core.views import ServiceFormMixin
from customers.models import Customer
from customers.pages import CustomerPageMixin, customer_pages


class ContactListView(CustomerPageMixin, ListView):
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
        kwargs["panels"] = customer_pages.panels(
            "contacts", self.request, self.customer
        )
        return super().get_context_data(**kwargs)


class ContactMixin(CustomerPageMixin, ServiceFormMixin):
    model = Contact
    form_class = ContactForm
    template_name = "contacts/contact_form.html"
    active_tab = "contacts"

    def get_queryset(self):
        return Contact.objects.filter(customer=self.customer)

    def get_success_url(self):
        return reverse("contacts:list", kwargs={"customer_pk": self.customer.pk})


class ContactCreateView(ContactMixin, CreateView):
    permission_required = ("customers.view_customer", "contacts.add_contact")
    success_message = "Contact %(object)s was added."

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
    success_message = "Contact %(object)s was saved."

    def save(self, form):
        data = dict(form.cleaned_data)
        roles = data.pop("roles")
        return services.contact_update(contact=self.object, data=data, roles=roles)


class ContactDeleteView(ContactMixin, DeleteView):
    permission_required = ("customers.view_customer", "contacts.delete_contact")
    template_name = "contacts/contact_confirm_delete.html"
    form_class = Form
    success_message = "Contact %(object)s was deleted."

    def save(self, form):
        services.contact_delete(contact=self.object)
        return self.object


class ContactCardUpdateView(CustomerPageMixin, TemplateView):
    """The editing window of the Contact card: a page of its own, which app.js opens
    as a dialog on the Overview. Save stores the whole card at once or nothing."""

    permission_required = (
        "customers.view_customer",
        "contacts.update_customer_contact_details",
    )
    template_name = "contacts/contact_card_form.html"
    active_tab = "overview"
    success_message = "The contact details were saved."

    def get(self, request, *args, **kwargs):
        return self.render_window(self.current_window())

    def post(self, request, *args, **kwargs):
        window = ContactCardWindow(data=request.POST)
        if window.adds_row or not window.is_valid():
            return self.render_window(window)
        try:
            services.contact_details_update(
                customer=self.customer,
                primaries=window.primary_inputs(),
                additional=window.additional_inputs(),
                card_version=window.version,
            )
        except Customer.DoesNotExist as gone:
            raise Http404("The customer no longer exists.") from gone
        except services.ContactCardChanged as error:
            return self.render_window(
                self.current_window(), stale_message=error.message
            )
        except ValidationError as error:
            window.add_service_errors(error)
            return self.render_window(window)
        messages.success(request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def current_window(self) -> ContactCardWindow:
        return ContactCardWindow(
            card=selectors.contact_card(customer=self.customer),
            version=selectors.contact_card_version(customer=self.customer),
        )

    def render_window(self, window: ContactCardWindow, **context):
        return self.render_to_response(
            self.get_context_data(form=window.form, formset=window.formset, **context)
        )

    def get_success_url(self) -> str:
        return reverse("customers:detail", kwargs={"pk": self.customer.pk})
