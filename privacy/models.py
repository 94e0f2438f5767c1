from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class ErasureLog(TimeStampedModel):
    """One erasure of a person: whom (masked), by whom, when, and how many rows of
    each kind were changed. Never the data itself."""

    identifier = models.CharField(_("person"), max_length=254)
    # SET_NULL: the record of an erasure outlives the user who made it.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erased by"),
    )
    counts = models.JSONField(_("rows changed"), default=dict)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        permissions = [
            ("handle_personal_data", _("Export and erase a person's data")),
        ]

    def __str__(self) -> str:
        return f"Erasure of {self.identifier}"


class ExportLog(TimeStampedModel):
    """One export of a person's data: whom (masked), by whom, when; no copy."""

    identifier = models.CharField(_("person"), max_length=254)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("exported by"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"Export of {self.identifier}"


class RetainedCopy(TimeStampedModel):
    """A row an erasure left its retained fields on (an issued document's copy of
    its recipient), until the retention period counted from `retained_from` ends
    and the daily job erases them too."""

    erasure = models.ForeignKey(
        ErasureLog,
        on_delete=models.CASCADE,
        related_name="retained_copies",
        verbose_name=_("erasure"),
    )
    model = models.CharField(_("model"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("object id"))
    retained_from = models.DateField(_("retained from"))

    class Meta:
        ordering = ["retained_from", "pk"]
        verbose_name = _("retained copy")
        verbose_name_plural = _("retained copies")
        indexes = [models.Index(fields=["retained_from"], name="retainedcopy_from")]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "object_id"], name="privacy_retainedcopy_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id} retained from {self.retained_from}"
