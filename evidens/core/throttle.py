"""Throttling: after too many failures for one key within a window, refuse further tries for a while.

Two keys are limited. Logins by username, so an attacker cannot spread guesses for one account over many
addresses. Survey links by client address, so one client cannot try link after link. A key is stored only as
an HMAC made with the secret key: no username or address is stored in clear.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from evidens.core.models import FailedLogin, SurveyTokenMiss


@dataclass(frozen=True)
class Throttle:
    """Failures stored as rows of ``model`` (a digest field and ``at``); limit and window read from settings."""

    model: type[models.Model]
    digest_field: str
    salt: str
    limit_setting: str
    minutes_setting: str

    def digest(self, key: str) -> str:
        return salted_hmac(self.salt, key, algorithm="sha256").hexdigest()

    @property
    def minutes(self) -> int:
        return int(getattr(settings, self.minutes_setting))

    def _window_start(self) -> datetime:
        return timezone.now() - timedelta(minutes=self.minutes)

    def _rows(self, key: str) -> models.QuerySet[models.Model]:
        return self.model._default_manager.filter(**{self.digest_field: self.digest(key)})

    def locked(self, key: str) -> bool:
        limit = int(getattr(settings, self.limit_setting))
        return self._rows(key).filter(at__gte=self._window_start()).count() >= limit

    @transaction.atomic
    def failure_record(self, key: str) -> None:
        self.model._default_manager.filter(at__lt=self._window_start()).delete()
        self.model._default_manager.create(**{self.digest_field: self.digest(key)})

    @transaction.atomic
    def failures_clear(self, key: str) -> None:
        self._rows(key).delete()


LOGIN = Throttle(FailedLogin, "username_digest", "evidens.core.throttle.login",
                 "LOGIN_FAILURE_LIMIT", "LOGIN_LOCKOUT_MINUTES")
SURVEY_TOKEN = Throttle(SurveyTokenMiss, "client_digest", "evidens.core.throttle.survey_token",
                        "SURVEY_TOKEN_MISS_LIMIT", "SURVEY_TOKEN_LOCKOUT_MINUTES")


def _username_key(username: str) -> str:
    return username.strip().lower()


def login_locked(username: str) -> bool:
    return LOGIN.locked(_username_key(username))


def login_failure_record(username: str) -> None:
    LOGIN.failure_record(_username_key(username))


def login_failures_clear(username: str) -> None:
    LOGIN.failures_clear(_username_key(username))


def client_key(request: HttpRequest) -> str:
    """The client's address as a throttling key; an IPv6 client counts as its /64, which one household holds."""
    raw = request.META.get("REMOTE_ADDR", "")
    if settings.CLIENT_ADDRESS_HEADER:
        forwarded = request.headers.get(settings.CLIENT_ADDRESS_HEADER, "")
        raw = forwarded.split(",")[-1].strip() or raw
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
