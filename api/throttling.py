"""The rate limit per token: API_RATE_LIMIT requests a minute, counted in a window
per calendar minute in the cache. Redis (REDIS_URL) is shared by every worker and
its INCR is atomic, so the limit holds across gunicorn workers and machines; with
the per-process memory cache each worker counts on its own (the limit times the
number of workers)."""

import math
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from api.errors import RateLimited
from api.models import ApiToken

WINDOW_SECONDS = 60
# The counter outlives its window, so it never expires while it is counted.
KEY_TIMEOUT = 2 * WINDOW_SECONDS

# Seconds since the epoch; tests replace it.
clock = time.time


class TokenRateThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return True  # a session reading the schema: not a token's request
        limit = settings.API_RATE_LIMIT
        now = clock()
        window = math.floor(now / WINDOW_SECONDS)
        key = f"api:rate:{token.pk}:{window}"
        cache.add(key, 0, KEY_TIMEOUT)
        try:
            count = cache.incr(key)
        except ValueError:  # culled from a full memory cache meanwhile
            cache.set(key, count := 1, KEY_TIMEOUT)
        if count > limit:
            # Raised here rather than through DRF's `throttled()`: our words.
            raise RateLimited(
                limit=limit, wait=max(1, (window + 1) * WINDOW_SECONDS - now)
            )
        return True
