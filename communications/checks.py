"""System checks of the settings the outbox reads."""

from django.conf import settings
from django.core import checks


@checks.register()
def check_from_address(app_configs, **kwargs):
    """Emails to customers must come from an address they can answer: not the
    development default (contacts@localhost) anywhere but in development."""
    address = settings.DEFAULT_FROM_EMAIL
    domain = address.rpartition("@")[2].strip(">").lower()
    if settings.DEBUG or domain not in {"localhost", "localhost.localdomain"}:
        return []
    return [
        checks.Error(
            f"DEFAULT_FROM_EMAIL is {address!r}: customers' emails would come from "
            "an address nobody can answer.",
            hint="Set DEFAULT_FROM_EMAIL to the organisation's address, such as "
            "sales@example.com (and ORGANISATION_NAME, ORGANISATION_ADDRESS).",
            id="communications.E001",
        )
    ]


@checks.register()
def check_webhook_secret(app_configs, **kwargs):
    """A tracking webhook anyone may post to could suppress any address."""
    if not settings.MAIL_PROVIDER_WEBHOOKS or settings.ANYMAIL.get("WEBHOOK_SECRET"):
        return []
    return [
        checks.Error(
            "MAIL_PROVIDER_WEBHOOKS serves the mail provider's tracking webhooks, "
            "but ANYMAIL_WEBHOOK_SECRET is not set: anyone could post bounces.",
            hint='Set ANYMAIL_WEBHOOK_SECRET to "user:password" and give the '
            "provider the same in the webhook's address.",
            id="communications.E002",
        )
    ]
