"""API tokens: made, checked and revoked here only."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from evidens.api.models import ApiToken

# The prefix marks the string as an Evidens token (for secret scanners and for people); the rest is 256 random bits.
TOKEN_MARK = "evd_"  # noqa: S105 - a public marker, not a secret
SHOWN_PREFIX_LENGTH = 8


def token_digest(secret: str) -> str:
    # One SHA-256 round is enough: the secret is random and long, so there is nothing to guess from the digest.
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: Any, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its secret, which is returned here and never again."""
    secret = TOKEN_MARK + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name.strip(), prefix=secret[:SHOWN_PREFIX_LENGTH],
                                    digest=token_digest(secret))
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def token_user(secret: str) -> Any | None:
    """The active user a secret belongs to, or None for an unknown, revoked or deactivated one."""
    token = (ApiToken.objects.select_related("user")
             .filter(digest=token_digest(secret), revoked_at__isnull=True, user__is_active=True).first())
    if token is None:
        return None
    # An update of the one column, so two requests at once never overwrite each other's row.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
