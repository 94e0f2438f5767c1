from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from contacts.models import Contact
from customers.models import Customer
from customers.pages import CustomerPageMixin
from privacy.services import (
    erasure_refusals,
    find_person,
    person_erase,
    person_export,
    person_found,
)


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )


class PersonPrivacyView(CustomerPageMixin, TemplateView):
    """A contact's person: what is held about them, the export, and the erasure
    with a confirmation that names what will happen. The person is everyone with
    the contact's email address (at every customer), else the contact alone."""

    permission_required = ("customers.view_customer", "privacy.handle_personal_data")
    template_name = "privacy/person_privacy.html"
    model = Contact  # what <pk> names
    active_tab = "contacts"

    def get_contact(self) -> Contact:
        return get_object_or_404(
            Contact.objects.filter(customer=self.customer), pk=self.kwargs["pk"]
        )

    def get_person(self, contact: Contact):
        if contact.email:
            return find_person(email=contact.email)
        return find_person(contact_id=contact.pk)

    def get_context_data(self, **kwargs):
        contact = self.get_contact()
        person = self.get_person(contact)
        found = person_found(person)
        kwargs.setdefault("form", EraseForm())
        kwargs.update(
            contact=contact,
            person=person,
            linked_customers=Customer.objects.filter(
                pk__in=person.customer_ids
            ).order_by("name"),
            found=[
                (kind, rows, history)
                for kind, (rows, history) in found.items()
                if rows or history
            ],
            refusals=erasure_refusals(person),
            retention_years=settings.PRIVACY_RETENTION_YEARS,
        )
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        contact = self.get_contact()
        person = self.get_person(contact)
        if "export" in request.POST:
            try:
                archive = person_export(person=person, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(request.path)
            response = HttpResponse(archive, content_type="application/zip")
            response["Content-Disposition"] = (
                f'attachment; filename="personal-data-{contact.pk}.zip"'
            )
            return response
        form = EraseForm(request.POST)
        if form.is_valid():
            try:
                person_erase(person=person, user=request.user)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, gettext("The person's data was erased."))
                return redirect("contacts:list", customer_pk=self.customer.pk)
        return self.render_to_response(self.get_context_data(form=form))
