"""Qualitative coding of any text: a codebook per process, texts to code, codings per coder, memos.

A ``Document`` is a text as it was coded: interviews (and later survey answers and archive passages) hand their text
over and keep a link to it. Positions are Unicode code points into ``Document.text`` (NFC, line breaks ``\\n``), as
REFI-QDA counts them, so ``text[start:end]`` is the coded passage in Python and in the export alike.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from evidens.processes.models import StrategyProcess

DEFAULT_COLOUR = "#4C78A8"
# Colours for new codes in turn, chosen to stay apart as highlights on white (Tableau 10).
CODE_COLOURS = ("#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#EECA3B", "#B279A2", "#FF9DA6",
                "#9D755D", "#BAB0AC")


class Code(models.Model):
    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="codes")
    parent = models.ForeignKey("self", on_delete=models.RESTRICT, null=True, blank=True, related_name="children",
                               verbose_name=_("parent code"))
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("definition"), blank=True,
                                   help_text=_("When the code applies, and when it does not."))
    examples = models.TextField(_("examples"), blank=True, help_text=_("Typical passages, one per line."))
    keywords = models.TextField(_("keywords"), blank=True,
                                help_text=_("Words that suggest the code, separated by commas. Inflected forms "
                                            "are found too (renovering finds renoveringer)."))
    colour = models.CharField(_("colour"), max_length=7, default=DEFAULT_COLOUR)
    position = models.PositiveIntegerField(default=0)
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        constraints = [models.UniqueConstraint(fields=["process", "name"], name="code_name_unique")]

    def __str__(self) -> str:
        return self.name


class DocumentOrigin(models.TextChoices):
    INTERVIEW = "interview", _("interview")
    SURVEY = "survey", _("survey answers")
    ARCHIVE = "archive", _("archive")
    IMPORTED = "imported", _("imported project")


class Document(models.Model):
    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="coded_documents")
    origin = models.CharField(_("origin"), max_length=20, choices=DocumentOrigin.choices)
    title = models.CharField(_("title"), max_length=300)
    label = models.CharField(_("quote label"), max_length=200, blank=True,
                             help_text=_("How a quote is attributed, e.g. I07, byggechef, stor boligorganisation."))
    group = models.CharField(_("stakeholder group"), max_length=40, blank=True)
    text = models.TextField(_("text"))
    turns = models.JSONField(default=list, blank=True)  # [[speaker, start, end], ...] in code points
    link = models.CharField(max_length=500, blank=True)  # the owner's page for this text
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("coded text")
        verbose_name_plural = _("coded texts")

    def __str__(self) -> str:
        return self.title


class Coding(models.Model):
    """One coded selection with one code, by one coder."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="codings")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="codings")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    coder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    coder_name = models.CharField(_("coder"), max_length=150)  # also for coders of an imported project
    quote = models.BooleanField(_("quote for reports"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "start", "end", "id"]
        verbose_name = _("coding")
        verbose_name_plural = _("codings")
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="coding_range_not_empty"),
            models.UniqueConstraint(fields=["document", "code", "coder_name", "start", "end"],
                                    name="coding_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.start}–{self.end}"

    @property
    def passage(self) -> str:
        return self.document.text[self.start:self.end]


class CodingAction(models.TextChoices):
    APPLIED = "applied", _("applied")
    REMOVED = "removed", _("removed")


class CodingEvent(models.Model):
    """What a coder did to a text, newest last, so that "undo" can take back the last step."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    coder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")  # who acted
    action = models.CharField(max_length=10, choices=CodingAction.choices)
    # Whose coding it was: someone may remove another coder's coding, and undo must give it back to them.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    owner_name = models.CharField(max_length=150)
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.code_id} {self.start}–{self.end}"


class Memo(models.Model):
    """A note on a code, a text or one coding."""

    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="memos")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, null=True, blank=True, related_name="memos")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, null=True, blank=True, related_name="memos")
    coding = models.ForeignKey(Coding, on_delete=models.CASCADE, null=True, blank=True, related_name="memos")
    text = models.TextField(_("memo"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("memo")
        verbose_name_plural = _("memos")
        constraints = [models.CheckConstraint(
            condition=(Q(code__isnull=False, document__isnull=True, coding__isnull=True)
                       | Q(code__isnull=True, document__isnull=False, coding__isnull=True)
                       | Q(code__isnull=True, document__isnull=True, coding__isnull=False)),
            name="memo_one_target")]

    def __str__(self) -> str:
        return self.text[:60]


class RejectedSuggestion(models.Model):
    """A passage a person said a code does not fit, so it is not proposed again."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="rejected_suggestions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "code", "start", "end"],
                                               name="rejected_suggestion_unique")]

    def __str__(self) -> str:
        return f"{self.code_id} {self.start}–{self.end}"
