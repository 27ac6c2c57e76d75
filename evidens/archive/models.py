"""The archive: documents with their extracted text and metadata, the imports that brought them in, and themes.

An original file is kept under ``MEDIA_ROOT/archive/<process id>/`` with a random name; its own name stays in
``original_name`` and never becomes a path. The full-text index lives beside these tables (see ``search.py``).
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from evidens.processes.models import Job, StrategyProcess


class DocumentType(models.TextChoices):
    MINUTES = "minutes", _("minutes")
    REPORT = "report", _("report")
    NEWSLETTER = "newsletter", _("newsletter")
    COURSE_MATERIAL = "course_material", _("course material")
    GUIDE = "guide", _("guide")
    BOARD_PAPER = "board_paper", _("board paper")
    OTHER = "other", _("other")


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("waiting for extraction")
    READY = "ready", _("searchable")
    FAILED = "failed", _("not readable")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("extracting")
    DONE = "done", _("done")


class Theme(models.Model):
    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="archive_themes")
    name = models.CharField(_("theme"), max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["process", "name"], name="archive_theme_unique")]

    def __str__(self) -> str:
        return self.name


class ArchiveImport(models.Model):
    """One upload or folder import: what came in, what was a duplicate, what could not be read and why."""

    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="archive_imports")
    source = models.CharField(_("source"), max_length=300)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    counts = models.JSONField(default=dict, blank=True)  # files, imported, duplicates, failed
    duplicates = models.JSONField(default=list, blank=True)  # [[file name, id of the document it repeats], ...]
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("archive import")
        verbose_name_plural = _("archive imports")

    def __str__(self) -> str:
        return self.source


def document_upload_to(instance: ArchiveDocument, filename: str) -> str:
    suffix = "".join(c for c in PurePosixPath(filename).suffix.lower() if c.isalnum() or c == ".")[:10]
    return f"archive/{instance.process_id}/{uuid.uuid4().hex}{suffix}"


class ArchiveDocument(models.Model):
    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="archive_documents")
    archive_import = models.ForeignKey(ArchiveImport, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="documents")
    title = models.CharField(_("title"), max_length=300, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    doc_type = models.CharField(_("type"), max_length=20, choices=DocumentType.choices, default=DocumentType.OTHER)
    themes = models.ManyToManyField(Theme, blank=True, related_name="documents", verbose_name=_("themes"))
    source = models.CharField(_("source"), max_length=300, blank=True,
                              help_text=_("Where the document comes from, e.g. the folder it was imported from."))
    original_name = models.CharField(_("file name"), max_length=300)
    file = models.FileField(upload_to=document_upload_to, max_length=300)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    kind = models.CharField(_("format"), max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=DocumentStatus.choices,
                              default=DocumentStatus.PENDING)
    error = models.CharField(max_length=20, blank=True)  # the extraction's error code
    error_detail = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    notes = models.JSONField(default=list, blank=True)  # the extraction's note codes
    topic = models.PositiveSmallIntegerField(null=True, blank=True)  # its main topic in the latest topic run
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Undated documents last on every database (PostgreSQL would put NULLs first when descending).
        ordering = [models.F("date").desc(nulls_last=True), "title", "id"]
        verbose_name = _("archive document")
        verbose_name_plural = _("archive documents")
        constraints = [models.UniqueConstraint(fields=["process", "sha256"], name="archive_document_unique")]

    def __str__(self) -> str:
        return self.title or self.original_name


class TopicRun(models.Model):
    """The latest topic model of a process's archive: what it has worked on, and when."""

    process = models.OneToOneField(StrategyProcess, on_delete=models.CASCADE, related_name="archive_topic_run")
    computed_at = models.DateTimeField(auto_now=True)
    documents = models.PositiveIntegerField(default=0)
    keywords_per_year = models.JSONField(default=dict, blank=True)  # {"2015": ["word", ...], ...}
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    def __str__(self) -> str:
        return str(self.process)


class Topic(models.Model):
    run = models.ForeignKey(TopicRun, on_delete=models.CASCADE, related_name="topics")
    number = models.PositiveSmallIntegerField()
    terms = models.JSONField(default=list)  # the topic's top words, most telling first
    weight = models.FloatField(default=0)  # its share of all documents' topic weight
    per_year = models.JSONField(default=dict)  # {"2015": share of that year's topic weight, ...}
    label = models.CharField(_("name"), max_length=100, blank=True,
                             help_text=_("A name people will recognise, e.g. Grøn omstilling."))

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["run", "number"], name="archive_topic_unique")]

    def __str__(self) -> str:
        return self.label or ", ".join(self.terms[:4])
