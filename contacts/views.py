from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import (
    CreateView,
    DeleteView,
    DetailView,
    FormView,
    ListView,
    TemplateView,
    UpdateView,
    View,
)
from django.views.generic.detail import SingleObjectMixin

from contacts import selectors
from contacts.forms import (
    ContactCardWindow,
    ContactForm,
    ContactMergeForm,
    ExistingPersonContactForm,
    SamePersonLinkForm,
)
from contacts.marks import mark_emails
from contacts.models import (
    ONE_LINK_PER_CUSTOMER_MESSAGE,
    PERSON_PAGE_PERMISSIONS,
    Contact,
    ContactDetail,
    ContactRole,
    Person,
    PossibleDuplicate,
)
from contacts.person_actions import actions_for
from contacts.services.card import ContactCardChanged, contact_details_update
from contacts.services.duplicates import PAIR_GONE_MESSAGE, not_duplicate_mark
from contacts.services.links import (
    PERSON_GONE_MESSAGE,
    ContactChanged,
    contact_create,
    contact_delete,
    contact_update,
    copy_person,
)
from contacts.services.merge import contacts_merge
from contacts.services.persons import persons_join
from core.views import ServiceFormMixin
from customers.models import Customer
from customers.pages import CustomerPageMixin, customer_pages


def contact_persons_panel(request: HttpRequest, customer: Customer) -> dict | None:
    """The Overview's box of the customer's contact persons with their roles, for
    those who may view contacts."""
    if not request.user.has_perm("contacts.view_contact"):
        return None
    persons = selectors.overview_contacts(customer=customer)
    mark_emails(
        persons.contacts,
        address=lambda contact: contact.email,
        customer=customer,
        user=request.user,
    )
    return {"persons": persons}


def contact_card_panel(request: HttpRequest, customer: Customer) -> dict | None:
    """The Overview's Contact card, for those who may view contact details (as the
    customer list's contact columns and the search's details); its email addresses
    marked (contacts.marks)."""
    if not request.user.has_perm("contacts.view_contactdetail"):
        return None
    card = selectors.contact_card(customer=customer)
    mark_emails(
        [
            detail
            for detail in [*(row.detail for row in card.primaries), *card.additional]
            if detail is not None and detail.kind == ContactDetail.Kind.EMAIL
        ],
        address=lambda detail: detail.value,
        customer=customer,
        user=request.user,
    )
    return {"contact_card": card}


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
        mark_emails(
            contacts,
            address=lambda contact: contact.email,
            customer=self.customer,
            user=self.request.user,
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


class WarnSharedMixin:
    """The contact form's duplicate warning."""

    # The email and phone number as stored before this save: None for a new contact.
    stored_email = stored_phone = None

    def form_valid(self, form):
        """Before saving, warn when the email or phone number typed (normalised by
        the form's clean) is another contact's already; "Save anyway" posts the
        warned values back as acknowledged and saves."""
        contact = form.instance
        email = contact.email if contact.email != self.stored_email else ""
        phone = contact.phone if contact.phone != self.stored_phone else ""
        shared = selectors.contacts_sharing(
            email=email, phone=phone, exclude=contact.pk
        )
        acknowledged = f"{contact.email}|{contact.phone}"
        if shared and self.request.POST.get("acknowledge_shared") != acknowledged:
            return self.render_to_response(
                self.get_context_data(
                    form=form, shared_contacts=shared, acknowledged=acknowledged
                )
            )
        return super().form_valid(form)


class ContactCreateView(WarnSharedMixin, ContactMixin, CreateView):
    """Add contact: a new person (the whole form), or an existing person found by
    the page's search (`?person_q=`) and picked (`?person=<id>`), whose name is
    theirs and who gets the work details typed here. Without JavaScript: the
    search and the pick are plain links and GET forms."""

    permission_required = ("customers.view_customer", "contacts.add_contact")
    success_message = _("Contact %(object)s was added.")
    # The person picked (the existing-person form), else None (a new person).
    person: Person | None = None

    def dispatch(self, request, *args, **kwargs):
        self.picked = request.POST.get("person") or request.GET.get("person")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.pick_error = ""
        if self.picked:
            self.person = self.picked_person()
            if self.person is None:
                self.pick_error = PERSON_GONE_MESSAGE
            elif self.person.contacts.filter(customer=self.customer).exists():
                self.pick_error = ONE_LINK_PER_CUSTOMER_MESSAGE
                self.person = None
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.picked:
            # Gone since it was picked: the form says so (ExistingPersonContactForm).
            self.person = self.picked_person()
        return super().post(request, *args, **kwargs)

    def picked_person(self) -> Person | None:
        try:
            return Person.objects.filter(pk=int(self.picked)).first()
        except ValueError:
            return None

    @property
    def for_existing_person(self) -> bool:
        # A pick that failed on GET shows the choice again; a posted one keeps its
        # form, to say why it cannot be saved.
        return self.person is not None or (
            self.request.method == "POST" and bool(self.picked)
        )

    def get_form_class(self):
        return ExistingPersonContactForm if self.for_existing_person else ContactForm

    def get_initial(self):
        initial = super().get_initial()
        # Propose Primary while no contact of the customer holds it (so the first
        # contact of a customer always has it proposed).
        primary = ContactRole.objects.filter(code=ContactRole.PRIMARY).first()
        if primary and not primary.contacts.filter(customer=self.customer).exists():
            initial["roles"] = [primary.pk]
        if self.person is not None:
            initial["person"] = self.person.pk
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # The form checks the phone number with the customer's billing country.
        contact = Contact(customer=self.customer)
        if self.person is not None:
            contact.person = self.person
            copy_person(contact)
        kwargs["instance"] = contact
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs["for_existing_person"] = self.for_existing_person
        if self.person is not None:
            kwargs["person"] = self.person
        elif self.request.method == "GET":
            query = self.request.GET.get("person_q", "")
            kwargs["person_q"] = query
            kwargs["pick_error"] = self.pick_error
            if query.strip():
                kwargs["person_search"] = selectors.persons_matching(
                    query=query, not_of=self.customer
                )
        return super().get_context_data(**kwargs)

    def save(self, form):
        data = form.model_data()
        roles = data.pop("roles")
        if self.person is None:
            return contact_create(customer=self.customer, roles=roles, **data)
        del data["person"]
        try:
            return contact_create(
                customer=self.customer, roles=roles, person=self.person, **data
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "gone":
                # At the form, not the list's message: the typed details stay.
                raise ValidationError(
                    PERSON_GONE_MESSAGE, code="person_gone"
                ) from error
            raise


class ContactUpdateView(WarnSharedMixin, ContactMixin, UpdateView):
    permission_required = ("customers.view_customer", "contacts.change_contact")
    success_message = _("Contact %(object)s was saved.")

    def get_object(self, queryset=None):
        contact = super().get_object(queryset)
        self.stored_email, self.stored_phone = contact.email, contact.phone
        return contact

    def get_context_data(self, **kwargs):
        kwargs["other_customers"] = selectors.other_customers_of(contact=self.object)
        return super().get_context_data(**kwargs)

    def save(self, form):
        data = form.model_data()
        roles = data.pop("roles")
        return contact_update(
            contact=self.object, data=data, roles=roles, version=form.opened_version()
        )


class ContactDeleteView(ContactMixin, DeleteView):
    permission_required = ("customers.view_customer", "contacts.delete_contact")
    template_name = "contacts/contact_confirm_delete.html"
    form_class = Form
    success_message = _("Contact %(object)s was deleted.")

    def save(self, form):
        contact_delete(contact=self.object)
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
    success_message = _("The contact details were saved.")

    def get(self, request, *args, **kwargs):
        return self.render_window(self.current_window())

    def post(self, request, *args, **kwargs):
        window = ContactCardWindow(data=request.POST)
        if window.adds_row or not window.is_valid():
            return self.render_window(window)
        shared = selectors.details_on_other_cards(
            customer=self.customer, rows=window.typed_values()
        )
        acknowledged = "|".join(sorted({item.value for item in shared}))
        if shared and request.POST.get("acknowledge_shared") != acknowledged:
            return self.render_window(
                window, shared_details=shared, acknowledged=acknowledged
            )
        try:
            written = contact_details_update(
                customer=self.customer,
                primaries=window.primary_inputs(),
                additional=window.additional_inputs(),
                card_version=window.version,
            )
        except Customer.DoesNotExist as gone:
            raise Http404("The customer no longer exists.") from gone
        except ContactCardChanged as error:
            return self.render_window(
                self.current_window(), stale_message=error.message
            )
        except ValidationError as error:
            window.add_service_errors(error)
            return self.render_window(window)
        messages.success(request, self.success_message)
        for detail in written:
            if warning := detail.type_warning():
                messages.warning(request, warning)
        return HttpResponseRedirect(self.get_success_url())

    def current_window(self) -> ContactCardWindow:
        return ContactCardWindow(
            card=selectors.contact_card(customer=self.customer),
            version=selectors.contact_card_version(customer=self.customer),
        )

    def render_window(self, window: ContactCardWindow, **context):
        window.focus_first_error()
        return self.render_to_response(
            self.get_context_data(
                form=window.form,
                formset=window.formset,
                error_summary=window.error_summary(),
                **context,
            )
        )

    def get_success_url(self) -> str:
        return reverse("customers:detail", kwargs={"pk": self.customer.pk})


class PossibleDuplicateListView(PermissionRequiredMixin, ListView):
    """Possible duplicates, across customers, newest first: for those who may merge
    contacts (the Sales manager by default)."""

    permission_required = (
        "customers.view_customer",
        "contacts.view_contact",
        "contacts.merge_contact",
    )
    raise_exception = True
    template_name = "contacts/possible_duplicate_list.html"
    context_object_name = "pairs"
    paginate_by = 25
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return selectors.possible_duplicates()


class NotADuplicateView(PermissionRequiredMixin, SingleObjectMixin, View):
    """Not a duplicate (POST): remembered, so the pair is not proposed again."""

    permission_required = ("customers.view_customer", "contacts.merge_contact")
    raise_exception = True
    model = PossibleDuplicate
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        pair = self.get_object(
            PossibleDuplicate.objects.select_related("contact_a", "contact_b")
        )
        try:
            not_duplicate_mark(pair=pair)
        except ValidationError as gone:
            messages.error(request, gone.message)
            return redirect("duplicates:list")
        names = {"first": pair.contact_a.full_name, "second": pair.contact_b.full_name}
        said = (
            gettext("%(first)s and %(second)s are marked as not a duplicate.")
            if pair.other_customer_id is None
            else gettext("%(first)s and %(second)s are marked as not the same person.")
        )
        messages.success(request, said % names)
        return redirect("duplicates:list")


class SamePersonLinkView(PermissionRequiredMixin, FormView):
    """Link as one person: the two persons of a pair of two customers' contacts,
    side by side with their customers, and whose name stays (POST links them)."""

    permission_required = (
        "customers.view_customer",
        "contacts.view_contact",
        "contacts.change_contact",
        "contacts.merge_contact",
    )
    raise_exception = True
    template_name = "contacts/same_person_link.html"
    form_class = SamePersonLinkForm
    # FormView takes PUT as a POST; the page is a form.
    http_method_names = ["get", "head", "options", "post"]

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.pair = (
            PossibleDuplicate.objects.filter(
                pk=self.kwargs["pk"], other_customer__isnull=False
            )
            .select_related(
                "customer", "other_customer", "contact_a__person", "contact_b__person"
            )
            .first()
        )
        if self.pair is None or (
            self.pair.contact_a.person_id == self.pair.contact_b.person_id
        ):
            # Linked, merged, deleted or changed since the page showed it.
            messages.error(request, PAIR_GONE_MESSAGE)
            return redirect("duplicates:list")
        self.preview = selectors.same_person_preview(pair=self.pair)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "persons": [person for person, _links in self.preview],
        }

    def get_context_data(self, **kwargs):
        kwargs["pair"], kwargs["preview"] = self.pair, self.preview
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        keep, join = form.kept_and_joined()
        said = gettext("%(joined)s and %(kept)s are linked as one person.") % {
            "joined": join.full_name,
            "kept": keep.full_name,
        }
        try:
            persons_join(keep=keep, join=join, user=self.request.user)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return redirect("duplicates:list")
        messages.success(self.request, said)
        return redirect("persons:detail", pk=keep.pk)


class ContactMergeView(CustomerPageMixin, FormView):
    """Merge the contact in the URL's `other_pk` into the one in `pk`, two contacts
    of the customer: a preview side by side where the user picks, per field, the
    value that stays. A contact of another customer through this URL is a 404."""

    permission_required = (
        "customers.view_customer",
        "contacts.change_contact",
        "contacts.delete_contact",
        "contacts.merge_contact",
    )
    template_name = "contacts/contact_merge.html"
    form_class = ContactMergeForm
    model = Contact  # of both `pk` (kept) and `other_pk` (merged away)
    active_tab = "contacts"

    def setup_contacts(self):
        contacts = self.customer.contacts.prefetch_related("roles")
        self.keep = get_object_or_404(contacts, pk=self.kwargs["pk"])
        self.merge_away = get_object_or_404(contacts, pk=self.kwargs["other_pk"])
        if self.keep.pk == self.merge_away.pk:
            raise Http404("A contact cannot be merged into itself.")

    def get(self, request, *args, **kwargs):
        self.setup_contacts()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.setup_contacts()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "keep": self.keep,
            "merge_away": self.merge_away,
        }

    def get_context_data(self, **kwargs):
        kwargs.setdefault(
            "preview",
            selectors.merge_preview(keep=self.keep, merge_away=self.merge_away),
        )
        kwargs["keep"], kwargs["merge_away"] = self.keep, self.merge_away
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        summary = gettext("Merged %(merged)s into %(kept)s.") % {
            "merged": self.merge_away.full_name,
            "kept": self.keep.full_name,
        }
        try:
            contacts_merge(
                keep=self.keep,
                merge_away=self.merge_away,
                values=form.chosen_values(),
                user=self.request.user,
                keep_version=form.cleaned_data["keep_version"],
                merge_away_version=form.cleaned_data["merge_away_version"],
            )
        except ContactChanged as error:
            # The preview again, with the current values (or the list, when one of
            # the two is gone).
            try:
                self.setup_contacts()
            except Http404:
                messages.error(self.request, error.message)
                return HttpResponseRedirect(self.get_success_url())
            return self.render_to_response(
                self.get_context_data(
                    form=ContactMergeForm(keep=self.keep, merge_away=self.merge_away),
                    stale_message=error.message,
                )
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, summary)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return reverse("contacts:list", kwargs={"customer_pk": self.customer.pk})


class PersonDetailView(PermissionRequiredMixin, DetailView):
    """A person's page, read-only: who they are, each customer they are a contact
    of (with the roles and work details there), and their history."""

    permission_required = PERSON_PAGE_PERMISSIONS
    raise_exception = True
    model = Person
    template_name = "contacts/person_detail.html"
    context_object_name = "person"
    http_method_names = ["get", "head", "options"]

    def get_context_data(self, **kwargs):
        links = selectors.person_links(person_id=self.object.pk)
        if not links:
            # No customer of theirs to show: as if the person did not exist.
            raise Http404
        kwargs["links"] = links
        kwargs["changes"] = selectors.person_history(person_id=self.object.pk)
        kwargs["history_limit"] = selectors.PERSON_HISTORY_LIMIT
        kwargs["actions"] = actions_for(self.request.user, self.object.pk)
        return super().get_context_data(**kwargs)
