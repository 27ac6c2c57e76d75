"""Faults while mailing: the worker killed mid-way, then the mailing resumed without a second copy to anyone.

The end-to-end test runs a real ``evidens worker`` subprocess (its own data directory and SQLite) against a real
SMTP server on loopback. The server holds its reply to one message it has already received, so the worker is
killed in the worst place: after the message left, before the worker knew. The other tests drive
``services.mailing_send`` and ``mailing_resume`` in-process.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from evidens.stakeholders.models import Person
from evidens.surveys import services
from evidens.surveys.models import Delivery, DeliveryStatus, Mailing, MailingKind, MailingStatus, Recipient
from tests.conftest import Cast
from tests.core.test_cli import evidens, migrated_data_dir, migrated_template, subprocess_env  # noqa: F401
from tests.mail import MailSink, smtp_server
from tests.surveys.conftest import make_people, make_survey, smtp  # noqa: F401

RECIPIENTS = 40
HELD_MESSAGE = 10  # the message whose reply the SMTP server holds back while the worker is killed

SETUP = f"""
import json
from evidens.demo import survey as demo
from evidens.processes.services import process_create
from evidens.stakeholders.models import Person
from evidens.stakeholders.services import person_create
from evidens.surveys import services

process = process_create(slug="fejl", name="Fejl")
for number in range({RECIPIENTS}):
    person_create(process=process, actor=None, name=f"Person {{number}}", email=f"person{{number}}@example.org")
survey = services.survey_create(process=process, actor=None, title="Medlemsundersøgelse",
                                questionnaire=demo.member_survey())
services.survey_publish(survey=survey, actor=None)
survey.refresh_from_db()
services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(process=process))
print(json.dumps({{"mailing": services.mailing_schedule(survey=survey, actor=None, kind="invitation").pk}}))
"""


class HoldingSink(MailSink):
    """Receives messages, but answers the ``hold_at``-th only when released: its sender waits for the reply."""

    def __init__(self, hold_at: int) -> None:
        super().__init__()
        self.hold_at = hold_at
        self.holding = threading.Event()
        self.released = threading.Event()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        reply = await super().handle_DATA(server, session, envelope)
        if len(self.messages) == self.hold_at:
            self.holding.set()
            while not self.released.is_set():
                await asyncio.sleep(0.05)
        return reply


def _wait_until(condition: object, what: str, worker: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert worker.poll() is None, f"the worker stopped before {what}"
        assert time.monotonic() < deadline, f"no {what} within {seconds} s"
        time.sleep(0.05)


def test_a_worker_killed_mid_mailing_leaves_a_mailing_that_resumes_without_a_second_copy(
        migrated_template: Path, tmp_path: Path) -> None:  # noqa: F811
    data_dir = migrated_data_dir(migrated_template, tmp_path / "data")
    mailing_id = json.loads(evidens(data_dir, "shell", "--command", SETUP).stdout.strip().splitlines()[-1])["mailing"]
    sink = HoldingSink(hold_at=HELD_MESSAGE)
    controller = smtp_server(sink)
    mail_env = {"EVIDENS_EMAIL_HOST": "127.0.0.1", "EVIDENS_EMAIL_PORT": str(controller.port),
                "EVIDENS_MAIL_PER_MINUTE": "6000"}
    database = data_dir / "evidens.sqlite3"

    def rows(sql: str, *parameters: object) -> list[tuple[object, ...]]:
        with sqlite3.connect(database) as db:
            return db.execute(sql, parameters).fetchall()

    def deliveries() -> Counter[object]:
        return Counter(status for (status,) in rows("SELECT status FROM surveys_delivery WHERE mailing_id = ?",
                                                    mailing_id))

    try:
        log = (tmp_path / "worker.log").open("wb")
        worker = subprocess.Popen([sys.executable, "-m", "evidens", "worker", "--interval", "0.2"],
                                  env=subprocess_env(data_dir, **mail_env), cwd=tmp_path, stdout=log,
                                  stderr=subprocess.STDOUT)
        try:
            _wait_until(sink.holding.is_set, "held message", worker)
        finally:
            worker.kill()
            worker.wait(timeout=30)
            log.close()
        sink.released.set()

        # The held message reached its recipient, but the worker died before it heard so.
        assert len(sink.messages) == HELD_MESSAGE
        assert deliveries() == {"sent": HELD_MESSAGE - 1, "unknown": 1}
        assert rows("SELECT status FROM surveys_mailing WHERE id = ?", mailing_id) == [("sending",)]
        assert rows("SELECT count(*) FROM surveys_recipient WHERE invited") == [(HELD_MESSAGE - 1,)]

        # The commands speak English here (EVIDENS_LANGUAGE): their messages as written, whatever the catalogue holds.
        # Straight after the kill the mailing still looks alive: resuming now is refused.
        refused = evidens(data_dir, "survey", "resume", "--mailing", str(mailing_id), check=False,
                          EVIDENS_LANGUAGE="en")
        assert refused.returncode != 0
        assert "Only a mailing whose sending has stopped can be resumed." in refused.stderr

        # Ten minutes of silence pass (the mailing's and its messages' times moved back).
        with sqlite3.connect(database) as db:
            db.execute("UPDATE surveys_mailing SET started_at = datetime(started_at, '-11 minutes'), "
                       "scheduled_for = datetime(scheduled_for, '-11 minutes') WHERE id = ?", (mailing_id,))
            db.execute("UPDATE surveys_delivery SET attempted_at = datetime(attempted_at, '-11 minutes')")
        resumed = evidens(data_dir, "survey", "resume", "--mailing", str(mailing_id), EVIDENS_LANGUAGE="en")
        waiting = RECIPIENTS - HELD_MESSAGE
        assert f"Mailing {mailing_id} resumed: the worker sends it to the {waiting} recipients not yet reached." \
            in resumed.stdout
        assert "1 message has an unknown outcome" in resumed.stdout
        again = evidens(data_dir, "survey", "resume", "--mailing", str(mailing_id), check=False)
        assert again.returncode != 0  # the resumed run has its own ten minutes

        evidens(data_dir, "worker", "--batch", EVIDENS_EMAIL_HOST="127.0.0.1", EVIDENS_EMAIL_PORT=str(controller.port),
                EVIDENS_MAIL_PER_MINUTE="6000")
    finally:
        sink.released.set()
        controller.stop()

    per_address = Counter(message["To"] for message in sink.messages)
    assert per_address == {f"person{number}@example.org": 1 for number in range(RECIPIENTS)}
    assert deliveries() == {"sent": RECIPIENTS - 1, "unknown": 1}
    assert rows("SELECT status FROM surveys_mailing WHERE id = ?", mailing_id) == [("sent",)]
    (job_status, result), = rows("SELECT j.status, j.result FROM processes_job j "
                                 "JOIN surveys_mailing m ON m.job_id = j.id WHERE m.id = ?", mailing_id)
    assert job_status == "succeeded"
    assert json.loads(str(result)) == {"sent": RECIPIENTS - HELD_MESSAGE, "failed": 0, "unknown": 1}


# --- in-process ---------------------------------------------------------------------------------------


def _invitation(cast: Cast, count: int) -> tuple[Mailing, list[Person]]:
    survey = make_survey(cast)
    people = make_people(cast, count)
    services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(process=cast.process))
    return services.mailing_schedule(survey=survey, actor=None, kind=MailingKind.INVITATION), people


def test_a_recipient_another_run_has_claimed_is_not_sent_to(cast: Cast, smtp: MailSink) -> None:  # noqa: F811
    mailing, people = _invitation(cast, 3)
    taken = Recipient.objects.get(person=people[2])

    def another_run_claims_the_last(seconds: float) -> None:  # between the first and second message
        Delivery.objects.get_or_create(mailing=mailing, recipient=taken, defaults={"status": DeliveryStatus.SENT})

    result = services.mailing_send(mailing_id=mailing.pk, pause=another_run_claims_the_last)

    assert result == {"sent": 2, "failed": 0}
    assert sorted(message["To"] for message in smtp.messages) == sorted([people[0].email, people[1].email])


def test_an_unknown_outcome_is_reported_and_never_sent_again(cast: Cast, smtp: MailSink) -> None:  # noqa: F811
    mailing, people = _invitation(cast, 3)
    Mailing.objects.filter(pk=mailing.pk).update(status=MailingStatus.SENDING, started_at=timezone.now())
    Delivery.objects.create(mailing=mailing, recipient=Recipient.objects.get(person=people[0]),
                            status=DeliveryStatus.UNKNOWN)

    result = services.mailing_send(mailing_id=mailing.pk, pause=lambda seconds: None)

    assert result == {"sent": 2, "failed": 0, "unknown": 1}
    assert sorted(message["To"] for message in smtp.messages) == sorted([people[1].email, people[2].email])
    assert not Recipient.objects.get(person=people[0]).invited


def test_resuming_waits_for_ten_minutes_without_a_new_message(cast: Cast, smtp: MailSink) -> None:  # noqa: F811
    mailing, people = _invitation(cast, 2)
    started = timezone.now()
    Mailing.objects.filter(pk=mailing.pk).update(status=MailingStatus.SENDING, started_at=started,
                                                 scheduled_for=started)
    Delivery.objects.create(mailing=mailing, recipient=Recipient.objects.get(person=people[0]),
                            status=DeliveryStatus.SENT, attempted_at=started + dt.timedelta(minutes=5))
    mailing.refresh_from_db()

    # Ten minutes after the start, but only five after the last message began: not stalled.
    with pytest.raises(ValidationError):
        services.mailing_resume(mailing=mailing, actor=None, now=started + dt.timedelta(minutes=10, seconds=30))
    assert Mailing.objects.get(pk=mailing.pk).job_id == mailing.job_id

    later = started + dt.timedelta(minutes=16)
    resumed = services.mailing_resume(mailing=mailing, actor=None, now=later)

    assert resumed.job_id != mailing.job_id  # a new job sends the rest
    assert resumed.started_at == later
    assert not services.mailing_stalled(resumed, now=later + dt.timedelta(minutes=9))


def test_only_a_sending_mailing_can_be_resumed(cast: Cast, smtp: MailSink) -> None:  # noqa: F811
    mailing, _people = _invitation(cast, 1)
    far_later = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ValidationError):  # still planned
        services.mailing_resume(mailing=mailing, actor=None, now=far_later)
    services.mailing_send(mailing_id=mailing.pk, pause=lambda seconds: None)
    mailing.refresh_from_db()
    with pytest.raises(ValidationError):  # done
        services.mailing_resume(mailing=mailing, actor=None, now=far_later)


def _english_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the page as written, whatever the catalogue holds
    return client


def test_the_survey_page_offers_to_resume_a_stalled_mailing_and_shows_unknown_outcomes(
        cast: Cast, smtp: MailSink) -> None:  # noqa: F811
    mailing, people = _invitation(cast, 3)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    Mailing.objects.filter(pk=mailing.pk).update(status=MailingStatus.SENDING, started_at=long_ago,
                                                 scheduled_for=long_ago)
    Delivery.objects.create(mailing=mailing, recipient=Recipient.objects.get(person=people[0]),
                            status=DeliveryStatus.UNKNOWN, attempted_at=long_ago)
    page_url = f"/p/proc/surveys/{mailing.survey_id}/"
    resume_url = f"{page_url}mailings/{mailing.pk}/resume/"
    reader, secretariat = _english_client(cast.users["reader"]), _english_client(cast.users["secretariat"])

    shown = secretariat.get(page_url).content.decode()
    assert "The sending stopped before everyone was reached" in shown
    assert "1 message has an unknown outcome" in shown
    assert f'action="{resume_url}"' in shown
    read_only = reader.get(page_url).content.decode()
    assert "1 message has an unknown outcome" in read_only
    assert resume_url not in read_only  # only those who manage may resume
    assert reader.post(resume_url).status_code == 403

    assert secretariat.post(resume_url).status_code == 302

    resumed = Mailing.objects.get(pk=mailing.pk)
    assert resumed.job_id != mailing.job_id
    after = secretariat.get(page_url).content.decode()
    assert resume_url not in after
    assert "The sending stopped before everyone was reached" not in after
    assert "1 message has an unknown outcome" not in after  # while the resumed run sends, the row may be its own
