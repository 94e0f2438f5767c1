from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from contacts.models import Person
from customers.models import Customer
from privacy.services import (
    erasure_refusals,
    find_subject,
    person_erase,
    person_export,
    person_found,
)


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )


class PersonPrivacyView(PermissionRequiredMixin, TemplateView):
    """A person's privacy page, reached from their page: what is held about them
    at every customer they are linked to, the export, and the erasure with a
    confirmation that names what will happen."""

    permission_required = ("contacts.view_contact", "privacy.handle_personal_data")
    raise_exception = True
    template_name = "privacy/person_privacy.html"
    model = Person  # what <pk> names

    def get_person(self) -> Person:
        return get_object_or_404(Person, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        person = self.get_person()
        subject = find_subject(person_id=person.pk)
        found = person_found(subject)
        kwargs.setdefault("form", EraseForm())
        kwargs.update(
            person=person,
            linked_customers=Customer.objects.filter(
                pk__in=subject.customer_ids
            ).order_by("name"),
            found=[
                (kind, rows, history)
                for kind, (rows, history) in found.items()
                if rows or history
            ],
            refusals=erasure_refusals(subject),
            retention_years=settings.PRIVACY_RETENTION_YEARS,
        )
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        person = self.get_person()
        subject = find_subject(person_id=person.pk)
        if "export" in request.POST:
            try:
                archive = person_export(subject=subject, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(request.path)
            response = HttpResponse(archive, content_type="application/zip")
            response["Content-Disposition"] = (
                f'attachment; filename="personal-data-{person.pk}.zip"'
            )
            return response
        form = EraseForm(request.POST)
        if form.is_valid():
            try:
                person_erase(subject=subject, user=request.user)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, gettext("The person's data was erased."))
                return redirect("persons:detail", pk=person.pk)
        return self.render_to_response(self.get_context_data(form=form))
