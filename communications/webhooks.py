"""django-anymail's tracking webhooks, for the provider the organisation sends
through: their URLs (tracking only, no inbound mail) and the receiver of their
normalised events."""

from anymail import urls as anymail_urls
from django.conf import settings

from communications.suppressions import delivery_event_record


def record_tracking_event(sender, event, esp_name, **kwargs) -> None:
    """anymail's `tracking` signal: store the event once and apply it."""
    delivery_event_record(provider=esp_name, event=event)


def tracking_urlpatterns() -> list:
    """anymail's tracking webhook URL (`<provider>/tracking/`) of each provider in
    MAIL_PROVIDER_WEBHOOKS ("postmark", "mailgun", …: anymail's names). Each is open
    to the provider (no sign-in; anymail checks ANYMAIL's WEBHOOK_SECRET, and the
    provider's own signature where it has one)."""
    wanted = {f"{name}_tracking_webhook" for name in settings.MAIL_PROVIDER_WEBHOOKS}
    return [pattern for pattern in anymail_urls.urlpatterns if pattern.name in wanted]
