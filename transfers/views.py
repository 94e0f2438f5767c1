from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import DetailView, FormView
from django.views.generic.detail import SingleObjectMixin

from customers.models import Customer
from transfers.forms import ImportForm, may_import
from transfers.models import ImportJob
from transfers.services import import_job_confirm, import_job_create


def _key(text: str) -> int:
    """A primary key from the query string; 404 for anything else."""
    if not text.isdigit() or len(text) > 18:  # beyond a bigint: no such row
        raise Http404
    return int(text)


class ImportMixin(PermissionRequiredMixin):
    # The kind's own permissions are checked by the form (transfers.forms).
    permission_required = "contacts.add_contact"
    raise_exception = True
    model = ImportJob

    def get_queryset(self):
        # A user's own imports only: another's is not found.
        return ImportJob.objects.filter(created_by=self.request.user).defer("content")


class ImportUploadView(ImportMixin, FormView):
    """Upload a file: it is previewed (nothing written) on the job's page."""

    form_class = ImportForm
    template_name = "transfers/import_upload.html"
    http_method_names = ["get", "post", "head", "options"]

    @cached_property
    def customer(self) -> Customer | None:
        """Started from a customer's Contacts tab: into that customer only (read
        after the permission check, so an outsider learns nothing of customers)."""
        key = self.request.GET.get("customer")
        return None if key is None else get_object_or_404(Customer, pk=_key(key))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "customer": self.customer}

    def get_initial(self):
        kind = self.request.GET.get("kind")
        return {"kind": kind if kind in ImportJob.Kind.values else None}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            job = import_job_create(
                user=self.request.user,
                kind=form.cleaned_data["kind"],
                name=upload.name,
                content=upload.read(),
                update=form.cleaned_data["update"],
                customer=self.customer,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return HttpResponseRedirect(job.get_absolute_url())


class ImportJobView(ImportMixin, DetailView):
    """The preview with its Confirm; then the progress, refreshing itself; then
    the outcome and its report."""

    template_name = "transfers/import_job.html"
    context_object_name = "job"
    http_method_names = ["get", "head", "options"]


class ImportConfirmView(ImportMixin, SingleObjectMixin, View):
    http_method_names = ["post", "options"]

    def post(self, request, *args, **kwargs):
        job = self.get_object()
        # Checked again: a permission taken away since the upload counts.
        if not may_import(request.user, kind=job.kind, update=job.update):
            raise PermissionDenied
        job = import_job_confirm(job=job)
        return HttpResponseRedirect(job.get_absolute_url())


class ImportReportView(ImportMixin, SingleObjectMixin, View):
    """The report of a finished import: line, outcome, message."""

    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        job = self.get_object()
        if not job.report:
            raise Http404
        response = HttpResponse(job.report, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="import-{job.pk}-report.csv"'
        )
        return response
