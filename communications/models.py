"""The outbox: one Delivery per email to one address, the events the mail provider
reports about them, and the addresses known to be undeliverable.

Delivery state lives here, in our own tables, not in the task library's: a worker
only wakes the outbox up, so a change of task backend changes no behaviour
(docs/communications.md).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact
from core.history import tracked_history
from core.models import TimeStampedModel
from customers.models import Customer


class Delivery(TimeStampedModel):
    """One email to one recipient address: what it says (written when it was sent
    for, in the recipient's language), who it is for and why, and how far it got."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DEFERRED = "deferred", _("Retry due")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")
        SUPPRESSED = "suppressed", _("Suppressed")
        UNCONFIRMED = "unconfirmed", _("Unconfirmed")

    # What a worker may claim; what needs a person (Failed communications).
    WAITING = (Status.QUEUED, Status.DEFERRED)
    NEEDS_A_PERSON = (
        Status.FAILED,
        Status.BOUNCED,
        Status.SUPPRESSED,
        Status.UNCONFIRMED,
    )

    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("customer"),
    )
    # SET_NULL: deleting a contact leaves what was sent to them.
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("contact"),
    )
    # What the email is about (a sales document): a generic link, since the apps
    # that send through the outbox sit above it.
    about_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+"
    )
    about_id = models.PositiveBigIntegerField()
    about = GenericForeignKey("about_type", "about_id")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )

    email = models.CharField(_("email address"), max_length=254)
    name = models.CharField(_("name"), max_length=201, blank=True)
    # Why this address was chosen, in the words of the sender's language then.
    reason = models.CharField(_("why"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10)
    from_email = models.CharField(_("from"), max_length=254)
    subject = models.CharField(_("subject"), max_length=255)
    text = models.TextField(_("text"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    # The mail provider's own id of the message (anymail's), which its webhooks
    # report events by; blank over plain SMTP.
    provider_message_id = models.CharField(
        _("provider's message id"), max_length=255, blank=True, db_index=True
    )

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The worker's bookkeeping: when a task was last asked to send it, and the
    # claim of the worker sending it now (its token, and until when it holds).
    enqueued_at = models.DateTimeField(null=True, blank=True, editable=False)
    claim = models.CharField(max_length=32, blank=True, editable=False)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)

    # A change of status is the customer's history; the text, the worker's
    # bookkeeping and the claim (`sending`, communications.outbox) are not.
    history = tracked_history(
        customer_field="customer",
        excluded_fields=["text", "html", "enqueued_at", "claim", "claimed_until"],
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        permissions = [("retry_delivery", _("Retry failed communications"))]
        indexes = [
            # The sweep: what is due, oldest first; lapsed claims.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(status__in=["queued", "deferred"]),
                name="delivery_due",
            ),
            models.Index(
                fields=["claimed_until"],
                condition=Q(status="sending"),
                name="delivery_claimed",
            ),
            # Failed communications, newest first, by status.
            models.Index(
                fields=["status", "-status_changed_at", "-id"],
                name="delivery_status_new",
            ),
            # A document's deliveries.
            models.Index(fields=["about_type", "about_id"], name="delivery_about"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.email}"

    @property
    def recipient(self) -> str:
        """`Ana Berg <ana@example.com>`, or the address alone."""
        return f"{self.name} <{self.email}>" if self.name else self.email


class DeliveryEvent(TimeStampedModel):
    """What the mail provider reported about an address (anymail's normalised
    tracking events), stored once per provider event: a replayed webhook finds its
    event here and changes nothing again."""

    provider = models.CharField(_("provider"), max_length=50)
    event_id = models.CharField(_("event id"), max_length=255)
    event_type = models.CharField(_("event"), max_length=20)
    # A soft bounce: a temporary refusal, counted towards a suppression.
    is_soft_bounce = models.BooleanField(_("soft bounce"), default=False)
    email = models.CharField(_("email address"), max_length=254, db_index=True)
    delivery = models.ForeignKey(
        Delivery,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("delivery"),
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("delivery event")
        verbose_name_plural = _("delivery events")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"], name="communications_event_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_type} {self.email}"


class Suppression(TimeStampedModel):
    """An address known to be undeliverable: nothing is sent to it while the
    suppression stands. Changing a contact's address leaves the old address's
    suppression behind (the new address has none); a manager may lift it, with a
    reason."""

    class Reason(models.TextChoices):
        HARD_BOUNCE = "hard_bounce", _("Hard bounce")
        COMPLAINT = "complaint", _("Spam complaint")
        SOFT_BOUNCES = "soft_bounces", _("Three soft bounces within seven days")
        REJECTED = "rejected", _("Refused by the mail provider")
        REFUSED = "refused", _("Refused by the mail server")

    # Stored lower-case: an address is compared without case.
    email = models.CharField(_("email address"), max_length=254)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    detail = models.TextField(_("detail"), blank=True)
    # The customer whose Activity Log tells it: the one the suppressing delivery
    # was for, or whose page it was lifted from. None for an address we never
    # sent to.
    customer = models.ForeignKey(
        Customer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer"),
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    lift_reason = models.TextField(_("reason for lifting"), blank=True)

    history = tracked_history(customer_field="customer")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("suppression")
        verbose_name_plural = _("suppressions")
        permissions = [("lift_suppression", _("Lift a suppression"))]
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(lifted_at__isnull=True),
                name="communications_one_standing_suppression",
                violation_error_message=_("This address is already suppressed."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_reason_display()})"

    @property
    def is_standing(self) -> bool:
        return self.lifted_at is None
