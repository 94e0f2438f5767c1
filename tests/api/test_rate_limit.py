"""The rate limit: API_RATE_LIMIT requests a minute per token, then 429 with
Retry-After; counted in the cache, so with Redis it holds across processes."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis

from api import throttling
from api.services import api_token_create
from tests.api.conftest import Api, codes

CUSTOMERS = "/api/v1/customers/"
ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = os.environ.get("TEST_REDIS_DB", "5")
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"


@pytest.fixture
def clock(monkeypatch):
    now = [60 * 16_667 + 20.0]  # 20 seconds into a minute
    monkeypatch.setattr(throttling, "clock", lambda: now[0])
    return now


@pytest.mark.django_db
def test_past_the_limit_a_token_is_answered_429_with_retry_after(
    settings, manager, clock
):
    settings.API_RATE_LIMIT = 3
    api = Api(api_token_create(user=manager).secret)
    other_token = Api(api_token_create(user=manager).secret)

    statuses = [api.get(CUSTOMERS).status_code for _ in range(4)]
    refused = api.get(CUSTOMERS)

    assert statuses == [200, 200, 200, 429]
    assert refused["Retry-After"] == "40"
    assert codes(refused) == [(None, "throttled")]
    assert "3 a minute" in refused.json()["errors"][0]["message"]
    # Per token, not per user.
    assert other_token.get(CUSTOMERS).status_code == 200
    # The next minute.
    clock[0] += 40
    assert api.get(CUSTOMERS).status_code == 200


@pytest.mark.django_db
def test_the_limit_counts_writes_and_refusals_too(settings, manager, clock):
    settings.API_RATE_LIMIT = 2
    api = Api(api_token_create(user=manager).secret)

    api.post(CUSTOMERS, {})  # 400
    api.get(f"{CUSTOMERS}999/")  # 404

    assert api.get(CUSTOMERS).status_code == 429


COUNT_IN_A_PROCESS = """
import json, sys
import django
django.setup()
from types import SimpleNamespace
from api.models import ApiToken
from api.throttling import TokenRateThrottle
from api.errors import RateLimited
request = SimpleNamespace(auth=ApiToken(pk=int(sys.argv[1])))
allowed = 0
for _ in range(int(sys.argv[2])):
    try:
        TokenRateThrottle().allow_request(request, None)
        allowed += 1
    except RateLimited:
        pass
print(json.dumps(allowed))
"""


def allowed_in_two_processes(*, redis_url: str, limit: int, each: int) -> list[int]:
    """Two processes (two workers) each making `each` requests with one token."""
    prefix = f"test-api-rate-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "API_RATE_LIMIT": str(limit),
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,
    }
    if not redis_url:
        del env["REDIS_URL"]
    token = str(uuid.uuid4().int % 10**9)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", COUNT_IN_A_PROCESS, token, str(each)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        return [json.loads(p.communicate(timeout=60)[0]) for p in processes]
    finally:
        if redis_url:
            client = redis.Redis.from_url(redis_url)
            for key in client.scan_iter(f"{prefix}:*"):
                client.delete(key)


def redis_available() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        return False


@pytest.mark.skipif(not redis_available(), reason=f"needs Redis at {REDIS_URL}")
def test_with_redis_the_limit_holds_across_processes():
    allowed = allowed_in_two_processes(redis_url=REDIS_URL, limit=10, each=8)

    assert sum(allowed) == 10


def test_with_the_memory_cache_each_process_counts_on_its_own():
    """What holds without Redis: the limit per process (per gunicorn worker)."""
    allowed = allowed_in_two_processes(redis_url="", limit=10, each=8)

    assert allowed == [8, 8]
