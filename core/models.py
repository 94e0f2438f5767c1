from django.db import models


class TimeStampedModel(models.Model):
    """When a row was created and last changed: every model of the application has
    both, declared once here."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class NumberSequence(TimeStampedModel):
    """The last number handed out for one kind of record (customers, invoices, …).

    A row per kind, incremented under a row lock, so two people creating records at the
    same moment never receive the same number, on any database.
    """

    name = models.CharField(max_length=50, unique=True)
    last_value = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}: {self.last_value}"
