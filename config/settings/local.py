"""Development on one machine: DEBUG on, SQLite unless DATABASE_URL says otherwise."""

import os

from config.settings.base import *  # noqa: F403
from config.settings.base import env_bool, env_list

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "local-development-only-not-a-secret")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
# Static files straight from the source folders, also with DEBUG off (to see the
# real error pages: docs/deployment.md), as production serves its collected copy.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
