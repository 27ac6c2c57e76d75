"""Web statistics: the imports (the data itself lives in Parquet files, see ``warehouse.py``), the
process's settings and its content areas."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from evidens.processes.models import Job, StrategyProcess


class ImportKind(models.TextChoices):
    LOG = "log", _("access log")
    ANALYTICS = "analytics", _("analytics export")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("importing")
    COMPLETED = "completed", _("completed")
    FAILED = "failed", _("failed")


class WebstatsSettings(models.Model):
    process = models.OneToOneField(StrategyProcess, on_delete=models.CASCADE, related_name="webstats_settings")
    retention_months = models.PositiveSmallIntegerField(
        _("keep data for (months)"), default=25, validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Requests older than this are deleted by a background job after every import."))
    search_parameters = models.CharField(
        _("site search parameters"), max_length=200, default="q, s, search, soeg",
        help_text=_("The query parameters of the site's search page, separated by commas."))
    own_hosts = models.TextField(_("the site's own host names"), blank=True,
                                 help_text=_("One per line, e.g. www.almennet.dk. Links from these are internal."))
    partner_hosts = models.TextField(_("partner sites"), blank=True,
                                     help_text=_("One host name per line; visits from them are counted apart."))

    def __str__(self) -> str:
        return str(self.process)

    @staticmethod
    def lines(text: str) -> tuple[str, ...]:
        return tuple(line.strip().lower() for line in text.splitlines() if line.strip())

    @property
    def search_parameter_names(self) -> tuple[str, ...]:
        return tuple(name.strip() for name in self.search_parameters.split(",") if name.strip())


class ContentArea(models.Model):
    """A part of the site by its addresses: "/netvaerk/" → Netværk."""

    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="content_areas")
    name = models.CharField(_("area"), max_length=100)
    pattern = models.CharField(_("addresses"), max_length=300,
                               help_text=_("A path prefix such as /netvaerk/, or a pattern with * such as "
                                           "/viden/*/guide"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["process", "pattern"], name="webstats_area_pattern_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.pattern})"


class LogImport(models.Model):
    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="log_imports")
    kind = models.CharField(max_length=20, choices=ImportKind.choices, default=ImportKind.LOG)
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    log_format = models.CharField(_("log format"), max_length=500, blank=True)
    source = models.CharField(max_length=20, blank=True)  # ga4 or matomo, for analytics exports
    counts = models.JSONField(default=dict, blank=True)
    first_day = models.DateField(null=True, blank=True)
    last_day = models.DateField(null=True, blank=True)
    message = models.TextField(blank=True)
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return ", ".join(file.name for file in self.files.all()) or f"#{self.pk}"

    @property
    def folder(self) -> Path:
        """Where the completed import's Parquet files are."""
        return webstats_root(self.process_id) / "imports" / str(self.pk)

    @property
    def upload_folder(self) -> Path:
        """Where uploaded log files wait until the import has read them (they hold whole addresses)."""
        return webstats_root(self.process_id) / "uploads" / str(self.pk)


class LogFile(models.Model):
    log_import = models.ForeignKey(LogImport, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


def webstats_root(process_id: int) -> Path:
    return Path(settings.ANALYTICS_ROOT) / "webstats" / f"process-{process_id}"
