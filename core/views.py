"""View mixins every app's pages share, and the header's language choice."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.languages import user_language_set
from core.services import GONE, STALE


class ServiceFormMixin(SuccessMessageMixin):
    """A form view whose valid form is saved by a service (`save`), not by the form.

    A ValidationError the service raises (a rule across rows, a race lost to another
    user) goes back to the form. The success message is SuccessMessageMixin's, given
    only once the service has saved; it is formatted with the form's cleaned data and
    the saved `object` ("Contact %(object)s was added.").
    """

    # PUT would be answered like a POST of an empty form, and DeleteView answers
    # DELETE by deleting directly, bypassing the services: only GET and POST.
    http_method_names = ["get", "post", "head", "options"]

    def save(self, form):
        """Save through the service; return the saved (or deleted) object."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        # Not super().form_valid(): ModelFormMixin would save the form a second time.
        if message := self.get_success_message(form.cleaned_data):
            messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_message(self, cleaned_data):
        return self.success_message % {**cleaned_data, "object": self.object}

    def form_invalid(self, form):
        conflict = next(
            (
                error
                for error in form.non_field_errors().as_data()
                if error.code in (STALE, GONE)
            ),
            None,
        )
        if conflict is None:
            return super().form_invalid(form)
        message = conflict.message % (conflict.params or {})
        if conflict.code == GONE:
            messages.error(self.request, message)
            return HttpResponseRedirect(self.get_success_url())
        # Another save came first: the form again with the values stored now, so
        # the user sees them before changing anything.
        self.object = self.get_object()
        kwargs = self.get_form_kwargs()
        kwargs.pop("data", None)
        kwargs.pop("files", None)
        kwargs["instance"] = self.object
        return self.render_to_response(
            self.get_context_data(
                form=self.get_form_class()(**kwargs), stale_message=message
            )
        )


class ParentScopedMixin(PermissionRequiredMixin):
    """A page under its parent's URL (`/customers/<customer_pk>/…`).

    The permission is checked first (403), then the parent is loaded (404), so an
    outsider learns nothing of which parents exist. Objects of the page are then
    looked up among the parent's own (`get_queryset`), so another parent's object
    through this parent's URL is a 404.
    """

    raise_exception = True
    parent_model: type[models.Model]
    parent_url_kwarg: str
    # PUT and DELETE would bypass the forms and services: only GET and POST.
    http_method_names = ["get", "post", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.parent = get_object_or_404(
            self.parent_model, pk=kwargs[self.parent_url_kwarg]
        )
        return super().dispatch(request, *args, **kwargs)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


@require_POST
def language_choose(request: HttpRequest) -> HttpResponse:
    """Remember the language the user chose in the header and go back to the page
    they chose it on."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "400.html",
            {"reason": _("Choose one of the languages offered.")},
            status=400,
        )
    language = form.cleaned_data["language"]
    user_language_set(request=request, language=language)
    next_url = form.cleaned_data["next"]
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("home")
    return HttpResponseRedirect(next_url)
