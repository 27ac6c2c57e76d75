"""The evidence base: frozen snapshots handed over by the channels.

An ``EvidenceItem`` never changes once written: refreshing the live view it came from writes the next
version beside it, so what a finding cites stays what the board read.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from evidens.processes.models import StrategyProcess


class Channel(models.TextChoices):
    SURVEYS = "surveys", _("survey")
    WEBSTATS = "webstats", _("web statistics")
    ARCHIVE = "archive", _("archive")
    INTERVIEWS = "interviews", _("interviews")


class SnapshotChanged(Exception):
    """An evidence item was about to be changed after it was written."""


class EvidenceItem(models.Model):
    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="evidence_items")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    title = models.CharField(_("title"), max_length=300)
    source_key = models.CharField(max_length=300)  # the live view it came from; versions share it
    version = models.PositiveIntegerField(default=1)
    definition = models.JSONField(_("definition"))  # what was asked: question, filters, weighting, period
    # {"headings": [...], "rows": [[...], ...], "notes": [...]} for a table, {"text": ...} for a passage
    result = models.JSONField(_("result"))
    chart = models.JSONField(_("chart"), null=True, blank=True)  # a Vega-Lite spec where there is one
    link = models.CharField(_("link to the live view"), max_length=500)
    content_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence items")
        constraints = [models.UniqueConstraint(fields=["process", "source_key", "version"],
                                               name="evidence_version_unique")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise SnapshotChanged(f"evidence item {self.pk} is a frozen snapshot")
        super().save(*args, **kwargs)
