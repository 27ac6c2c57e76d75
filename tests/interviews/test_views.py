"""The interview pages: plan an interview, add its transcript by upload and by paste, and keep the guide's
versions. Texts are checked in Danish, the installation language."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidens.interviews.models import Interview, InterviewGuide, InterviewStatus
from evidens.stakeholders.models import Person
from tests.conftest import Cast


def _url(name: str, cast: Cast, *args: Any) -> str:
    return reverse(f"interviews:{name}", args=[cast.process.slug, *args])


def test_an_interview_is_planned_transcribed_and_listed(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["analyst"])
    person = Person.objects.create(process=cast.process, name="Kirsten Dahl")
    response = client.post(_url("new", cast), {
        "label": "I07", "person": person.pk, "group": "member", "description": "byggechef, stor boligorganisation",
        "interviewer": "Mette Holm", "date": "2021-01-18", "form": "video", "status": "planned",
        "consent": "anonymous_quotes", "consent_date": "2021-01-18"})
    interview = Interview.objects.get(process=cast.process, label="I07")
    assert response["Location"] == _url("detail", cast, interview.pk)
    assert interview.person == person and interview.quote_label == "I07, byggechef, stor boligorganisation"

    # The same label again is refused in Danish, whatever its case.
    response = client.post(_url("new", cast), {"label": "i07", "group": "member", "form": "video",
                                               "status": "planned", "consent": "not_asked"})
    assert "Et andet interview hedder allerede i07." in response.content.decode()

    text = ("Interviewer: Hvordan bruger I AlmenNet?\r\nI07: Vi bruger netværket hver måned.\r\n"
            "Interviewer: Tak.\r\n").encode("cp1252")
    response = client.post(_url("transcript_upload", cast, interview.pk),
                           {"file": SimpleUploadedFile("I07.txt", text)}, follow=True)
    page = response.content.decode()
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.TRANSCRIBED and interview.document is not None
    assert interview.document.text == ("Interviewer: Hvordan bruger I AlmenNet?\nI07: Vi bruger netværket hver måned."
                                       "\nInterviewer: Tak.\n")
    assert [turn[0] for turn in interview.document.turns] == ["Interviewer", "I07", "Interviewer"]
    assert interview.document.group == "member" and interview.document.label == interview.quote_label
    assert 'data-testid="transcript-report"' in page and "Windows-1252" in page

    listing = client.get(_url("list", cast)).content.decode()
    assert "I07, byggechef, stor boligorganisation" in listing and "Transskriberet" in listing


def test_a_broken_upload_is_refused_and_a_pasted_text_kept(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    interview = Interview.objects.create(process=cast.process, label="I01", group="municipality")
    response = client.post(_url("transcript_upload", cast, interview.pk),
                           {"file": SimpleUploadedFile("I01.docx", b"no zip here")})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    interview.refresh_from_db()
    assert interview.document is None

    pasted = "Interviewer: Hej\nI01: Goddag 👍\nInterviewer: Farvel"
    client.post(_url("transcript_paste", cast, interview.pk), {"text": pasted})
    interview.refresh_from_db()
    assert interview.document is not None and interview.document.text == pasted
    # Counted by hand: "Interviewer: " is 13, "Hej\n" ends the first line at 17; "I01: " brings 22, "Goddag 👍" is
    # 8 code points (👍 is one) to 30, "\n" 31, "Interviewer: " 44, "Farvel" 50.
    assert interview.document.turns == [["Interviewer", 13, 16], ["I01", 22, 30], ["Interviewer", 44, 50]]


def test_the_guide_keeps_its_versions(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["analyst"])
    client.post(_url("guide", cast), {"title": "Guide", "text": "Om dig\n- Hvad laver du?\n"})
    client.post(_url("guide", cast), {"title": "Guide", "text": "Om dig\n- Hvad laver du?\nFremtiden\n- Og så?",
                                      "note": "Fremtiden tilføjet"})
    response = client.post(_url("guide", cast), {"title": "Guide", "text": "- Et spørgsmål uden tema"})
    assert "Linje 1 er et spørgsmål før ethvert tema." in response.content.decode()
    assert list(InterviewGuide.objects.values_list("version", flat=True)) == [2, 1]
    latest = client.get(_url("guide", cast)).content.decode()
    assert "Fremtiden" in latest and "version 2" in latest
    first = client.get(_url("guide_version", cast, 1)).content.decode()
    assert "Fremtiden</strong>" not in first
    # Readers see the guide, but cannot change it.
    reader = client_for(cast.users["reader"])
    assert reader.post(_url("guide", cast), {"title": "X", "text": "Y"}).status_code == 403
