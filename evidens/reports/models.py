"""Built reports, each kept as a version with the date and what it was built from."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from evidens.evidence.models import Finding
from evidens.processes.models import Job, StrategyProcess
from evidens.surveys.models import Survey


class ReportKind(models.TextChoices):
    KNOWLEDGE = "vidensrapport", _("knowledge report")
    DECISION = "beslutningsgrundlag", _("decision memo")
    SURVEY = "survey", _("survey results")


class ReportFormat(models.TextChoices):
    HTML = "html", "HTML"
    PDF = "pdf", "PDF"
    DOCX = "docx", _("Word (DOCX)")


class BuildStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


def report_upload_to(instance: ReportBuild, filename: str) -> str:
    return f"reports/{instance.process_id}/{uuid.uuid4().hex}.{instance.file_format}"


class ReportBuild(models.Model):
    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="report_builds")
    kind = models.CharField(_("report"), max_length=30, choices=ReportKind.choices)
    file_format = models.CharField(_("format"), max_length=10, choices=ReportFormat.choices)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, null=True, blank=True, related_name="report_builds",
                               verbose_name=_("survey"))
    compare_by = models.CharField(_("compared by"), max_length=100, blank=True)
    # The secretariat's choice: interviewees who agreed to be quoted by name are named in the knowledge report.
    identified_quotes = models.BooleanField(_("quotes with names"), default=False)
    version = models.PositiveIntegerField()
    status = models.CharField(_("status"), max_length=20, choices=BuildStatus.choices, default=BuildStatus.QUEUED)
    file = models.FileField(upload_to=report_upload_to, max_length=300, blank=True)
    size = models.PositiveIntegerField(default=0)
    # What the report was built from: the evidence items it cites (key, version, hash), the decision's hash, the
    # number of responses, so two versions can be told apart.
    sources = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [models.UniqueConstraint(fields=["process", "kind", "survey", "file_format", "version"],
                                               name="report_version_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} ({self.file_format})"

    @property
    def filename(self) -> str:
        return f"{self.process.slug}-{self.kind}-v{self.version}.{self.file_format}"


def publication_token() -> str:
    return secrets.token_urlsafe(16)


class Publication(models.Model):
    """What the association shows its members without a login: chosen findings and the chosen strategy."""

    process = models.OneToOneField(StrategyProcess, on_delete=models.CASCADE, related_name="publication")
    token = models.CharField(max_length=40, unique=True, default=publication_token)
    published = models.BooleanField(_("published"), default=False)
    intro = models.TextField(_("introduction"), blank=True)
    findings = models.ManyToManyField(Finding, blank=True, related_name="+", verbose_name=_("findings"))
    include_decision = models.BooleanField(_("show the chosen strategy"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return str(self.process)
