from django import forms
from django.utils.translation import gettext_lazy as _

from transfers.models import ImportJob

# What each kind asks of the user: adding, and changing for an update.
PERMISSIONS = {
    ImportJob.Kind.CONTACTS: ("contacts.add_contact", "contacts.change_contact"),
    ImportJob.Kind.CONTACT_DETAILS: (
        "contacts.add_contactdetail",
        "contacts.change_contactdetail",
    ),
}


def may_import(user, *, kind: str, update: bool) -> bool:
    """Whether the user may import a file of this kind: add, and change to update."""
    add, change = PERMISSIONS[ImportJob.Kind(kind)]
    return user.has_perms([add, change] if update else [add])


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportJob.Kind)
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "A CSV file (UTF-8, comma- or semicolon-separated) or an XLSX workbook "
            "(its first sheet), with the columns an export writes (a downloaded "
            "export, edited, imports as it is)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,.xlsx"}),
    )
    update = forms.BooleanField(
        label=_("Update the contacts the file matches"),
        help_text=_(
            "Without it, a row matching a stored contact is refused; with it, the "
            "stored contact takes the row's values."
        ),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        update = cleaned.get("update", False)
        if kind and not may_import(self.user, kind=kind, update=update):
            self.add_error("kind", _("You may not import these: ask a sales manager."))
        return cleaned
