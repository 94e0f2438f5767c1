from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.generic import TemplateView

from contacts import selectors, services
from contacts.forms import (
    ADDITIONAL_PREFIX,
    AdditionalDetailFormSet,
    ContactCardPrimaryForm,
)
from customers.views import CustomerScopedMixin


class ContactCardUpdateView(CustomerScopedMixin, TemplateView):
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
        return self.render_to_response(self.get_context_data(**self.unbound_forms()))

    def post(self, request, *args, **kwargs):
        data = request.POST
        if "add_row" in data:
            # Without JavaScript, Add comes here: the same window, one row more.
            data = data.copy()
            total = f"{ADDITIONAL_PREFIX}-TOTAL_FORMS"
            data[total] = str(int(data.get(total) or 0) + 1)
        form = ContactCardPrimaryForm(data=data)
        formset = AdditionalDetailFormSet(data=data, prefix=ADDITIONAL_PREFIX)
        if "add_row" in data or not (form.is_valid() and formset.is_valid()):
            return self.render_forms(form, formset)
        rows = formset.rows()
        try:
            services.contact_details_update(
                customer=self.customer,
                primaries=form.inputs(),
                additional=[row for _, row in rows],
                card_version=form.cleaned_data["version"],
            )
        except services.ContactCardChanged as error:
            return self.render_to_response(
                self.get_context_data(
                    stale_message=error.message, **self.unbound_forms()
                )
            )
        except ValidationError as error:
            self.put_errors_at_fields(error, form, [row_form for row_form, _ in rows])
            return self.render_forms(form, formset)
        messages.success(request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def unbound_forms(self) -> dict:
        card = selectors.contact_card(customer=self.customer)
        return {
            "form": ContactCardPrimaryForm(
                initial=ContactCardPrimaryForm.initial_from(card)
            ),
            "formset": AdditionalDetailFormSet(
                initial=AdditionalDetailFormSet.initial_from(card),
                prefix=ADDITIONAL_PREFIX,
            ),
        }

    def render_forms(self, form, formset):
        return self.render_to_response(
            self.get_context_data(form=form, formset=formset)
        )

    @staticmethod
    def put_errors_at_fields(error: ValidationError, form, row_forms) -> None:
        """The service names each refused field (see contact_details_update)."""
        for key, messages_ in error.message_dict.items():
            if key.startswith(f"{ADDITIONAL_PREFIX}-"):
                _, index, name = key.split("-", 2)
                row_forms[int(index)].add_error(name, messages_)
            elif key in form.fields:
                form.add_error(key, messages_)
            else:
                form.add_error(None, messages_)

    def get_success_url(self) -> str:
        return reverse("customers:detail", kwargs={"pk": self.customer.pk})
