"""The evidence base: frozen snapshots handed over by the channels.

An ``EvidenceItem`` never changes once written: refreshing the live view it came from writes the next
version beside it, so what a finding cites stays what the board read.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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


class Stance(models.TextChoices):
    SUPPORTS = "supports", _("supports")
    CONTRADICTS = "contradicts", _("contradicts")
    CONTEXT = "context", _("context")


class FindingStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("finding status", "draft")
    REVIEWED = "reviewed", _("reviewed")
    APPROVED = "approved", _("approved")


class Verdict(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    REFUTED = "refuted", _("refuted")
    PARTLY = "partly", _("partly confirmed")
    UNRESOLVED = "unresolved", _("unresolved")


class Challenge(models.Model):
    """A challenge (udfordring) the board named in its workshop; assumptions are grouped under it."""

    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="challenges")
    title = models.CharField(_("challenge"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")

    def __str__(self) -> str:
        return self.title


class Assumption(models.Model):
    """Something the board takes to be true, with what would test it and who owns the test."""

    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="assumptions")
    challenge = models.ForeignKey(Challenge, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="assumptions", verbose_name=_("challenge"))
    statement = models.TextField(_("assumption"))
    held_by = models.CharField(_("held by"), max_length=200, blank=True,
                               help_text=_("Who holds it, e.g. the board, the secretariat, the members."))
    importance = models.PositiveSmallIntegerField(_("importance"), default=3,
                                                  help_text=_("1 (minor) to 5 (the strategy rests on it)."))
    must_be_true = models.TextField(_("what would have to be true"), blank=True)
    would_confirm = models.TextField(_("evidence that would confirm it"), blank=True)
    would_refute = models.TextField(_("evidence that would refute it"), blank=True)
    channels = models.JSONField(_("channels that can test it"), default=list, blank=True)
    sceptic = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("most sceptical board member"),
                                help_text=_("Owns the test of the assumption."))
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices, default=Verdict.UNRESOLVED)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("assumption")
        verbose_name_plural = _("assumptions")

    def __str__(self) -> str:
        return self.statement


class Finding(models.Model):
    """A statement the evidence bears out (fund), with the evidence items it rests on."""

    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="findings")
    statement = models.TextField(_("finding"))
    status = models.CharField(_("status"), max_length=20, choices=FindingStatus.choices, default=FindingStatus.DRAFT)
    segments = models.JSONField(_("segments it concerns"), default=list, blank=True)
    evidence: models.ManyToManyField[EvidenceItem, FindingEvidence] = models.ManyToManyField(
        EvidenceItem, through="FindingEvidence", related_name="findings")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.statement


class FindingEvidence(models.Model):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="links")
    # An evidence item stays as long as a finding cites it (unless both go, with their process).
    item = models.ForeignKey(EvidenceItem, on_delete=models.RESTRICT, related_name="finding_links")
    stance = models.CharField(_("stance"), max_length=20, choices=Stance.choices, default=Stance.SUPPORTS)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["finding", "item"], name="evidence_finding_item_unique")]

    def __str__(self) -> str:
        return f"{self.item} → {self.finding}"


class AssumptionFinding(models.Model):
    """A finding brought to bear on an assumption: it supports or contradicts it."""

    assumption = models.ForeignKey(Assumption, on_delete=models.CASCADE, related_name="finding_links")
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="assumption_links")
    stance = models.CharField(_("stance"), max_length=20, choices=Stance.choices[:2], default=Stance.SUPPORTS)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["assumption", "finding"],
                                               name="evidence_assumption_finding_unique")]

    def __str__(self) -> str:
        return f"{self.finding} → {self.assumption}"


class AssumptionVerdict(models.Model):
    """A verdict set by a person, with the reason and the proposal it was set against; the history is kept."""

    assumption = models.ForeignKey(Assumption, on_delete=models.CASCADE, related_name="verdicts")
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    proposed = models.CharField(max_length=20, choices=Verdict.choices)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.assumption}: {self.verdict}"


class Need(models.Model):
    """A need or wish of one stakeholder segment (brugernes ønsker og behov), backed by findings."""

    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="needs")
    segment = models.CharField(_("segment"), max_length=200)
    statement = models.TextField(_("need"))
    findings = models.ManyToManyField(Finding, blank=True, related_name="needs", verbose_name=_("findings"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["segment", "position", "id"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self) -> str:
        return self.statement
