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

from evidens.archive.choices import ActivityForm, ActivityKind, ActivityStatus, ActivityTable, MatchStatus
from evidens.processes.models import Job, StrategyProcess
from evidens.stakeholders.models import Organisation


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
        # Searches filter the full-text hits by process, date and type without reading the rows (and their text).
        indexes = [models.Index(fields=["process", "id", "date", "doc_type"], name="archive_document_search")]

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


class ActivityImportStatus(models.TextChoices):
    MAPPING = "mapping", _("waiting for the column mapping")
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("importing")
    DONE = "done", _("imported")
    FAILED = "failed", _("not imported")


def activity_upload_to(instance: ActivityImport, filename: str) -> str:
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return f"archive/{instance.process_id}/activities/{uuid.uuid4().hex}{suffix}"


class ActivityImport(models.Model):
    """One activity file: its column mapping, and what the import made of it. Either every row is stored or none."""

    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="activity_imports")
    table_kind = models.CharField(_("contents"), max_length=20, choices=ActivityTable.choices)
    file = models.FileField(upload_to=activity_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ActivityImportStatus.choices,
                              default=ActivityImportStatus.MAPPING)
    counts = models.JSONField(default=dict, blank=True)
    issues = models.JSONField(default=list, blank=True)  # RowIssue.as_dict() of the rows that stopped it
    notes = models.JSONField(default=list, blank=True)  # [[written type, rows], ...] read as "other activity"
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("activity import")
        verbose_name_plural = _("activity imports")

    def __str__(self) -> str:
        return self.original_name


class Activity(models.Model):
    """An event, course, network or ERFA meeting, as the registration system knows it."""

    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="activities")
    reference = models.CharField(_("activity ID"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("type"), max_length=20, choices=ActivityKind.choices, default=ActivityKind.OTHER)
    network = models.CharField(_("network"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    form = models.CharField(_("form"), max_length=20, choices=ActivityForm.choices, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ActivityStatus.choices,
                              default=ActivityStatus.HELD)
    activity_import = models.ForeignKey(ActivityImport, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="activities")

    class Meta:
        ordering = ["-date", "title", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [models.UniqueConstraint(fields=["process", "reference"], name="archive_activity_unique")]

    def __str__(self) -> str:
        return self.title


class Participation(models.Model):
    """One registration for an activity, with the organisation as the participant wrote it and as matched to the
    register. No participant's name or e-mail is kept: the archive counts organisations, not people."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participations")
    reference = models.CharField(_("registration ID"), max_length=100, blank=True)
    organisation_written = models.CharField(_("organisation as written"), max_length=200, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="participations", verbose_name=_("organisation"))
    match = models.CharField(_("match"), max_length=20, choices=MatchStatus.choices, default=MatchStatus.NOT_FOUND)
    role_title = models.CharField(_("job title"), max_length=200, blank=True)
    segment = models.CharField(_("segment"), max_length=200, blank=True)
    registered = models.DateField(_("registered"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    activity_import = models.ForeignKey(ActivityImport, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="participations")

    class Meta:
        ordering = ["activity", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [models.Index(fields=["match"], name="archive_participation_match")]

    def __str__(self) -> str:
        return self.organisation_written


class MembershipPeriod(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="membership_periods")
    start = models.DateField(_("member from"))
    end = models.DateField(_("member until"), null=True, blank=True)
    activity_import = models.ForeignKey(ActivityImport, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="membership_periods")

    class Meta:
        ordering = ["organisation", "start"]
        constraints = [models.UniqueConstraint(fields=["organisation", "start"], name="archive_membership_unique")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.start}–{self.end or ''}"


class OrganisationAlias(models.Model):
    """A person's decision about a written organisation name, so the next import matches it the same way."""

    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="organisation_aliases")
    written_key = models.CharField(max_length=200)  # matching.name_key of the written name
    written = models.CharField(_("written as"), max_length=200)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="aliases")  # None: not in the register
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["process", "written_key"], name="archive_alias_unique")]

    def __str__(self) -> str:
        return self.written
