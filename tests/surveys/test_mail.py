"""Invitations and reminders through a real SMTP server on loopback (aiosmtpd), read as they arrived."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from evidens.processes.models import Job
from evidens.stakeholders.models import Person
from evidens.surveys import services
from evidens.surveys.models import Delivery, Mailing, MailingKind, MailingStatus, Recipient
from evidens.surveys.tasks import mailing_send_task
from tests.conftest import Cast
from tests.mail import MailSink, body_text
from tests.surveys.conftest import make_people, make_survey

pytestmark = pytest.mark.django_db


def _survey_with_recipients(cast: Cast, count: int = 3) -> tuple[object, list[Person]]:
    survey = make_survey(cast)
    people = make_people(cast, count)
    services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(process=cast.process))
    return survey, people


def _send(mailing: Mailing) -> dict[str, object]:
    return services.mailing_send(mailing_id=mailing.pk, pause=lambda seconds: None)


def test_the_invitation_arrives_in_danish_with_a_personal_link(cast: Cast, smtp: MailSink, settings: object) -> None:
    survey, people = _survey_with_recipients(cast)
    mailing = services.mailing_schedule(survey=survey, actor=None, kind=MailingKind.INVITATION)  # type: ignore[arg-type]
    assert _send(mailing) == {"sent": 3, "failed": 0}
    assert len(smtp.messages) == 3
    message = smtp.to(people[0].email)[0]
    recipient = Recipient.objects.get(person=people[0])
    body = body_text(message)
    assert message["Subject"] == "Medlemsundersøgelse: vil du hjælpe os?"
    assert body.startswith(f"Kære {people[0].name}\n")
    assert f"/s/{recipient.token}/" in body
    assert f"/s/{recipient.token}/afmeld/" in message["List-Unsubscribe"]
    assert "{" not in body  # every placeholder filled in
    assert Recipient.objects.filter(survey=survey, invited=True).count() == 3
    assert Mailing.objects.get(pk=mailing.pk).status == MailingStatus.SENT


def test_reminders_reach_only_those_who_have_not_completed_or_unsubscribed(cast: Cast, smtp: MailSink) -> None:
    survey, people = _survey_with_recipients(cast, 4)
    _send(services.mailing_schedule(survey=survey, actor=None, kind=MailingKind.INVITATION))  # type: ignore[arg-type]
    done, unsubscribed = Recipient.objects.get(person=people[0]), Recipient.objects.get(person=people[1])
    draft = services.draft_for_recipient(recipient=done)
    services.draft_save_page(draft=draft, section=0, page_answers={"medlem": "nej"}, go_to=2)
    services.response_submit(draft=draft)
    services.recipient_unsubscribe(recipient=unsubscribed)
    smtp.messages.clear()
    reminder = services.mailing_schedule(survey=survey, actor=None, kind=MailingKind.REMINDER)  # type: ignore[arg-type]
    assert _send(reminder) == {"sent": 2, "failed": 0}
    assert sorted(message["To"] for message in smtp.messages) == sorted([people[2].email, people[3].email])
    assert smtp.messages[0]["Subject"] == "Påmindelse: Medlemsundersøgelse"


def test_a_refused_address_is_recorded_and_the_rest_are_sent(cast: Cast, smtp: MailSink) -> None:
    survey, people = _survey_with_recipients(cast, 3)
    smtp.refuse.add(people[1].email)
    mailing = services.mailing_schedule(survey=survey, actor=None, kind=MailingKind.INVITATION)  # type: ignore[arg-type]
    assert _send(mailing) == {"sent": 2, "failed": 1}
    failed = Delivery.objects.get(mailing=mailing, status="failed")
    assert failed.recipient.person == people[1]
    assert failed.error == "SMTP 550"
    assert people[1].email not in failed.error  # the address stays out of the stored error
    assert not Recipient.objects.get(person=people[1]).invited  # a later invitation tries again


def test_a_cancelled_mailing_sends_nothing(cast: Cast, smtp: MailSink) -> None:
    survey, _people = _survey_with_recipients(cast)
    mailing = services.mailing_schedule(survey=survey, actor=None, kind=MailingKind.INVITATION)  # type: ignore[arg-type]
    services.mailing_cancel(mailing=mailing, actor=None)
    assert _send(mailing)["sent"] == 0
    assert smtp.messages == []


def test_sending_waits_between_messages_at_the_configured_rate(cast: Cast, smtp: MailSink, settings: object) -> None:
    settings.EVIDENS_MAIL_PER_MINUTE = 30  # type: ignore[attr-defined]
    survey, _people = _survey_with_recipients(cast, 3)
    mailing = services.mailing_schedule(survey=survey, actor=None, kind=MailingKind.INVITATION)  # type: ignore[arg-type]
    pauses: list[float] = []
    services.mailing_send(mailing_id=mailing.pk, pause=pauses.append)
    assert pauses == [2.0, 2.0]  # 30 a minute: two seconds between three messages


def test_the_background_job_sends_and_reports_progress(cast: Cast, smtp: MailSink) -> None:
    survey, _people = _survey_with_recipients(cast, 2)
    mailing = services.mailing_schedule(survey=survey, actor=None, kind=MailingKind.INVITATION)  # type: ignore[arg-type]
    assert mailing.job is not None
    mailing_send_task.call(job_id=mailing.job.pk, mailing_id=mailing.pk)
    job = Job.objects.get(pk=mailing.job.pk)
    assert job.status == "succeeded" and job.result == {"sent": 2, "failed": 0}
    assert (job.progress_done, job.progress_total) == (2, 2)


def test_the_unsubscribe_link_is_honoured(cast: Cast, smtp: MailSink, client: Client) -> None:
    survey, people = _survey_with_recipients(cast, 1)
    recipient = Recipient.objects.get(person=people[0])
    page = client.get(f"/s/{recipient.token}/afmeld/")
    assert "Vil du stoppe mails om dette spørgeskema?" in page.content.decode()
    assert Recipient.objects.get(pk=recipient.pk).unsubscribed_at is None  # a link checker's visit changes nothing
    done = client.post(f"/s/{recipient.token}/afmeld/")
    assert 'method="post"' not in done.content.decode()
    assert Recipient.objects.get(pk=recipient.pk).unsubscribed_at is not None
    mailing = services.mailing_schedule(survey=survey, actor=None, kind=MailingKind.INVITATION)  # type: ignore[arg-type]
    assert _send(mailing)["sent"] == 0


def test_a_reminder_waits_in_the_queue_until_its_time(cast: Cast, smtp: MailSink,
                                                     django_capture_on_commit_callbacks: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    survey, _people = _survey_with_recipients(cast, 1)
    _send(services.mailing_schedule(survey=survey, actor=None, kind=MailingKind.INVITATION))  # type: ignore[arg-type]
    when = timezone.now() + dt.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        reminder = services.mailing_schedule(survey=survey, actor=None,  # type: ignore[arg-type]
                                             kind=MailingKind.REMINDER, send_at=when)
    queued = DBTaskResult.objects.get(id=Job.objects.get(pk=reminder.job_id).task_id)
    assert queued.run_after == when  # the worker does not take it before then
    assert Mailing.objects.get(pk=reminder.pk).status == MailingStatus.SCHEDULED
