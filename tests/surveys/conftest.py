"""A small questionnaire with skip logic, a survey built from it, and a real SMTP server on loopback."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from evidens.stakeholders.models import Organisation, Person
from evidens.surveys import services
from evidens.surveys.definition import (
    LIKERT,
    LONG_TEXT,
    MULTIPLE_CHOICE,
    SINGLE_CHOICE,
    Choice,
    Question,
    Section,
    SurveyDefinition,
    likert_scale,
)
from evidens.surveys.models import Recipient, Survey
from tests.conftest import Cast
from tests.mail import MailSink, smtp_server


def questionnaire() -> SurveyDefinition:
    """Page 1 asks about membership; page 2 only members see; page 3 asks everyone for comments."""
    return SurveyDefinition(
        title={"da": "Medlemsundersøgelse", "en": "Member survey"},
        languages=["da", "en"],
        intro={"da": "Tak fordi du vil svare.", "en": "Thank you for answering."},
        thanks={"da": "Tak for dine svar!", "en": "Thanks!"},
        privacy={"da": "Besvarelsen er anonym.", "en": "The survey is anonymous."},
        sections=[
            Section("om", {"da": "Om dig", "en": "About you"}, [
                Question("medlem", SINGLE_CHOICE, {"da": "Er din organisation medlem?", "en": "Member?"},
                         required=True, choices=[Choice("ja", {"da": "Ja", "en": "Yes"}),
                                                 Choice("nej", {"da": "Nej", "en": "No"})]),
                Question("kanaler", MULTIPLE_CHOICE, {"da": "Hvor får du viden fra os?", "en": "Channels?"},
                         choices=[Choice("nyhedsbrev", {"da": "Nyhedsbrevet"}), Choice("web", {"da": "Hjemmesiden"})],
                         other=True),
            ]),
            Section("tilfredshed", {"da": "Tilfredshed"}, [
                Question("tilfreds", LIKERT, {"da": "Jeg er tilfreds med foreningen"}, required=True,
                         choices=likert_scale(), dont_know=True),
                Question("hvorfor", LONG_TEXT, {"da": "Hvad kan vi gøre bedre?"}, relevance="${tilfreds} <= 2"),
            ], relevance="${medlem} = 'ja'"),
            Section("afslutning", {"da": "Til sidst"}, [
                Question("kommentar", LONG_TEXT, {"da": "Andre kommentarer?"}),
            ]),
        ],
    )


def make_survey(cast: Cast, *, anonymous: bool = True, publish: bool = True, **fields: Any) -> Survey:
    survey = services.survey_create(process=cast.process, actor=None, title="Medlemsundersøgelse",
                                    anonymous=anonymous, questionnaire=questionnaire(), **fields)
    if publish:
        services.survey_publish(survey=survey, actor=None)
        survey.refresh_from_db()
    return survey


SERIAL = itertools.count()


def make_people(cast: Cast, count: int, *, segment: str = "Medlemmer", member: bool = True,
                email_domain: str = "example.org") -> list[Person]:
    organisation, _created = Organisation.objects.get_or_create(
        process=cast.process, name=f"Boligselskab {segment}", defaults={"is_member": member})
    numbers = [next(SERIAL) for _ in range(count)]
    return [Person.objects.create(process=cast.process, name=f"Æse Ørsted {segment} {number}",
                                  email=f"{segment.lower()}{number}@{email_domain}", segment=segment,
                                  organisation=organisation)
            for number in numbers]


def members_and_channels(cast: Cast) -> Survey:
    """An anonymous survey answered by 20: 12 members, two of whom also read the newsletter; 8 non-members,
    who all do. Filtered on members, the newsletter's two readers are too few to show."""
    survey = make_survey(cast)
    make_people(cast, 20)
    services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(process=cast.process))
    for number, recipient in enumerate(Recipient.objects.filter(survey=survey).order_by("id")):
        answers = ({"medlem": "ja", "kanaler": ["web", "nyhedsbrev"] if number < 2 else ["web"]} if number < 12
                   else {"medlem": "nej", "kanaler": ["nyhedsbrev"]})
        draft = services.draft_for_recipient(recipient=recipient)
        services.draft_save_page(draft=draft, section=0, page_answers=answers, go_to=2)
        services.response_submit(draft=draft)
    return survey


@pytest.fixture
def smtp(settings: Any) -> Iterator[MailSink]:
    """A real SMTP server on loopback; Django's SMTP backend sends to it."""
    sink = MailSink()
    controller = smtp_server(sink)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EVIDENS_MAIL_PER_MINUTE = 60_000
    try:
        yield sink
    finally:
        controller.stop()
