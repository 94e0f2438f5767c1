from django import forms
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact
from core.forms import AmountField, ModelForm
from core.money import currency_choices, default_currency
from customers.models import Customer
from sales.models import Invoice, SalesDocument, SalesOrder, Shipment
from sales.services import CONTACT_DELETED_MESSAGE

COMMON_FIELDS = ["date", "reference", "status", "contact"]


class DocumentForm(ModelForm):
    """A document of one customer: the contact select offers that customer's contacts
    only. The model rule (`SalesDocument.clean`) refuses any other contact too."""

    def __init__(self, *args, customer: Customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.customer = customer
        contact = self.fields["contact"]
        contact.queryset = Contact.objects.filter(customer=customer)
        contact.label = _("Contact")
        contact.empty_label = _("No contact")
        # Chosen when the form opened, deleted before it was saved.
        contact.error_messages["invalid_choice"] = CONTACT_DELETED_MESSAGE
        contact.label_from_instance = contact_choice_label
        contact.help_text = _(
            "Their name, email address and phone number are copied onto the "
            "document when you assign them."
        )
        if not self.instance.pk:
            # A new document starts as a draft; it becomes Sent when it is sent.
            del self.fields["status"]
        if "currency" in self.fields:
            # A select of the currencies in use, named in the user's language; the
            # model's validator holds the same list for the admin and imports.
            self.fields["currency"] = forms.ChoiceField(
                label=_("Currency"),
                choices=currency_choices(),
                initial=self.instance.currency or default_currency(),
            )

    def document_fields(self) -> dict:
        """The cleaned data without the contact, for the services."""
        return {
            name: value
            for name, value in self.model_data().items()
            if name != "contact"
        }


def contact_choice_label(contact: Contact) -> str:
    return (
        f"{contact.full_name} <{contact.email}>" if contact.email else contact.full_name
    )


def _meta(model: type[SalesDocument], extra: list[str]):
    return type(
        "Meta",
        (),
        {
            "model": model,
            "fields": [*COMMON_FIELDS[:2], *extra, *COMMON_FIELDS[2:]],
            # A date input shows and posts ISO dates only, whatever the language.
            "widgets": {
                "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            },
            "field_classes": {"amount": AmountField},
        },
    )


class SalesOrderForm(DocumentForm):
    Meta = _meta(SalesOrder, ["amount", "currency"])


class InvoiceForm(DocumentForm):
    Meta = _meta(Invoice, ["amount", "currency"])


class ShipmentForm(DocumentForm):
    Meta = _meta(Shipment, ["carrier", "tracking_code"])


FORMS = {SalesOrder: SalesOrderForm, Invoice: InvoiceForm, Shipment: ShipmentForm}
