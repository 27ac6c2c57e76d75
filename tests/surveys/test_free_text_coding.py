"""Open answers coded with the process's codebook: copied into the coding app grouped by segment, counted per
segment on the answers page, quoted in the reports without names, and blanked when their author is erased."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from evidens.coding import evidence as coding_evidence
from evidens.coding import services as coding_services
from evidens.coding.models import Document, DocumentOrigin
from evidens.evidence.models import Channel, EvidenceItem
from evidens.reports.builders import publishable_quotes
from evidens.stakeholders import services as stakeholder_services
from evidens.stakeholders.models import Person
from evidens.surveys import services
from evidens.surveys.models import Recipient, Survey
from tests.conftest import Cast
from tests.surveys.conftest import make_people, make_survey

pytestmark = pytest.mark.django_db

MEMBERS = ["Kurserne er gode", "For dyrt kontingent", "Gode netværk"]
ADVISERS = ["Mere om digitalisering"]


def _answered(cast: Cast, groups: dict[str, list[str]], *, anonymous: bool) -> Survey:
    survey = make_survey(cast, anonymous=anonymous)
    for segment, texts in groups.items():
        people = make_people(cast, len(texts), segment=segment)
        services.recipients_add(survey=survey, actor=None,
                                people=Person.objects.filter(pk__in=[person.pk for person in people]))
        recipients = Recipient.objects.filter(survey=survey, person__in=people).order_by("person_id")
        for recipient, text in zip(recipients, texts, strict=True):
            draft = services.draft_for_recipient(recipient=recipient)
            services.draft_save_page(draft=draft, section=0, page_answers={"medlem": "nej"}, go_to=2)
            services.draft_save_page(draft=draft, section=2, page_answers={"kommentar": text}, go_to=2)
            services.response_submit(draft=draft)
    return survey


def _page(survey: Survey) -> str:
    return reverse("surveys:text_answers", args=[survey.process.slug, survey.pk, "kommentar"])


def test_the_answers_become_a_coded_text_with_a_turn_per_answer_and_codes_count_per_segment(
    cast: Cast, client_for: Any
) -> None:
    survey = _answered(cast, {"Medlemmer": MEMBERS, "Rådgivere": ADVISERS}, anonymous=False)
    analyst = client_for(cast.users["analyst"])

    response = analyst.post(_page(survey) + "code/")

    document = Document.objects.get(process=cast.process, origin=DocumentOrigin.SURVEY)
    assert response.status_code == 302 and response["Location"] == reverse(
        "coding:document", args=[cast.process.slug, document.pk])
    assert document.title == "Medlemsundersøgelse: Andre kommentarer?"
    # Answers sorted within their group, a blank line between two; each a turn of its segment.
    assert document.text == "For dyrt kontingent\n\nGode netværk\n\nKurserne er gode\n\nMere om digitalisering"
    assert [[text[0], document.text[text[1]:text[2]]] for text in document.turns] == [
        ["Medlemmer", "For dyrt kontingent"], ["Medlemmer", "Gode netværk"], ["Medlemmer", "Kurserne er gode"],
        ["Rådgivere", "Mere om digitalisering"]]
    assert analyst.post(_page(survey) + "code/").status_code == 302  # a second time opens the same text
    assert Document.objects.filter(process=cast.process).count() == 1

    price = coding_services.code_create(process=cast.process, actor=None, name="Pris")
    praise = coding_services.code_create(process=cast.process, actor=None, name="Ros")
    coding_services.coding_apply(document=document, actor=cast.users["analyst"], codes=[price], start=0, end=19)
    start = document.text.index("Gode netværk")
    end = document.text.index("Kurserne er gode") + len("Kurserne er gode")
    coding_services.coding_apply(document=document, actor=cast.users["analyst"], codes=[praise], start=start, end=end)

    html = client_for(cast.users["reader"]).get(_page(survey)).content.decode()
    assert "Teksten til kodning rummer 4 svar, grupperet efter segment." in html
    # Pris: one members' answer; Ros: a coding across two members' answers counts both.
    assert '<th scope="row">Pris</th><td class="num">1</td><td class="num">0</td>' in html
    assert '<th scope="row">Ros</th><td class="num">2</td><td class="num">0</td>' in html
    assert "Tone efter gruppe" in html


def test_a_reader_may_not_copy_the_answers(cast: Cast, client_for: Any) -> None:
    survey = _answered(cast, {"Medlemmer": MEMBERS}, anonymous=False)
    assert client_for(cast.users["reader"]).post(_page(survey) + "code/").status_code == 403
    assert not Document.objects.filter(process=cast.process).exists()


def test_an_anonymous_survey_copies_only_segments_large_enough_to_read(cast: Cast) -> None:
    members = [f"Svar nummer {number}" for number in range(10)]
    # Six advisers are a group of their own (at least 5) but too few to read open answers from (fewer than 10).
    survey = _answered(cast, {"Medlemmer": members, "Rådgivere": ADVISERS * 6}, anonymous=True)

    document = services.text_answers_coding_open(survey=survey, name="kommentar", actor=None)

    assert {turn[0] for turn in document.turns} == {"Medlemmer"}
    assert "digitalisering" not in document.text
    assert len(document.turns) == 10


def test_nothing_to_read_is_refused_with_a_danish_message(cast: Cast, client_for: Any) -> None:
    survey = _answered(cast, {"Medlemmer": MEMBERS}, anonymous=True)  # three answers: fewer than ten

    response = client_for(cast.users["analyst"]).post(_page(survey) + "code/", follow=True)

    assert "Der er endnu ingen svar at kode, som må læses." in response.content.decode()
    assert not Document.objects.filter(process=cast.process).exists()


def test_a_quote_of_an_answer_is_survey_evidence_attributed_to_its_segment_and_printable_without_a_name(
    cast: Cast,
) -> None:
    survey = _answered(cast, {"Medlemmer": MEMBERS, "Rådgivere": ADVISERS}, anonymous=False)
    document = services.text_answers_coding_open(survey=survey, name="kommentar", actor=None)
    code = coding_services.code_create(process=cast.process, actor=None, name="Digitalisering")
    start = document.text.index("Mere om digitalisering")
    [coding] = coding_services.coding_apply(document=document, actor=cast.users["analyst"], codes=[code],
                                            start=start, end=start + len("Mere om digitalisering"))

    item = coding_evidence.quote_save(coding=coding, actor=cast.users["analyst"])

    assert item.channel == Channel.SURVEYS
    assert item.result == {"text": "Mere om digitalisering", "attribution": "Rådgivere, i spørgeskemaet"}
    assert item.definition["group"] == "Rådgivere"
    assert publishable_quotes(cast.process, [item]) == {item.pk: ""}


def test_erasing_a_respondent_blanks_one_of_two_equal_answers(cast: Cast) -> None:
    survey = _answered(cast, {"Medlemmer": ["Nej", "Nej", "Ja"]}, anonymous=False)
    document = services.text_answers_coding_open(survey=survey, name="kommentar", actor=None)
    author = Recipient.objects.filter(survey=survey, response__answers__kommentar="Nej").first().person

    stakeholder_services.person_erase(person=author, actor=cast.users["secretariat"])

    document.refresh_from_db()
    assert document.text == "Ja\n\n···\n\nNej"  # the other person's "Nej" stays


def test_erasing_a_respondent_blanks_their_answer_and_its_quotes_and_keeps_the_other_codings(cast: Cast) -> None:
    survey = _answered(cast, {"Medlemmer": MEMBERS}, anonymous=False)
    document = services.text_answers_coding_open(survey=survey, name="kommentar", actor=None)
    code = coding_services.code_create(process=cast.process, actor=None, name="Pris")
    dear = document.text.index("For dyrt kontingent")
    good = document.text.index("Gode netværk")
    analyst = cast.users["analyst"]
    [dear_coding] = coding_services.coding_apply(document=document, actor=analyst, codes=[code], start=dear,
                                                 end=dear + 19)
    [good_coding] = coding_services.coding_apply(document=document, actor=analyst, codes=[code], start=good,
                                                 end=good + 12)
    coding_evidence.quote_save(coding=dear_coding, actor=None)
    kept = coding_evidence.quote_save(coding=good_coding, actor=None)
    author = Recipient.objects.get(survey=survey, response__answers__kommentar="For dyrt kontingent").person

    stakeholder_services.person_erase(person=author, actor=cast.users["secretariat"])

    document.refresh_from_db()
    assert "dyrt" not in document.text
    assert document.text == "·" * 19 + "\n\nGode netværk\n\nKurserne er gode"  # every position where it was
    assert document.text[good:good + 12] == "Gode netværk"
    assert list(EvidenceItem.objects.filter(process=cast.process)) == [kept]
    assert document.codings.count() == 2
