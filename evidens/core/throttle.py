"""Login throttling: after too many failures for a username, refuse further tries for a while.

Failures are counted per username (hashed with the secret key), so an attacker
cannot spread guesses for one account over many addresses, and no address or
username is stored in clear.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from evidens.core.models import FailedLogin


def username_digest(username: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, username.strip().lower().encode(), hashlib.sha256).hexdigest()


def _window_start() -> datetime:
    return timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def login_locked(username: str) -> bool:
    recent = FailedLogin.objects.filter(username_digest=username_digest(username), at__gte=_window_start())
    return recent.count() >= settings.LOGIN_FAILURE_LIMIT


@transaction.atomic
def login_failure_record(username: str) -> None:
    FailedLogin.objects.filter(at__lt=_window_start()).delete()
    FailedLogin.objects.create(username_digest=username_digest(username))


@transaction.atomic
def login_failures_clear(username: str) -> None:
    FailedLogin.objects.filter(username_digest=username_digest(username)).delete()
