"""Stakeholder interviews: the guide (versioned), the plan, consent, and the transcript as a coded text."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from evidens.coding.models import Document
from evidens.processes.models import StrategyProcess
from evidens.stakeholders.choices import StakeholderGroup
from evidens.stakeholders.models import Person


class InterviewGuide(models.Model):
    """One version of the interview guide. A change writes the next version; an interview keeps the one it used."""

    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="interview_guides")
    version = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    themes = models.JSONField(default=list)  # [{"theme": str, "questions": [str, ...]}, ...]
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("interview guide")
        verbose_name_plural = _("interview guides")
        constraints = [models.UniqueConstraint(fields=["process", "version"], name="guide_version_unique")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def question_count(self) -> int:
        return sum(len(theme.get("questions", [])) for theme in self.themes)


class InterviewForm(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    VIDEO = "video", _("video")
    PHONE = "phone", _("phone")


class InterviewStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    CONDUCTED = "conducted", _("conducted")
    TRANSCRIBED = "transcribed", _("transcribed")
    CANCELLED = "cancelled", _("cancelled")


class ConsentScope(models.TextChoices):
    NOT_ASKED = "not_asked", _("not asked yet")
    ANONYMOUS_QUOTES = "anonymous_quotes", _("quotes without name")
    NAMED_QUOTES = "named_quotes", _("quotes with name")
    INTERNAL_ONLY = "internal_only", _("internal use only")
    REFUSED = "refused", _("refused")


class Interview(models.Model):
    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="interviews")
    label = models.CharField(_("label"), max_length=20, help_text=_("A short pseudonym such as I07."))
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="interviews",
                               verbose_name=_("interviewee"))
    group = models.CharField(_("stakeholder group"), max_length=40, choices=StakeholderGroup.choices)
    description = models.CharField(_("role and organisation for quotes"), max_length=200, blank=True,
                                   help_text=_("E.g. byggechef, stor boligorganisation. No names."))
    interviewer = models.CharField(_("interviewer"), max_length=150, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    form = models.CharField(_("form"), max_length=20, choices=InterviewForm.choices, default=InterviewForm.VIDEO)
    status = models.CharField(_("status"), max_length=20, choices=InterviewStatus.choices,
                              default=InterviewStatus.PLANNED)
    consent = models.CharField(_("consent"), max_length=20, choices=ConsentScope.choices,
                               default=ConsentScope.NOT_ASKED)
    consent_date = models.DateField(_("consent given on"), null=True, blank=True)
    guide = models.ForeignKey(InterviewGuide, on_delete=models.RESTRICT, null=True, blank=True,
                              related_name="interviews", verbose_name=_("interview guide"))
    document = models.OneToOneField(Document, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="interview")
    transcript_name = models.CharField(max_length=255, blank=True)
    transcript_notes = models.JSONField(default=list, blank=True)  # the import report, shown on the page
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["label"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        constraints = [models.UniqueConstraint(fields=["process", "label"], name="interview_label_unique")]

    def __str__(self) -> str:
        return self.quote_label

    @property
    def quote_label(self) -> str:
        """How a quote is attributed: "I07, byggechef, stor boligorganisation"."""
        return ", ".join(part for part in (self.label, self.description) if part)
