from django import forms


class ModelForm(forms.ModelForm):
    """The project's model form: labels sit above their fields, without a colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
