"""The test suite: fast password hashing, mail kept in memory."""

from config.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-a-secret"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Static files straight from the source folders, as in development.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The organisation the emails come from (a real domain: communications.E001), and
# the secret the mail provider's webhooks sign in with.
DEFAULT_FROM_EMAIL = "sales@fjord-trading.example"
ORGANISATION_NAME = "Fjord Trading B.V."
ORGANISATION_ADDRESS = "Keizersgracht 1|1015 CJ Amsterdam"
ANYMAIL = {"WEBHOOK_SECRET": "provider:webhook-secret"}
MAIL_PROVIDER_WEBHOOKS = ["postmark"]
