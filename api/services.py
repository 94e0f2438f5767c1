"""Making and revoking API tokens: the management command and the admin share
these."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from api.models import ApiToken

# A token reads `cc_` and 43 URL-safe characters (256 random bits). The first
# characters, kept as the prefix, tell tokens apart in the admin and in logs.
TOKEN_PREFIX = "cc_"
SHOWN_CHARACTERS = 8


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, stored nowhere


@transaction.atomic
def api_token_create(
    *,
    user: AbstractBaseUser,
    name: str = "",
    read_only: bool = False,
    expires_in_days: int | None = None,
) -> NewToken:
    """Make a token for the user. Only its hash and first characters are kept: the
    token itself is in the answer, to be shown once."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        read_only=read_only,
        prefix=secret[: len(TOKEN_PREFIX) + SHOWN_CHARACTERS],
        key_hash=token_hash(secret),
        expires_at=(
            timezone.now() + timedelta(days=expires_in_days)
            if expires_in_days is not None
            else None
        ),
    )
    token.full_clean()
    token.save()
    return NewToken(token=token, secret=secret)


@transaction.atomic
def api_tokens_revoke(*, tokens) -> int:
    """Revoke the tokens: the next request made with one of them is refused. They
    stay listed, with when they were revoked. Returns how many were revoked now."""
    now = timezone.now()
    revoked = 0
    for token in tokens:
        if token.revoked_at is None:
            token.revoked_at = now
            token.save(update_fields=["revoked_at", "updated_at"])
            revoked += 1
    return revoked
