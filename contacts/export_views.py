"""Downloads of the export commands' files: the contact persons and the contact
details, of one customer (its Contacts tab) or of all (the customer list), in the
columns the import reads, so a download edited in a spreadsheet imports again."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.views import View

from contacts.csv_rows import ContactDetailRows, ContactRows, CustomerRows
from core.csvio import csv_lines
from customers.pages import CustomerPageMixin

# What each download holds: its rows, the permission to view them, its file name.
KINDS: dict[str, tuple[type[CustomerRows], str]] = {
    "contacts": (ContactRows, "contacts.view_contact"),
    "contact-details": (ContactDetailRows, "contacts.view_contactdetail"),
}


def csv_download(
    rows: type[CustomerRows], numbers: list[str] | None, name: str
) -> StreamingHttpResponse:
    """The rows streamed as a CSV attachment `name`-<today>.csv."""
    response = StreamingHttpResponse(
        csv_lines(columns=rows.columns, rows=rows.export_rows(numbers)),
        content_type="text/csv; charset=utf-8",
    )
    today = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{name}-{today}.csv"'
    return response


class ExportMixin:
    """`kind` (a key of KINDS) from the URL: the permission asked is its own."""

    http_method_names = ["get", "head", "options"]
    raise_exception = True
    kwargs: dict
    request: HttpRequest

    def get_permission_required(self):
        return ("customers.view_customer", KINDS[self.kwargs["kind"]][1])


class CustomerExportView(ExportMixin, CustomerPageMixin, View):
    """One customer's contact persons or contact details."""

    def get(self, request, *args, **kwargs):
        kind = self.kwargs["kind"]
        number = self.customer.number
        return csv_download(KINDS[kind][0], [number], f"{kind}-{number}")


class ExportView(ExportMixin, PermissionRequiredMixin, View):
    """Every customer's contact persons or contact details."""

    def get(self, request, *args, **kwargs):
        kind = self.kwargs["kind"]
        return csv_download(KINDS[kind][0], None, kind)
