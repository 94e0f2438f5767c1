from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.validators import find_unusable_character, unusable_character_error

# How much of a too-long stored value its error shows.
_SHOWN_OF_A_LONG_VALUE = 30


class TimeStampedModel(models.Model):
    """What every model of the application shares: when a row was created and last
    changed, and the rules every text of every model follows (`full_clean`)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def version(self) -> str:
        """What a form opened on this row carries, so a save based on values that
        changed since is refused instead of overwriting them (core.services.
        lock_unchanged)."""
        return self.updated_at.isoformat() if self.updated_at else ""

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True):
        """The model's own rules, and two that hold for every text of every model, so
        the forms, the admin, the services, the imports and the commands all apply
        them:

        - a text holds no control character, and a one-line text (a CharField) no
          line break or tab either (`core.validators`). Such a value is refused for
          that alone, before `clean()` reads it or a uniqueness check sends it to
          the database (PostgreSQL cannot take a NUL byte);
        - a text's length limit holds for the value as it will be stored, after
          `clean()` normalised it (`example.com` stored as `https://example.com`),
          not only for the value as typed.
        """
        exclude = set(exclude or ())
        texts = [
            field
            for field in self._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
            and field.name not in exclude
        ]
        refused = self._unusable_characters(texts)
        typed = {field.name: getattr(self, field.attname) for field in texts}
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().full_clean(
                exclude=exclude | refused.keys(),
                validate_unique=validate_unique,
                validate_constraints=validate_constraints,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # What clean() said of a refused value too would only repeat the refusal.
        errors.update({name: [error] for name, error in refused.items()})
        for field in texts:
            if field.name not in errors and (
                error := self._stored_length_error(field, typed[field.name])
            ):
                errors[field.name] = [error]
        if errors:
            raise ValidationError(errors)

    def _unusable_characters(self, texts) -> dict[str, ValidationError]:
        refused = {}
        for field in texts:
            value = getattr(self, field.attname)
            if not isinstance(value, str):
                continue
            multiline = isinstance(field, models.TextField)
            if problem := find_unusable_character(value, multiline=multiline):
                refused[field.name] = unusable_character_error(problem)
        return refused

    def _stored_length_error(self, field, typed) -> ValidationError | None:
        value = getattr(self, field.attname)
        limit = field.max_length
        if not isinstance(value, str) or limit is None or len(value) <= limit:
            return None
        if value == typed:
            # A TextField's limit is checked by its form only; the services and
            # imports reach it here.
            return ValidationError(
                gettext("This is %(length)d characters long; the limit is %(limit)d."),
                code="max_length",
                params={"length": len(value), "limit": limit},
            )
        shown = value[:_SHOWN_OF_A_LONG_VALUE] + "…"
        return ValidationError(
            gettext(
                "Stored as “%(shown)s”, this is %(length)d characters long; the limit "
                "is %(limit)d. Shorten it."
            ),
            code="max_length",
            params={"shown": shown, "length": len(value), "limit": limit},
        )


class NumberSequence(TimeStampedModel):
    """The last number handed out for one kind of record (customers, invoices, …).

    A row per kind, incremented under a row lock, so two people creating records at the
    same moment never receive the same number, on any database.
    """

    name = models.CharField(_("name"), max_length=50, unique=True)
    last_value = models.PositiveBigIntegerField(_("last value"), default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")

    def __str__(self) -> str:
        return f"{self.name}: {self.last_value}"


def language_field(*, help_text: str) -> models.CharField:
    """One of the languages the product speaks (settings.LANGUAGES); blank when the
    language comes from elsewhere, which `help_text` says."""
    return models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=help_text,
    )


class UserPreferences(TimeStampedModel):
    """What a user chose for themselves: the language of their pages (blank: their
    browser's, else English). One row per user, made when they first choose."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preferences",
        verbose_name=_("user"),
    )
    language = language_field(help_text=_("Blank: the language the browser asks for."))

    class Meta:
        verbose_name = _("user preferences")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return str(self.user)


class WorkerHeartbeat(models.Model):
    """A background worker process saying it is alive (core.worker), so the
    readiness probe can tell whether anything is working the queue."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    hostname = models.CharField(_("host name"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    last_seen_at = models.DateTimeField(_("last seen at"), db_index=True)

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


class PeriodicJobRun(models.Model):
    """When a periodic job (core.worker) last started and finished. Workers on
    several machines claim a job through this row, so each job runs once per
    period however many workers there are."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    last_started_at = models.DateTimeField(_("last started at"), null=True)
    last_finished_at = models.DateTimeField(_("last finished at"), null=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("periodic job run")
        verbose_name_plural = _("periodic job runs")

    def __str__(self) -> str:
        return self.name


class DefaultGroupGrant(TimeStampedModel):
    """A permission `migrate` once gave a default group (core.permissions). It is
    never given again: one an administrator took away stays away, while one that a
    later release declares has no row yet and is given."""

    group = models.ForeignKey(
        "auth.Group",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("group"),
    )
    permission = models.ForeignKey(
        "auth.Permission",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("permission"),
    )

    class Meta:
        ordering = ["group", "permission"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "permission"], name="default_group_grant_once"
            )
        ]
        verbose_name = _("default group grant")
        verbose_name_plural = _("default group grants")

    def __str__(self) -> str:
        return f"{self.group} – {self.permission}"
