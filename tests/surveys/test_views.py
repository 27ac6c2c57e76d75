"""The secretariat's survey pages: builder, publishing, import, recipients, monitoring, export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evidens.stakeholders.models import Person
from evidens.surveys import services
from evidens.surveys.models import Mailing, Recipient, Survey
from tests.conftest import Cast
from tests.surveys.conftest import make_people, make_survey, members_and_channels

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[1] / "data"


def _url(survey: Survey, page: str = "") -> str:
    return f"/p/proc/surveys/{survey.pk}/{page}"


def test_create_a_survey_and_add_a_question(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    response = client.post("/p/proc/surveys/new/", {"title": "Partnerundersøgelse", "anonymous": "on"})
    survey = Survey.objects.get(title="Partnerundersøgelse")
    assert response["Location"] == _url(survey, "builder/")
    added = client.post(_url(survey, "questions/new/"), {
        "section": "side1", "name": "rolle", "type": "single_choice", "label_da": "Hvad er din rolle?",
        "choices": "leder | Leder | Manager\nansat | Medarbejder"})
    assert added.status_code == 302
    question = Survey.objects.get(pk=survey.pk).working_copy().question("rolle")
    assert question is not None and [choice.label for choice in question.choices] == [
        {"da": "Leder", "en": "Manager"}, {"da": "Medarbejder"}]


def test_a_malformed_condition_is_shown_with_its_position(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    survey = make_survey(cast, publish=False)
    page = client.post(_url(survey, "questions/new/"), {
        "section": "afslutning", "name": "ny", "type": "short_text", "label_da": "Nyt spørgsmål",
        "relevance": "${medlem} = 'ja' or or"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "ved tegn 21" in html  # the second "or" is characters 21-22
    assert Survey.objects.get(pk=survey.pk).working_copy().question("ny") is None


def test_reorder_publish_and_see_the_differences(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    survey = make_survey(cast)
    client.post(_url(survey, "questions/kanaler/move/"), {"direction": "up"})
    builder = client.get(_url(survey, "builder/")).content.decode()
    assert "Arbejdskopien har 2 ændringer siden da:" in builder
    assert builder.index('id="q-kanaler"') < builder.index('id="q-medlem"')
    client.post(_url(survey, "publish/"))
    assert survey.versions.count() == 2
    versions = client.get(_url(survey, "versions/")).content.decode()
    assert "Version 2" in versions and "flyttet" in versions


def test_import_an_xlsform_through_the_page(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    upload = SimpleUploadedFile("or_other.xlsx", (DATA / "xlsform" / "or_other.xlsx").read_bytes())
    response = client.post("/p/proc/surveys/import/", {"file": upload})
    survey = Survey.objects.get(process=cast.process)
    assert response["Location"] == _url(survey, "builder/")
    assert survey.working_copy().questions()


def test_an_unreadable_file_is_refused_on_the_form(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    upload = SimpleUploadedFile("skema.lss", b"<?xml version='1.0'?><document><LimeSurveyDocType>")
    page = client.post("/p/proc/surveys/import/", {"file": upload})
    assert page.status_code == 200 and "LimeSurvey-filen" in page.content.decode()
    assert not Survey.objects.filter(process=cast.process).exists()


def test_recipients_by_segment_and_their_mail_status(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    survey = make_survey(cast)
    make_people(cast, 3, segment="Kommune")
    make_people(cast, 2, segment="Rådgiver")
    client.post(_url(survey, "recipients/"), {"segments": ["Kommune"]})
    assert set(Recipient.objects.filter(survey=survey).values_list("segment", flat=True)) == {"Kommune"}
    assert Recipient.objects.filter(survey=survey).count() == 3
    page = client.get(_url(survey, "recipients/")).content.decode()
    assert "ikke sendt" in page


def test_the_analyst_sees_recipients_but_cannot_add_them(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["analyst"])
    survey = make_survey(cast)
    make_people(cast, 2)
    assert client.get(_url(survey, "recipients/")).status_code == 200
    assert client.post(_url(survey, "recipients/"), {"segments": ["Medlemmer"]}).status_code == 403
    assert not Recipient.objects.filter(survey=survey).exists()


def test_the_overview_shows_rates_and_the_daily_chart(cast: Cast, client_for: Any) -> None:
    survey = make_survey(cast)
    make_people(cast, 5)
    services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(process=cast.process))
    for recipient in Recipient.objects.filter(survey=survey):
        draft = services.draft_for_recipient(recipient=recipient)
        services.draft_save_page(draft=draft, section=0, page_answers={"medlem": "nej"}, go_to=2)
        services.response_submit(draft=draft)
    html = client_for(cast.users["reader"]).get(_url(survey)).content.decode()
    assert 'data-testid="response-rate">100,0 %' in html
    assert html.count('<figure class="chart"') == 2  # responses per day, and the rate per segment
    assert "<figcaption>Gennemførte besvarelser pr. dag med invitationer og påmindelser markeret</figcaption>" in html
    assert "<td>Medlemmer</td><td class=\"num\">5</td>" in html


def test_planning_a_mailing_queues_a_job(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    survey = make_survey(cast)
    client.post(_url(survey, "mailings/"), {"kind": "invitation", "send_at": "2030-01-02T09:00"})
    mailing = Mailing.objects.get(survey=survey)
    assert mailing.job is not None and mailing.scheduled_for.year == 2030


def test_export_downloads_a_file(cast: Cast, client_for: Any) -> None:
    survey = make_survey(cast)
    response = client_for(cast.users["analyst"]).post(_url(survey, "export/"), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="medlemsundersoegelse.xlsx"'
    assert response.content[:2] == b"PK"


def test_the_preview_answers_without_storing(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["reader"])
    survey = make_survey(cast, publish=False)
    page = client.get(_url(survey, "preview/"))
    assert page.status_code == 200 and "Er din organisation medlem?" in page.content.decode()
    assert page.get("X-Frame-Options") == "SAMEORIGIN"
    second = client.post(_url(survey, "preview/"), {"section": "0", "action": "next", "medlem": "ja"})
    assert "Jeg er tilfreds med foreningen" in second.content.decode()
    assert not survey.drafts.exists() and not survey.responses.exists()


def _answered(cast: Cast, count: int, anonymous: bool = True) -> Survey:
    survey = make_survey(cast, anonymous=anonymous)
    make_people(cast, count)
    services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(process=cast.process))
    for number, recipient in enumerate(Recipient.objects.filter(survey=survey).order_by("id")):
        draft = services.draft_for_recipient(recipient=recipient)
        services.draft_save_page(draft=draft, section=0, page_answers={"medlem": "ja" if number % 2 else "nej"},
                                 go_to=2)
        services.response_submit(draft=draft)
    return survey


def test_the_results_page_shows_shares_with_intervals(cast: Cast, client_for: Any) -> None:
    survey = _answered(cast, 10)
    html = client_for(cast.users["reader"]).get(_url(survey, "results/")).content.decode()
    assert 'id="r-medlem"' in html
    # 5 of 10 answered "ja": 50 % with the Wilson interval 23.7–76.3 % (statsmodels gives 0.2366–0.7634).
    assert "50,0 %" in html and "23,7–76,3 %" in html
    assert "Gem som evidens" not in html  # the reader may not save evidence


def test_an_anonymous_survey_with_four_answers_shows_no_results(cast: Cast, client_for: Any) -> None:
    survey = _answered(cast, 4)
    html = client_for(cast.users["reader"]).get(_url(survey, "results/")).content.decode()
    assert 'data-testid="results-hidden"' in html and 'id="r-medlem"' not in html


def test_saving_a_result_as_evidence_freezes_it(cast: Cast, client_for: Any) -> None:
    from evidens.evidence.models import EvidenceItem

    survey = _answered(cast, 10)
    client = client_for(cast.users["analyst"])
    client.post(_url(survey, "results/evidence/"), {"question": "medlem", "query": "by=segment"})
    item = EvidenceItem.objects.get(process=cast.process)
    assert item.channel == "surveys" and item.definition["by"] == "segment"
    assert item.title == "Er din organisation medlem?, efter Segment (fra udsendelsen)"  # labels, not variable names
    assert item.link.startswith(_url(survey, "results/") + "?by=segment")
    assert item.result["headings"][0] == "Svar" and item.chart is not None


def test_open_answers_page_lists_keywords_and_tone(cast: Cast, client_for: Any) -> None:
    survey = make_survey(cast, anonymous=False)
    make_people(cast, 3)
    services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(process=cast.process))
    texts = ["Kurserne er gode og relevante", "Flere kurser i Jylland", "Nyhedsbrevet er dårligt"]
    for recipient, text in zip(Recipient.objects.filter(survey=survey).order_by("id"), texts, strict=True):
        draft = services.draft_for_recipient(recipient=recipient)
        services.draft_save_page(draft=draft, section=0, page_answers={"medlem": "nej"}, go_to=2)
        services.draft_save_page(draft=draft, section=2, page_answers={"kommentar": text}, go_to=2)
        services.response_submit(draft=draft)
    html = client_for(cast.users["reader"]).get(_url(survey, "results/text/kommentar/")).content.decode()
    assert "Nyhedsbrevet er dårligt" in html
    assert '<span class="badge failed">negativ</span> Nyhedsbrevet er dårligt' in html  # AFINN: dårlig = -3
    assert '<td>kurser</td><td class="num">2</td>' in html  # "kurser"/"kurserne": one stem, two answers


def test_a_filter_on_an_anonymous_survey_hides_what_the_comparison_hides(cast: Cast, client_for: Any) -> None:
    survey = members_and_channels(cast)
    client = client_for(cast.users["reader"])
    html = client.get(_url(survey, "results/") + "?filter=medlem=ja").content.decode()
    channels = html[html.index('id="r-kanaler"'):html.index("</section>", html.index('id="r-kanaler"'))]
    assert '<th scope="row">Hjemmesiden</th><td class="num">12</td>' in channels
    assert ('<th scope="row">Nyhedsbrevet</th><td class="num" colspan="3"><span title="Skjult: for få besvarelser">'
            "·</span></td>") in channels  # the two members who read it
    both = client.get(_url(survey, "results/") + "?by=segment&filter=medlem=ja").content.decode()
    assert "ikke begge dele" in both and 'id="r-kanaler"' not in both
