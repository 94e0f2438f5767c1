"""View mixins every app's pages share."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404


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
