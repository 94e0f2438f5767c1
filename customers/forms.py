from django import forms

from core.forms import ModelForm
from customers.models import Address, Customer


class CustomerForm(ModelForm):
    class Meta:
        model = Customer
        fields = ["name", "is_active", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class AddressForm(ModelForm):
    class Meta:
        model = Address
        fields = [
            "kind",
            "street_line_1",
            "street_line_2",
            "postal_code",
            "city",
            "region",
            "country",
        ]
