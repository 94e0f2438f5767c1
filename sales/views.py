"""The pages of sales orders, invoices and shipments. One set of views serves the
three kinds; the URLs pass the model."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import (
    CreateView,
    DetailView,
    ListView,
    TemplateView,
    UpdateView,
)

from communications.models import Delivery
from communications.selectors import about_deliveries
from core.views import ServiceFormMixin
from customers.models import Customer
from customers.pages import CustomerPageMixin
from customers.selectors import customer_list
from sales import selectors, services
from sales.emails import document_emails
from sales.forms import FORMS
from sales.models import DOCUMENT_KINDS, SalesDocument


def permission(kind: type[SalesDocument], action: str) -> str:
    return f"sales.{action}_{kind._meta.model_name}"


def documents_panel(request: HttpRequest, customer: Customer) -> dict | None:
    """The Overview's boxes of the customer's newest orders, invoices and shipments:
    the kinds this user may view, each with New where they may add one."""
    user = request.user
    kinds = [kind for kind in DOCUMENT_KINDS if user.has_perm(permission(kind, "view"))]
    if not kinds:
        return None
    sections = selectors.customer_documents(customer=customer, kinds=kinds)
    for section in sections:
        section.can_add = user.has_perm(permission(section.kind, "add"))
    return {"sections": sections}


def who_receives_what_panel(request: HttpRequest, customer: Customer) -> dict:
    """The Contacts tab's table of who each kind's notification would reach now,
    and whom it passes over."""
    return {"rows": selectors.customer_who_receives_what(customer=customer)}


class KindMixin:
    """A view of one document kind (`model`), permissions named after it."""

    model: type[SalesDocument] | None = None  # given by the URL
    action = "view"

    def get_permission_required(self):
        return (permission(self.model, self.action),)

    def get_context_data(self, **kwargs):
        user = self.request.user
        kwargs.update(
            kind=self.model,
            kind_name=self.model._meta.verbose_name,
            kind_name_plural=self.model._meta.verbose_name_plural,
            list_url_name=f"sales:{self.model.KIND}_list",
            can_add=user.has_perm(permission(self.model, "add")),
            can_change=user.has_perm(permission(self.model, "change")),
            can_send=user.has_perm(permission(self.model, "send")),
            role_name=selectors.role_name(self.model.ROLE_CODE),
        )
        return super().get_context_data(**kwargs)


class DocumentListView(KindMixin, PermissionRequiredMixin, ListView):
    """A kind's documents, newest first: searchable, filtered by status, 25 a page,
    with New to start one (its customer chosen first)."""

    raise_exception = True
    paginate_by = 25
    template_name = "sales/document_list.html"
    context_object_name = "document_list"

    def get_queryset(self):
        return selectors.document_list(
            kind=self.model, search=self.search, status=self.status
        )

    @property
    def search(self) -> str:
        return self.request.GET.get("q", "").strip()

    @property
    def status(self) -> str:
        status = self.request.GET.get("status", "")
        return status if status in SalesDocument.Status.values else ""

    def get_context_data(self, **kwargs):
        query = QueryDict(mutable=True)
        query.update(
            {k: v for k, v in (("q", self.search), ("status", self.status)) if v}
        )
        kwargs.update(
            search=self.search,
            status=self.status,
            statuses=SalesDocument.Status.choices,
            page_query=query.urlencode(),
            has_amount=hasattr(self.model, "amount"),
            choose_customer_url=reverse(f"sales:{self.model.KIND}_choose_customer"),
        )
        return super().get_context_data(**kwargs)


class ChooseCustomerView(KindMixin, PermissionRequiredMixin, TemplateView):
    """New on a kind's list: first the customer, found by a search (a list of
    100,000 customers cannot be a select), then the customer's New form. A plain
    GET form and links: it works the same with and without JavaScript."""

    raise_exception = True
    action = "add"
    template_name = "sales/choose_customer.html"
    limit = 20

    def get_permission_required(self):
        return ("customers.view_customer", *super().get_permission_required())

    def get_context_data(self, **kwargs):
        search = self.request.GET.get("q", "").strip()
        customers = []
        if search:
            customers = list(customer_list(search=search)[: self.limit + 1])
        kwargs.update(
            search=search,
            customers=customers[: self.limit],
            has_more=len(customers) > self.limit,
            create_url_name=f"sales:{self.model.KIND}_create",
        )
        return super().get_context_data(**kwargs)


class CustomerDocumentMixin(KindMixin, CustomerPageMixin):
    """A document page under its customer: view_customer and the kind's permission
    (403), then the customer (404), then the document among that customer's (404)."""

    active_tab = "overview"

    def get_permission_required(self):
        return ("customers.view_customer", *super().get_permission_required())

    def get_queryset(self):
        return self.model.objects.filter(customer=self.customer).select_related(
            "customer", "contact"
        )


class DocumentFormMixin(CustomerDocumentMixin, ServiceFormMixin):
    template_name = "sales/document_form.html"

    def get_form_class(self):
        return FORMS[self.model]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["customer"] = self.customer
        return kwargs


class DocumentCreateView(DocumentFormMixin, CreateView):
    action = "add"
    success_message = _("%(object)s was created.")

    def get_initial(self):
        initial = super().get_initial()
        initial["contact"] = selectors.document_proposed_contact(
            customer=self.customer, kind=self.model
        )
        return initial

    def save(self, form):
        return services.document_create(
            kind=self.model,
            customer=self.customer,
            contact=form.cleaned_data["contact"],
            **form.document_fields(),
        )


class DocumentUpdateView(DocumentFormMixin, UpdateView):
    action = "change"
    success_message = _("%(object)s was saved.")

    def save(self, form):
        return services.document_update(
            document=self.object,
            data=form.document_fields(),
            contact=form.cleaned_data["contact"],
            version=form.opened_version(),
        )


class DocumentDetailView(CustomerDocumentMixin, DetailView):
    template_name = "sales/document_detail.html"
    context_object_name = "document"

    def get_context_data(self, **kwargs):
        routing = selectors.document_routing(document=self.object)
        kwargs.update(
            deliveries=about_deliveries(about=self.object),
            recipients=routing.recipients,
            skipped=routing.skipped,
        )
        return super().get_context_data(**kwargs)


class DocumentSendView(CustomerDocumentMixin, DetailView):
    """Send the document's notification. GET shows what would go out: the email's
    subject and text, and who receives it and why; POST sends it. The answer is a
    message on the document's page naming the recipients, or saying what to add."""

    action = "send"
    template_name = "sales/document_send.html"
    context_object_name = "document"

    def get_permission_required(self):
        return (*super().get_permission_required(), permission(self.model, "view"))

    def get_context_data(self, **kwargs):
        routing = selectors.document_routing(document=self.object)
        kwargs.update(
            recipients=routing.recipients,
            skipped=routing.skipped,
            # Each email as it goes out: in its recipient's language.
            emails=document_emails(document=self.object, recipients=routing.recipients),
            no_recipient_message=services.no_recipient_message(document=self.object),
        )
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        document = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        try:
            deliveries = services.document_send(document=document, sent_by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            names = ", ".join(
                delivery.recipient
                for delivery in deliveries
                if delivery.status == Delivery.Status.QUEUED
            )
            messages.success(
                request,
                gettext(
                    "%(document)s is on its way to %(names)s. Each email's "
                    "status shows below."
                )
                % {"document": document, "names": names},
            )
        return HttpResponseRedirect(document.get_absolute_url())
