from django import forms
from django.utils.translation import gettext_lazy as _

from communications.outbox import RETRY_LIMIT


class LiftSuppressionForm(forms.Form):
    lift_reason = forms.CharField(
        label=_("Why lift it?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: the customer fixed the mailbox. The reason is kept in the "
            "customer's Activity Log."
        ),
    )


class RetryForm(forms.Form):
    """The deliveries chosen on the Failed communications page."""

    delivery = forms.TypedMultipleChoiceField(coerce=int, required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any whole number: the service retries those that need a person.
        self.fields["delivery"].valid_value = lambda value: str(value).isdigit()
        self.fields["delivery"].error_messages["required"] = _(
            "Select the communications to retry."
        )

    def clean_delivery(self):
        chosen = sorted(set(self.cleaned_data["delivery"]))
        if len(chosen) > RETRY_LIMIT:
            raise forms.ValidationError(
                _("Select at most %(limit)s communications to retry at once."),
                code="too_many",
                params={"limit": RETRY_LIMIT},
            )
        return chosen
