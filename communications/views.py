"""Failed communications (every delivery that needs a person, retried from here)
and lifting a suppression from a customer's page."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView

from communications import outbox, selectors, suppressions
from communications.forms import LiftSuppressionForm, RetryForm
from communications.marks import suppression_detail
from communications.models import Delivery, Suppression
from contacts.models import Contact, ContactDetail
from customers.pages import CustomerPageMixin

# What each status means for the person reading the page.
STATUS_HELP = {
    Delivery.Status.FAILED: _(
        "The mail server refused it, or kept refusing it until no retry was left."
    ),
    Delivery.Status.BOUNCED: _("It was sent, and came back: the address refused it."),
    Delivery.Status.SUPPRESSED: _(
        "Not sent: the address is known to be undeliverable."
    ),
    Delivery.Status.UNCONFIRMED: _(
        "The worker stopped while sending it: it may or may not have arrived. Check "
        "with the recipient before you retry it."
    ),
}


class FailedCommunicationsView(PermissionRequiredMixin, ListView):
    """Every failed, bounced, suppressed and unconfirmed delivery, newest change
    first, with its reason, customer, contact and document; filtered by status;
    those allowed select up to 100 and retry them."""

    permission_required = "communications.view_delivery"
    raise_exception = True
    http_method_names = ["get", "head", "options"]
    paginate_by = 50
    template_name = "communications/failed_list.html"
    context_object_name = "deliveries"

    @property
    def status(self) -> str:
        status = self.request.GET.get("status", "")
        return status if status in Delivery.NEEDS_A_PERSON else ""

    def get_queryset(self):
        # What each is about (a document), one query per kind on the page.
        return selectors.failed_deliveries(status=self.status).prefetch_related("about")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deliveries = context["deliveries"]
        standing = selectors.standing_suppressions(
            addresses=[d.email for d in deliveries]
        )
        for delivery in deliveries:
            suppression = standing.get(delivery.email.lower())
            delivery.suppression_detail = (
                suppression_detail(suppression) if suppression else ""
            )
        query = QueryDict(mutable=True)
        if self.status:
            query["status"] = self.status
        context.update(
            status=self.status,
            statuses=[
                (status, Delivery.Status(status).label, STATUS_HELP[status])
                for status in Delivery.NEEDS_A_PERSON
            ],
            page_query=query.urlencode(),
            can_retry=self.request.user.has_perm("communications.retry_delivery"),
            retry_limit=outbox.RETRY_LIMIT,
        )
        return context


@require_POST
@permission_required("communications.retry_delivery", raise_exception=True)
def retry(request: HttpRequest):
    """Queue the chosen deliveries again; back to the page they were chosen on."""
    form = RetryForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("communications:failed")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return HttpResponseRedirect(back)
    try:
        queued, refused = outbox.deliveries_retry(ids=form.cleaned_data["delivery"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(back)
    if queued:
        messages.success(
            request,
            ngettext(
                "%(count)d communication is queued again.",
                "%(count)d communications are queued again.",
                len(queued),
            )
            % {"count": len(queued)},
        )
    if refused:
        messages.error(
            request,
            gettext(
                "Not retried, their address is still suppressed (lift the "
                "suppression on the customer's Contacts tab first): %(addresses)s."
            )
            % {"addresses": ", ".join(sorted({d.email for d in refused}))},
        )
    if not queued and not refused:
        messages.error(
            request, gettext("None of these communications needs a retry any more.")
        )
    return HttpResponseRedirect(back)


class SuppressionLiftView(CustomerPageMixin, FormView):
    """Lift a suppression of one of the customer's addresses (a contact's email or
    one on the contact card), with a reason; told in the customer's Activity Log."""

    permission_required = ("customers.view_customer", "communications.lift_suppression")
    model = Suppression
    form_class = LiftSuppressionForm
    template_name = "communications/suppression_lift.html"
    active_tab = "contacts"

    def get_suppression(self) -> Suppression:
        addresses = Contact.objects.filter(customer=self.customer).values(
            address=Lower("email")
        )
        card = ContactDetail.objects.filter(
            customer=self.customer, kind=ContactDetail.Kind.EMAIL
        ).values(address=Lower("value"))
        return get_object_or_404(
            Suppression.objects.filter(
                Q(email__in=addresses) | Q(email__in=card), lifted_at__isnull=True
            ),
            pk=self.kwargs["pk"],
        )

    def get(self, request, *args, **kwargs):
        self.suppression = self.get_suppression()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.suppression = self.get_suppression()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.update(
            suppression=self.suppression,
            detail=suppression_detail(self.suppression),
        )
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            suppressions.suppression_lift(
                suppression=self.suppression,
                reason=form.cleaned_data["lift_reason"],
                lifted_by=self.request.user,
                customer=self.customer,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("The suppression of %(email)s is lifted: emails go to it again.")
            % {"email": self.suppression.email},
        )
        return HttpResponseRedirect(
            reverse("contacts:list", kwargs={"customer_pk": self.customer.pk})
        )
