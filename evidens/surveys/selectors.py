"""Reads of surveys shared by the pages, the exports and the command line.

For an anonymous survey every count of answers by group is suppressed below ``SMALL_GROUP``: a
segment of three where all three answered would otherwise say what each of them answered.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from evidens.coding.models import Coding, DocumentOrigin
from evidens.coding.models import Document as CodedDocument
from evidens.processes.models import StrategyProcess
from evidens.stakeholders.models import Person
from evidens.surveys import analysis, results
from evidens.surveys.definition import SurveyDefinition
from evidens.surveys.exporting import ResponseRecord
from evidens.surveys.models import (
    Delivery,
    Mailing,
    MailingKind,
    MailingStatus,
    Recipient,
    Response,
    ResponseDraft,
    ResponseStatus,
    Survey,
)

SMALL_GROUP = 5


def survey_list(*, process: StrategyProcess) -> QuerySet[Survey]:
    return Survey.objects.filter(process=process).annotate(
        recipient_count=Count("recipients", distinct=True),
        complete_count=Count("responses", filter=Q(responses__status=ResponseStatus.COMPLETE), distinct=True),
        partial_count=Count("responses", filter=Q(responses__status=ResponseStatus.PARTIAL), distinct=True),
        draft_count=Count("drafts", filter=~Q(drafts__answers={}), distinct=True),
    ).order_by("-created_at", "-id")


def survey_summary(survey: Any) -> dict[str, Any]:
    """The figures ``evidens survey list`` prints for one survey (from ``survey_list``'s annotations)."""
    return {
        "id": survey.pk, "title": survey.title, "status": survey.status, "anonymous": survey.anonymous,
        "recipients": survey.recipient_count, "complete": survey.complete_count,
        "partial": survey.partial_count + survey.draft_count,
    }


@dataclass(frozen=True)
class SegmentRate:
    segment: str
    recipients: int
    completed: int | None  # None: suppressed, fewer than SMALL_GROUP answered in an anonymous survey

    @property
    def percent(self) -> float | None:
        if self.completed is None or not self.recipients:
            return None
        return 100 * self.completed / self.recipients


@dataclass(frozen=True)
class Monitoring:
    recipients: int
    invited: int
    completed: int  # through personal links
    complete_responses: int  # all, the shared link included
    partial: int
    unsubscribed: int
    mail_failed: int
    segments: list[SegmentRate]
    days: list[tuple[date, int]]
    events: list[tuple[date, str]]

    @property
    def rate(self) -> float | None:
        return 100 * self.completed / self.recipients if self.recipients else None

    @property
    def open_link_responses(self) -> int:
        return self.complete_responses - self.completed


def monitoring(survey: Survey) -> Monitoring:
    recipients = survey.recipients.all()
    totals = recipients.aggregate(
        total=Count("id"), invited=Count("id", filter=Q(invited=True)), completed=Count("id", filter=Q(completed=True)),
        unsubscribed=Count("id", filter=Q(unsubscribed_at__isnull=False)))
    by_segment = recipients.values("segment").annotate(total=Count("id"), done=Count("id", filter=Q(completed=True)))
    segments = [
        SegmentRate(row["segment"] or _("(no segment)"), row["total"],
                    None if survey.anonymous and row["done"] < SMALL_GROUP else row["done"])
        for row in by_segment.order_by("segment")
    ]
    responses = survey.responses.all()
    per_day = (responses.filter(status=ResponseStatus.COMPLETE).values("submitted_on")
               .annotate(count=Count("id")).order_by("submitted_on"))
    return Monitoring(
        recipients=totals["total"], invited=totals["invited"], completed=totals["completed"],
        complete_responses=responses.filter(status=ResponseStatus.COMPLETE).count(),
        partial=responses.filter(status=ResponseStatus.PARTIAL).count()
        + survey.drafts.exclude(answers={}).count(),
        unsubscribed=totals["unsubscribed"],
        mail_failed=Delivery.objects.filter(mailing__survey=survey, status="failed").values("recipient").distinct()
        .count(),
        segments=segments,
        days=[(row["submitted_on"], row["count"]) for row in per_day],
        events=mailing_events(survey),
    )


def mailing_events(survey: Survey) -> list[tuple[date, str]]:
    """The days invitations and reminders went out, labelled "Invitation", "Påmindelse 1", ..."""
    events = []
    reminders = 0
    for mailing in survey.mailings.exclude(status=MailingStatus.CANCELLED).order_by("scheduled_for"):
        if mailing.kind == MailingKind.REMINDER:
            reminders += 1
            label = _("Reminder %(number)s") % {"number": reminders}
        else:
            label = _("Invitation")
        events.append((timezone.localdate(mailing.scheduled_for), label))
    return events


def mailings(survey: Survey) -> QuerySet[Mailing]:
    return survey.mailings.select_related("job").annotate(
        sent_count=Count("deliveries", filter=Q(deliveries__status="sent")),
        failed_count=Count("deliveries", filter=Q(deliveries__status="failed")),
        # Messages a stopped sender left between handing them over and hearing back: never sent again.
        unknown_count=Count("deliveries", filter=Q(deliveries__status="unknown")),
    ).order_by("scheduled_for", "id")


def recipient_list(*, survey: Survey, query: str = "", state: str = "") -> QuerySet[Recipient]:
    """Recipients with their latest e-mail outcome; ``state`` is "completed", "waiting", "failed" or ""."""
    recipients = survey.recipients.select_related("person__organisation").annotate(
        failures=Count("deliveries", filter=Q(deliveries__status="failed")),
        deliveries_sent=Count("deliveries", filter=Q(deliveries__status="sent")),
    )
    if query:
        recipients = recipients.filter(Q(person__name__icontains=query) | Q(person__email__icontains=query)
                                       | Q(person__organisation__name__icontains=query))
    if state == "completed":
        recipients = recipients.filter(completed=True)
    elif state == "waiting":
        recipients = recipients.filter(completed=False)
    elif state == "failed":
        recipients = recipients.filter(failures__gt=0)
    return recipients.order_by("person__name", "id")


def people_matching(*, process: StrategyProcess, segments: list[str] | None = None, kinds: list[str] | None = None,
                    membership: str = "", emails: list[str] | None = None) -> QuerySet[Person]:
    """People of the register chosen by segment, organisation type, membership and/or a list of e-mails."""
    people = Person.objects.filter(process=process, erased_at__isnull=True)
    if segments:
        people = people.filter(segment__in=segments)
    if kinds:
        people = people.filter(organisation__kind__in=kinds)
    if membership == "members":
        people = people.filter(organisation__is_member=True)
    elif membership == "others":
        people = people.exclude(organisation__is_member=True)
    if emails:
        people = people.annotate(email_key=Lower("email")).filter(email_key__in=[e.lower() for e in emails])
    return people


def response_records(survey: Survey) -> list[ResponseRecord]:
    """Every answer set as the exports take them: complete and partial responses, and for an identified
    survey the drafts of those who have begun. An anonymous survey's segments smaller than ``SMALL_GROUP``
    are blanked, and its drafts are left out: until submitted they are tied to a person."""
    responses = list(survey.responses.select_related("version", "recipient__person__organisation")
                     .order_by("submitted_on", "id"))
    drafts: list[ResponseDraft] = []
    if not survey.anonymous:
        drafts = list(survey.drafts.exclude(answers={}).select_related("version", "recipient__person__organisation"))
    small = set()
    if survey.anonymous:
        counts = Counter(response.segment for response in responses)
        small = {segment for segment, count in counts.items() if count < SMALL_GROUP}
    records = [
        ResponseRecord(
            reference=str(response.pk), status=response.status, version=response.version.number,
            submitted_on=response.submitted_on, segment="" if response.segment in small else response.segment,
            answers=response.answers, respondent=_respondent(response.recipient))
        for response in responses
    ]
    records.extend(
        ResponseRecord(reference=f"draft-{draft.pk}", status=ResponseStatus.PARTIAL, version=draft.version.number,
                       submitted_on=None, segment=draft.recipient.segment if draft.recipient else "",
                       answers=draft.answers, respondent=_respondent(draft.recipient))
        for draft in drafts)
    return records


def _respondent(recipient: Recipient | None) -> dict[str, str] | None:
    if recipient is None:
        return None
    person = recipient.person
    return {"name": person.name, "email": person.email,
            "organisation": person.organisation.name if person.organisation else ""}


def person_survey_data(sender: Any, *, person: Person, **kwargs: Any) -> tuple[str, list[dict[str, Any]]]:
    """For a person's data export: the surveys they were asked to answer, and their answers where the survey
    was not anonymous (an anonymous survey's answers cannot be found from the person, by design)."""
    invitations = []
    for recipient in (Recipient.objects.filter(person=person).select_related("survey")
                      .prefetch_related("deliveries__mailing").order_by("survey__created_at")):
        survey = recipient.survey
        response = None if survey.anonymous else Response.objects.filter(recipient=recipient).first()
        invitations.append({
            "survey": survey.title,
            "anonymous": survey.anonymous,
            "completed": recipient.completed,
            "unsubscribed_at": recipient.unsubscribed_at,
            "mail": [{"kind": delivery.mailing.kind, "at": delivery.attempted_at, "status": delivery.status}
                     for delivery in recipient.deliveries.all()],
            "answers": response.answers if response else None,
        })
    return "surveys", invitations


@dataclass(frozen=True)
class AnalysisInput:
    questionnaire: SurveyDefinition
    respondents: results.Respondents
    weighting_problem: str  # why the responses could not be weighted ("" when they were, or were not asked to be)
    weights: analysis.WeightSummary | None
    weighted_by: str = ""  # what the weights match, for the page ("segment and membership")


def analysis_input(survey: Survey, *, weighted: bool) -> AnalysisInput:
    """Every response (complete and partial) read with the latest version's questions, and when asked for,
    weights raked to the register's people in the segments that answered: by segment, and by membership too when
    every response knows its membership (``Response.member``). In an anonymous survey only groups of responses
    (segments; segment and membership) at least as large as the process's threshold are weighted apart."""
    version = survey.versions.order_by("-number").first()
    questionnaire = version.questionnaire() if version else survey.working_copy()
    responses = list(survey.responses.order_by("submitted_on", "id").values_list("answers", "segment", "member"))
    respondents = results.Respondents(answers=[answers for answers, _segment, _member in responses],
                                      segments=[segment for _answers, segment, _member in responses])
    if not weighted or not responses:
        return AnalysisInput(questionnaire, respondents, "", None)
    # Weighted and unweighted results side by side are two equations a small group's answers can be solved from:
    # in an anonymous survey every group the weights tell apart must be as large as any group shown.
    smallest = survey.process.anonymity_threshold if survey.anonymous else 1
    if min(Counter(respondents.segments).values()) < smallest:
        return AnalysisInput(questionnaire, respondents, _(
            "an anonymous survey is weighted only when every segment has at least %(threshold)s responses.")
            % {"threshold": smallest}, None)
    people = Person.objects.filter(process=survey.process, erased_at__isnull=True,
                                   segment__in=set(respondents.segments) - {""})
    margins: dict[str, dict[str, float]] = {"segment": dict(
        people.values_list("segment").annotate(count=Count("id")).values_list("segment", "count"))}
    rows: list[dict[str, str | None]] = [{"segment": segment} for segment in respondents.segments]
    weighted_by = _("segment")
    cells = Counter((segment, member) for _answers, segment, member in responses)
    if None not in {member for _segment, member in cells} and min(cells.values()) >= smallest:
        names = {True: _("member"), False: _("not a member")}
        members = people.filter(organisation__is_member=True).count()
        margins["member"] = {name: size for name, size in ((names[True], members),
                                                           (names[False], people.count() - members)) if size}
        for row, (_answers, _segment, member) in zip(rows, responses, strict=True):
            row["member"] = names[bool(member)]
        weighted_by = _("segment and membership")
    try:
        raking = analysis.rake(rows, margins)
    except ValueError as error:
        return AnalysisInput(questionnaire, respondents, str(error), None)
    weighted_respondents = results.Respondents(respondents.answers, respondents.segments, raking.weights)
    return AnalysisInput(questionnaire, weighted_respondents, "", raking.summary, weighted_by)


# --- open answers in the coding app ----------------------------------------------------------------------------------


def text_answers_link(survey: Survey, name: str) -> str:
    """The page of a question's open answers: also how their text in the coding app is found again."""
    return reverse("surveys:text_answers", args=[survey.process.slug, survey.pk, name])


def text_answers_document(survey: Survey, name: str) -> CodedDocument | None:
    return CodedDocument.objects.filter(process=survey.process, origin=DocumentOrigin.SURVEY,
                                        link=text_answers_link(survey, name)).first()


def text_answers_documents(survey: Survey) -> dict[str, CodedDocument]:
    """Question name → the coded text of its open answers, for the questions that have one."""
    prefix = text_answers_link(survey, "QUESTION").removesuffix("QUESTION/")
    documents = CodedDocument.objects.filter(process=survey.process, origin=DocumentOrigin.SURVEY,
                                             link__startswith=prefix)
    return {document.link.removeprefix(prefix).rstrip("/"): document for document in documents}


def text_answers_codes(document: CodedDocument) -> dict[str, dict[str, int]]:
    """Code → group → how many of the coded answers carry it, codes in the codebook's order."""
    codings = (Coding.objects.filter(document=document).order_by("code__position", "code__name", "start")
               .values_list("code__name", "start", "end"))
    return results.codes_by_group(document.turns, codings)
