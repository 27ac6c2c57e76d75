"""Surveys: the questionnaire and its frozen versions, who is asked, what was sent, what came back.

Anonymity is a property of the tables, not of a screen (docs/surveys-anonymity.md): a ``Response``
of an anonymous survey has no column that leads to a ``Recipient``, a token or a time finer than a
day, and its key is random; who has completed is kept on ``Recipient.completed`` apart from the
answers, so reminders still reach only those who have not.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evidens.processes.models import Job, StrategyProcess
from evidens.stakeholders.models import Person
from evidens.surveys.definition import SurveyDefinition

TOKEN_BYTES = 24  # 192 bits: personal links cannot be guessed


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    CLOSED = "closed", _("closed")


class Survey(models.Model):
    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    anonymous = models.BooleanField(
        _("anonymous"), default=True,
        help_text=_("Answers are stored with no link to the person who gave them. Reminders still work."))
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    definition = models.JSONField(_("questionnaire"), default=dict,
                                  help_text=_("The working copy the builder edits; publishing freezes it."))
    open_link_token = models.CharField(max_length=64, blank=True, default="",
                                       help_text=_("The shared link anyone may answer through; empty when off."))
    invitation_subject = models.CharField(_("invitation subject"), max_length=200, blank=True)
    invitation_body = models.TextField(_("invitation text"), blank=True)
    reminder_subject = models.CharField(_("reminder subject"), max_length=200, blank=True)
    reminder_body = models.TextField(_("reminder text"), blank=True)
    sender_name = models.CharField(_("sender name"), max_length=200, blank=True)
    import_report = models.JSONField(default=list, blank=True)  # what an imported file held that Evidens left out
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True)
                                   | Q(closes_at__gt=models.F("opens_at")), name="survey_closes_after_opening"),
            models.UniqueConstraint(fields=["open_link_token"], condition=~Q(open_link_token=""),
                                    name="survey_open_link_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def working_copy(self) -> SurveyDefinition:
        return SurveyDefinition.from_dict(self.definition)

    def accepting_at(self, moment: Any) -> bool:
        return (self.status == SurveyStatus.PUBLISHED
                and (self.opens_at is None or self.opens_at <= moment)
                and (self.closes_at is None or moment < self.closes_at))

    @property
    def accepting(self) -> bool:
        return self.accepting_at(timezone.now())


class SurveyVersion(models.Model):
    """A published questionnaire; never changed once written. Responses point at the one they answered."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    differences = models.JSONField(default=list, blank=True)  # against the version before, for people to read
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")

    class Meta:
        ordering = ["survey", "-number"]
        constraints = [models.UniqueConstraint(fields=["survey", "number"], name="survey_version_unique")]

    def __str__(self) -> str:
        return f"{self.survey} v{self.number}"

    def questionnaire(self) -> SurveyDefinition:
        return SurveyDefinition.from_dict(self.definition)


class Recipient(models.Model):
    """A person asked to answer, with the personal link's token. Holds no answers."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="survey_invitations")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    segment = models.CharField(_("segment"), max_length=100, blank=True)
    completed = models.BooleanField(_("completed"), default=False)  # no time: a time would point at the response
    invited = models.BooleanField(_("invited"), default=False)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["survey", "id"]
        constraints = [models.UniqueConstraint(fields=["survey", "person"], name="recipient_once_per_survey")]

    def __str__(self) -> str:
        return f"{self.person} ({self.survey})"


class MailingKind(models.TextChoices):
    INVITATION = "invitation", _("invitation")
    REMINDER = "reminder", _("reminder")


class MailingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    CANCELLED = "cancelled", _("cancelled")


class Mailing(models.Model):
    """One send-out: the invitation, or a reminder to those who have not completed."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="mailings")
    kind = models.CharField(_("kind"), max_length=20, choices=MailingKind.choices)
    scheduled_for = models.DateTimeField(_("send at"))
    status = models.CharField(_("status"), max_length=20, choices=MailingStatus.choices,
                              default=MailingStatus.SCHEDULED)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # When a worker began (or resumed) sending: with the deliveries' times, the sign that sending goes on.
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["survey", "scheduled_for", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.scheduled_for:%Y-%m-%d}"


class DeliveryStatus(models.TextChoices):
    # Written before the message is handed to the mail server; left so only when the sender died meanwhile.
    UNKNOWN = "unknown", _("outcome unknown")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Delivery(models.Model):
    """What happened to one e-mail to one recipient; the row exists before the message is sent (see
    ``services.mailing_send``), so a recipient with a row is never sent the same mailing again."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(_("status"), max_length=20, choices=DeliveryStatus.choices)
    error = models.CharField(_("error"), max_length=300, blank=True)
    attempted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["mailing", "recipient"]
        constraints = [models.UniqueConstraint(fields=["mailing", "recipient"], name="delivery_once_per_mailing")]

    def __str__(self) -> str:
        return f"{self.mailing} → #{self.recipient_id}: {self.status}"


class ResponseDraft(models.Model):
    """Answers on their way: saved page by page until the respondent submits.

    Reached through the personal link (``recipient``) or through the browser key of the shared link
    (``browser_key_hash``). Submitting turns the draft into a ``Response`` and deletes it; closing the
    survey turns what is left into partial responses. While a draft exists it is personal data, and
    it is never shown or exported for an anonymous survey.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="drafts")
    version = models.ForeignKey(SurveyVersion, on_delete=models.RESTRICT, related_name="drafts")
    recipient = models.OneToOneField(Recipient, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="draft")
    browser_key_hash = models.CharField(max_length=64, blank=True, default="")
    answers = models.JSONField(default=dict)
    section = models.PositiveIntegerField(default=0)  # the page to resume on
    language = models.CharField(max_length=8, default="da")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(recipient__isnull=False) ^ ~Q(browser_key_hash=""),
                                   name="draft_has_one_owner"),
            models.UniqueConstraint(fields=["survey", "browser_key_hash"], condition=~Q(browser_key_hash=""),
                                    name="draft_once_per_browser"),
        ]

    def __str__(self) -> str:
        return f"draft #{self.pk} ({self.survey})"


class ResponseStatus(models.TextChoices):
    COMPLETE = "complete", _("complete")
    PARTIAL = "partial", _("partial")


class Response(models.Model):
    """A submitted (or, after closing, unfinished) set of answers to one version.

    For an anonymous survey ``recipient`` is always empty: the services never set it, and
    ``tests/surveys/test_anonymity.py`` checks the tables. The key is random so that the order
    of rows says nothing about the order of recipients.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    version = models.ForeignKey(SurveyVersion, on_delete=models.RESTRICT, related_name="responses")
    recipient = models.OneToOneField(Recipient, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="response")
    status = models.CharField(_("status"), max_length=20, choices=ResponseStatus.choices)
    answers = models.JSONField(default=dict)
    segment = models.CharField(_("segment"), max_length=100, blank=True)
    # Whether the recipient's organisation was a member, for weighting by membership; None when not known (the
    # shared link) or, in an anonymous survey, when too few recipients share the segment and the membership.
    member = models.BooleanField(_("member"), null=True, blank=True)
    language = models.CharField(max_length=8, default="da")
    submitted_on = models.DateField(_("submitted"))  # a day, not a time: see the class docstring of the module

    class Meta:
        ordering = ["survey", "submitted_on"]

    def __str__(self) -> str:
        return f"{self.survey} {self.get_status_display()} {self.submitted_on}"


class OpenLinkSubmission(models.Model):
    """A browser that has submitted through the shared link, so the same browser cannot submit twice."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="open_link_submissions")
    browser_key_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "browser_key_hash"],
                                               name="open_link_submitted_once")]

    def __str__(self) -> str:
        return f"{self.survey}: {self.browser_key_hash[:8]}"
