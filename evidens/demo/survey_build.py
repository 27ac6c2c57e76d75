"""The demo's member survey as it happened: sent 24 November 2020 to about 1,500 people, reminders on
1 and 8 December, closed 15 December, about a third answering.

The questionnaire, the publishing and the choice of recipients go through the survey services. What
happened over those three weeks (mail sent, answers arriving on their days) is history the services
cannot write, since they stamp today's date: it is written here with the same models and shapes.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

from evidens.demo import survey as content
from evidens.stakeholders.models import Person
from evidens.surveys import mailtext, services
from evidens.surveys.models import (
    Delivery,
    DeliveryStatus,
    Mailing,
    MailingKind,
    MailingStatus,
    Recipient,
    Response,
    ResponseStatus,
    Survey,
    SurveyStatus,
)

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
INVITATION = dt.datetime(2020, 11, 24, 9, 0, tzinfo=COPENHAGEN)
REMINDERS = (dt.datetime(2020, 12, 1, 9, 0, tzinfo=COPENHAGEN), dt.datetime(2020, 12, 8, 9, 0, tzinfo=COPENHAGEN))
CLOSES = dt.datetime(2020, 12, 15, 23, 59, tzinfo=COPENHAGEN)
RECIPIENTS = 1500
FAILED_SHARE = 0.012  # addresses that bounce: people change jobs
PARTIAL_SHARE = 0.12  # of those who begin, how many stop on the way
# After each mailing most answers come the same day and the next, fewer each day after.
DAY_WEIGHTS = (0.42, 0.24, 0.12, 0.08, 0.06, 0.05, 0.03)


def survey_build(rng: random.Random, process: Any, actor: Any, report: Any) -> Survey:
    survey = services.survey_create(
        process=process, actor=actor, title="Medlemsundersøgelse 2020", anonymous=True,
        questionnaire=content.member_survey(), opens_at=INVITATION, closes_at=CLOSES)
    version = services.survey_publish(survey=survey, actor=actor)
    version.published_at = INVITATION - dt.timedelta(days=4)
    version.save(update_fields=["published_at"])

    people = list(Person.objects.filter(process=process, erased_at__isnull=True).exclude(email="")
                  .select_related("organisation").order_by("id"))
    chosen = rng.sample(people, min(RECIPIENTS, len(people)))
    services.recipients_add(survey=survey, actor=actor, people=Person.objects.filter(pk__in=[p.pk for p in chosen]))
    recipients = list(survey.recipients.select_related("person__organisation").order_by("id"))
    report(1, 3)

    mailings = [_mailing(survey, MailingKind.INVITATION, INVITATION)]
    mailings += [_mailing(survey, MailingKind.REMINDER, when) for when in REMINDERS]
    deliveries: list[Delivery] = []
    responses: list[Response] = []
    completed: list[int] = []
    # As surveys.services._membership: membership is kept on an anonymous response only in a cell of segment and
    # membership that enough recipients share.
    alike = Counter((recipient.segment, bool(recipient.person.organisation and recipient.person.organisation.is_member))
                    for recipient in recipients)
    for recipient in recipients:
        person = recipient.person
        organisation = person.organisation
        bounced = rng.random() < FAILED_SHARE
        member = bool(organisation and organisation.is_member)
        # response_probability is the share who complete; those who stop on the way come on top.
        starts = content.response_probability(person.segment, member=member) / (1 - PARTIAL_SHARE - FAILED_SHARE)
        answers_at = _answer_time(rng, starts)
        partial = answers_at is not None and rng.random() < PARTIAL_SHARE
        for mailing in mailings:
            if answers_at is not None and not partial and answers_at < mailing.scheduled_for:
                break  # completed before this reminder: not sent
            deliveries.append(Delivery(mailing=mailing, recipient=recipient, attempted_at=mailing.scheduled_for,
                                       status=DeliveryStatus.FAILED if bounced else DeliveryStatus.SENT,
                                       error="SMTP 550" if bounced else ""))
            if bounced:
                break
        if bounced or answers_at is None or organisation is None:
            continue
        profile = content.respondent_profile(person, organisation)
        answers = content.survey_answers(rng, profile, pages=rng.randint(1, 4) if partial else None)
        kept = alike[recipient.segment, member] >= survey.process.anonymity_threshold
        responses.append(Response(survey=survey, version=version, answers=answers, segment=recipient.segment,
                                  member=member if kept else None,
                                  status=ResponseStatus.PARTIAL if partial else ResponseStatus.COMPLETE,
                                  submitted_on=answers_at.astimezone(COPENHAGEN).date()))
        if not partial:
            completed.append(recipient.pk)
    report(2, 3)
    Delivery.objects.bulk_create(deliveries, batch_size=1000)
    rng.shuffle(responses)  # rows in no particular order, as anonymous responses should be
    Response.objects.bulk_create(responses, batch_size=500)
    failed = {delivery.recipient_id for delivery in deliveries if delivery.status == DeliveryStatus.FAILED}
    Recipient.objects.filter(survey=survey).exclude(pk__in=failed).update(invited=True)
    Recipient.objects.filter(pk__in=completed).update(completed=True)
    Survey.objects.filter(pk=survey.pk).update(status=SurveyStatus.CLOSED, closed_at=CLOSES)
    report(3, 3)
    return survey


def _mailing(survey: Survey, kind: str, when: dt.datetime) -> Mailing:
    invitation = kind == MailingKind.INVITATION
    return Mailing.objects.create(
        survey=survey, kind=kind, scheduled_for=when, status=MailingStatus.SENT, finished_at=when,
        subject=mailtext.DEFAULT_INVITATION_SUBJECT if invitation else mailtext.DEFAULT_REMINDER_SUBJECT,
        body=mailtext.DEFAULT_INVITATION_BODY if invitation else mailtext.DEFAULT_REMINDER_BODY)


def _answer_time(rng: random.Random, probability: float) -> dt.datetime | None:
    """When this person answers, or None: half after the invitation, the rest after the reminders."""
    if rng.random() >= probability:
        return None
    wave = rng.choices((INVITATION, *REMINDERS), weights=(0.5, 0.3, 0.2))[0]
    day = rng.choices(range(len(DAY_WEIGHTS)), weights=DAY_WEIGHTS)[0]
    moment = wave + dt.timedelta(days=day, hours=rng.uniform(0, 9))
    return min(moment, CLOSES - dt.timedelta(hours=1))
