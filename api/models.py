from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class ApiToken(TimeStampedModel):
    """A bearer token of one user: requests made with it act with that user's
    permissions (fewer when it is read-only). Only a hash of the token is stored,
    with its first characters to tell it apart; the token itself is shown once,
    when it is made (api.services.api_token_create)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        blank=True,
        help_text=_("What uses this token, for instance “ERP”."),
    )
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    # SHA-256 of the whole token, hex: a token is 256 random bits, so a fast hash
    # cannot be reversed by guessing, and the lookup is one indexed equality.
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    read_only = models.BooleanField(
        _("read-only"),
        default=False,
        help_text=_("A read-only token can read but not change anything."),
    )
    expires_at = models.DateTimeField(
        _("expires at"),
        null=True,
        blank=True,
        help_text=_("Blank: the token does not expire."),
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        label = f"{self.prefix}…"
        return f"{label} ({self.name})" if self.name else label

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > now
        )
