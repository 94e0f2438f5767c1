from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One file imported from the browser: previewed when uploaded, written in the
    background after its Confirm. The file is kept here (not on a disk the web
    servers would have to share with the worker) until the import is done."""

    class Kind(models.TextChoices):
        CONTACTS = "contacts", _("Contacts")
        CONTACT_DETAILS = "contact-details", _("Contact details")

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Stopped")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    update = models.BooleanField(default=False)
    # Imported into this customer only (started from its Contacts tab), or into
    # the customers the rows name.
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    file_name = models.CharField(max_length=255)
    # The uploader's language: the report's messages are in it.
    language = models.CharField(max_length=10)
    content = models.BinaryField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PREVIEWED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # The preview's counts, then the import's: added, updated, unchanged, refused,
    # repeated (and why it stopped, if it did).
    counts = models.JSONField(default=dict, blank=True)
    # The refused lines of the preview: [line, message], in file order.
    refused = models.JSONField(default=list, blank=True)
    # The report: line, outcome, message of every line (CSV), once done.
    report = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return self.file_name

    def get_absolute_url(self):
        return reverse("transfers:job", args=[self.pk])

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
