from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in. Access to processes comes from ``processes.Membership``."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class FailedLogin(models.Model):
    """One failed login attempt, keyed by a hash of the username: no personal data is stored."""

    username_digest = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")

    def __str__(self) -> str:
        return f"{self.username_digest[:8]} {self.at:%Y-%m-%d %H:%M}"


class SurveyTokenMiss(models.Model):
    """A request for a survey link that does not exist, keyed by a hash of the client's address (never the address)."""

    client_digest = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("unknown survey link request")
        verbose_name_plural = _("unknown survey link requests")

    def __str__(self) -> str:
        return f"{self.client_digest[:8]} {self.at:%Y-%m-%d %H:%M}"
