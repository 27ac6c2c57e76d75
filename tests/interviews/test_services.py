"""Writes of interviews through the services: the guide's versions, the plan and its checks, transcripts from a Word
file and by paste, and what a person's erasure and data export do to their interviews.

Positions are code points counted by hand in the comments. Messages are checked in Danish, the installation language.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import docx
import pytest
from django.core.exceptions import ValidationError

from evidens.coding import services as coding_services
from evidens.coding.models import Coding, CodingEvent, Document, Memo
from evidens.interviews import services
from evidens.interviews.models import ConsentScope, Interview, InterviewGuide, InterviewStatus
from evidens.stakeholders import services as stakeholder_services
from evidens.stakeholders.models import Person
from tests.conftest import Cast

GUIDE_V1 = "Om dig\n- Hvad er din rolle?\n- Hvor længe har I været medlem?\n\nAlmenNet\n- Hvad bruger I?\n"
GUIDE_V2 = GUIDE_V1 + "Synlighed\n• Hvor hørte du om os?\n"

# The Word file's paragraphs, one line each in the text. Counted by hand:
#   "Interviewer: " is 13, "Hvad betyder grøn omstilling for jer?" is 37 → turn 13–50; "\n" 50;
#   "I01: " 51–55, "Det handler om energi og økonomi." is 33 → turn 56–89; "\n" 89;
#   "Interviewer: " 90–102, "Og renovering?" is 14 → turn 103–117; "\n" 117;
#   "I01: " 118–122, "Den er i gang." is 14 → turn 123–137. 137 code points in all.
PARAGRAPHS = ["Interviewer: Hvad betyder grøn omstilling for jer?", "I01: Det handler om energi og økonomi.",
              "Interviewer: Og renovering?", "I01: Den er i gang."]
TRANSCRIPT = "\n".join(PARAGRAPHS)
TURN_SPANS = [("Interviewer", 13, 50), ("I01", 56, 89), ("Interviewer", 103, 117), ("I01", 123, 137)]
TURNS = [list(turn) for turn in TURN_SPANS]  # as Document.turns stores them (JSON)


def word_file(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def planned(cast: Cast, label: str = "I01", **values: Any) -> Interview:
    return services.interview_create(process=cast.process, actor=None, label=label, group="member", **values)


def test_the_hand_counted_turns() -> None:
    assert len(TRANSCRIPT) == 137
    assert [TRANSCRIPT[start:end] for _speaker, start, end in TURN_SPANS] == [
        "Hvad betyder grøn omstilling for jer?", "Det handler om energi og økonomi.", "Og renovering?",
        "Den er i gang."]


# --- the guide ------------------------------------------------------------------------------------------------------


def test_each_save_of_the_guide_is_a_new_version_and_an_interview_keeps_its_own(cast: Cast) -> None:
    secretariat = cast.users["secretariat"]
    first = services.guide_save(process=cast.process, actor=secretariat, title=" Interviewguide ", text=GUIDE_V1,
                                note="Første udkast")
    interview = planned(cast, guide=first)
    second = services.guide_save(process=cast.process, actor=secretariat, title="Interviewguide", text=GUIDE_V2)

    assert (first.version, second.version) == (1, 2)
    assert first.title == "Interviewguide" and first.created_by == secretariat
    assert first.themes == [{"theme": "Om dig", "questions": ["Hvad er din rolle?", "Hvor længe har I været medlem?"]},
                            {"theme": "AlmenNet", "questions": ["Hvad bruger I?"]}]
    # Version 2 adds a theme with one question (written with a bullet): 3 + 1 questions.
    assert (first.question_count, second.question_count) == (3, 4)
    interview.refresh_from_db()
    assert interview.guide is not None and interview.guide.version == 1
    # Another process counts its own versions.
    other = services.guide_save(process=cast.other_process, actor=cast.other_member, title="Guide", text=GUIDE_V1)
    assert other.version == 1


def test_a_question_before_any_theme_is_refused_naming_its_line(cast: Cast) -> None:
    with pytest.raises(ValidationError) as refused:
        # Line 1 is empty, line 2 the question.
        services.guide_save(process=cast.process, actor=cast.users["secretariat"], title="Guide",
                            text="\n- Hvad er din rolle?\nOm dig\n")
    (message,) = refused.value.message_dict["text"]
    assert message.startswith("Linje 2 er et spørgsmål før ethvert tema.")
    assert not InterviewGuide.objects.exists()


def test_the_guide_can_be_saved_without_a_user(cast: Cast) -> None:
    # Like every other service (the command line and the demo pass actor=None), the guide takes no user too.
    guide = services.guide_save(process=cast.process, actor=None, title="Guide", text=GUIDE_V1)
    assert guide.version == 1 and guide.created_by is None


# --- the plan -------------------------------------------------------------------------------------------------------


def test_an_interview_label_is_unique_whatever_its_case(cast: Cast) -> None:
    planned(cast, "I07")
    with pytest.raises(ValidationError) as refused:
        planned(cast, "i07")
    assert refused.value.message_dict["label"] == ["Et andet interview hedder allerede i07."]
    other = planned(cast, "I08")
    with pytest.raises(ValidationError):
        services.interview_update(interview=other, actor=None, label="I07")
    assert Interview.objects.filter(process=cast.process).count() == 2
    # Another process may use the same label.
    services.interview_create(process=cast.other_process, actor=None, label="I07", group="member")


def test_a_person_or_guide_of_another_process_is_refused(cast: Cast) -> None:
    stranger = stakeholder_services.person_create(process=cast.other_process, actor=None, name="Ole Andersen")
    with pytest.raises(ValidationError) as refused:
        planned(cast, person=stranger)
    assert refused.value.message_dict["person"] == ["Interviewpersonen er ikke i denne proces’ register."]
    foreign_guide = services.guide_save(process=cast.other_process, actor=cast.other_member, title="Guide",
                                        text=GUIDE_V1)
    with pytest.raises(ValidationError) as refused:
        planned(cast, guide=foreign_guide)
    assert "guide" in refused.value.message_dict
    assert not Interview.objects.filter(process=cast.process).exists()


def test_changing_the_description_changes_how_the_text_is_quoted(cast: Cast) -> None:
    interview = planned(cast, description="byggechef")
    interview = services.transcript_paste(interview=interview, actor=None, text=TRANSCRIPT)
    services.interview_update(interview=interview, actor=None, description="driftschef, lille boligorganisation",
                              group="municipality")
    assert interview.document is not None
    document = Document.objects.get(pk=interview.document.pk)  # read again: the service wrote it
    assert (document.title, document.label, document.group) == (
        "I01, driftschef, lille boligorganisation", "I01, driftschef, lille boligorganisation", "municipality")


# --- transcripts ----------------------------------------------------------------------------------------------------


def test_a_word_transcript_gives_text_turns_and_notes(cast: Cast) -> None:
    interview = planned(cast)
    interview = services.transcript_upload(interview=interview, actor=None, data=word_file(PARAGRAPHS),
                                           filename="I01.docx")
    assert interview.status == InterviewStatus.TRANSCRIBED
    assert interview.transcript_name == "I01.docx"
    # Nothing to normalise in a clean Word file: the only note is the turns found (Interviewer twice, I01 twice).
    assert interview.transcript_notes == ["4 taleture blev fundet (Interviewer, I01)."]
    document = interview.document
    assert document is not None
    assert (document.text, document.turns) == (TRANSCRIPT, TURNS)
    assert (document.origin, document.title, document.group) == ("interview", "I01", "member")


def test_an_uncoded_transcript_can_be_replaced_but_a_coded_one_cannot(cast: Cast) -> None:
    interview = services.transcript_paste(interview=planned(cast), actor=None, text="Interviewer: Første udgave.")
    document_id = interview.document_id
    assert document_id is not None
    interview = services.transcript_upload(interview=interview, actor=None, data=word_file(PARAGRAPHS),
                                           filename="I01.docx")
    assert interview.document_id == document_id  # the same text, in its new version
    document = Document.objects.get(pk=document_id)
    assert document.text == TRANSCRIPT

    code = coding_services.code_create(process=cast.process, actor=None, name="Energi")
    coding_services.coding_apply(document=document, actor=cast.users["analyst"], codes=[code], start=56, end=89)
    with pytest.raises(ValidationError) as refused:
        services.transcript_upload(interview=interview, actor=None, data=word_file(["I01: Noget helt andet."]),
                                   filename="I01-v2.docx")
    assert "Transskriptionen er kodet" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        services.transcript_paste(interview=interview, actor=None, text="I01: Noget helt andet.")
    interview.refresh_from_db()
    document.refresh_from_db()
    assert (document.text, interview.transcript_name) == (TRANSCRIPT, "I01.docx")


def test_a_file_that_is_not_a_transcript_is_refused(cast: Cast) -> None:
    interview = planned(cast)
    with pytest.raises(ValidationError) as refused:
        services.transcript_upload(interview=interview, actor=None, data=b"no zip here", filename="I01.docx")
    assert "file" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.transcript_paste(interview=interview, actor=None, text=" \r\n ")
    interview.refresh_from_db()
    assert (interview.document, interview.status) == (None, InterviewStatus.PLANNED)
    assert not Document.objects.exists()


def test_a_cancelled_interview_stays_cancelled_when_its_transcript_comes(cast: Cast) -> None:
    interview = planned(cast, status=InterviewStatus.CANCELLED)
    interview = services.transcript_paste(interview=interview, actor=None, text=TRANSCRIPT)
    assert interview.status == InterviewStatus.CANCELLED


# --- people ---------------------------------------------------------------------------------------------------------


def interviewed(cast: Cast, name: str, label: str) -> tuple[Person, Interview]:
    person = stakeholder_services.person_create(process=cast.process, actor=None, name=name)
    interview = planned(cast, label, person=person, description="byggechef", notes=f"Ring til {name}",
                        date=date(2025, 3, 12), consent=ConsentScope.ANONYMOUS_QUOTES)
    return person, services.transcript_upload(interview=interview, actor=None, data=word_file(PARAGRAPHS),
                                              filename=f"{label}.docx")


def test_a_persons_data_includes_their_interview_transcripts(cast: Cast) -> None:
    person, _interview = interviewed(cast, "Kirsten Dahl", "I01")
    interviewed(cast, "Ole Andersen", "I02")
    data = stakeholder_services.person_data(person)
    assert data["interviews"] == [{
        "label": "I01", "date": "2025-03-12", "form": "video", "consent": "anonymous_quotes", "consent_date": None,
        "description": "byggechef", "notes": "Ring til Kirsten Dahl", "transcript": TRANSCRIPT}]


def test_erasing_a_person_removes_their_transcript_and_codings_and_keeps_the_interview(cast: Cast) -> None:
    analyst = cast.users["analyst"]
    person, interview = interviewed(cast, "Kirsten Dahl", "I01")
    _other_person, kept = interviewed(cast, "Ole Andersen", "I02")
    code = coding_services.code_create(process=cast.process, actor=None, name="Energi")
    for coded in (interview, kept):
        assert coded.document is not None
        (coding,) = coding_services.coding_apply(document=coded.document, actor=analyst, codes=[code], start=56,
                                                 end=89)
        coding_services.memo_add(process=cast.process, actor=analyst, text="Vigtigt", coding=coding)
    document_id = interview.document_id
    assert document_id is not None

    stakeholder_services.person_erase(person=person, actor=cast.users["secretariat"])

    interview.refresh_from_db()
    assert Interview.objects.filter(pk=interview.pk).exists()
    assert (interview.label, interview.person, interview.document, interview.description, interview.notes,
            interview.transcript_name, interview.transcript_notes) == ("I01", None, None, "", "", "", [])
    assert not Document.objects.filter(pk=document_id).exists()
    assert not Coding.objects.filter(document_id=document_id).exists()
    assert not CodingEvent.objects.filter(document_id=document_id).exists()
    # The other interviewee's transcript, coding and memo are untouched.
    kept.refresh_from_db()
    assert kept.document is not None and kept.document.text == TRANSCRIPT
    assert Coding.objects.filter(document=kept.document).count() == 1
    assert Memo.objects.count() == 1
    assert stakeholder_services.person_data(Person.objects.get(pk=person.pk))["interviews"] == []
