"""The public respondent form through HTTP: pages, saving, resuming, submitting, and the pages for bad links."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.test import Client
from django.utils import timezone

from evidens.stakeholders.models import Person
from evidens.surveys import services
from evidens.surveys.models import Recipient, Response, ResponseDraft
from tests.conftest import Cast
from tests.surveys.conftest import make_people, make_survey

pytestmark = pytest.mark.django_db


def _link(cast: Cast, **survey_fields: object) -> tuple[str, Recipient]:
    survey = make_survey(cast, **survey_fields)  # type: ignore[arg-type]
    person = make_people(cast, 1)[0]
    services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(pk=person.pk))
    recipient = Recipient.objects.get(person=person)
    return f"/s/{recipient.token}/", recipient


def test_the_first_page_shows_intro_progress_and_questions_in_danish(cast: Cast, client: Client) -> None:
    url, _recipient = _link(cast)
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="da">' in html
    assert "Tak fordi du vil svare." in html
    assert "Er din organisation medlem?" in html
    assert 'name="medlem" value="ja"' in html
    assert "<progress" in html
    assert page["Cache-Control"].startswith("max-age=0")


def test_english_is_one_click_away(cast: Cast, client: Client) -> None:
    url, recipient = _link(cast)
    html = client.get(url + "?sprog=en").content.decode()
    assert '<html lang="en">' in html and "Member?" in html
    assert ResponseDraft.objects.get(recipient=recipient).language == "en"


def test_an_error_is_tied_to_its_question(cast: Cast, client: Client) -> None:
    url, _recipient = _link(cast)
    response = client.post(url, {"section": "0", "action": "next", "shown": "medlem kanaler"})
    html = response.content.decode()
    assert response.status_code == 422
    assert 'aria-describedby="q-medlem-error"' in html or 'aria-describedby=" q-medlem-error"' in html
    assert 'id="q-medlem-error"' in html and "Besvar venligst spørgsmålet." in html
    assert 'href="#q-medlem"' in html  # the error summary links to the question


def test_a_respondent_can_leave_and_resume_on_another_device(cast: Cast, client: Client) -> None:
    url, recipient = _link(cast)
    client.post(url, {"section": "0", "action": "next", "medlem": "ja", "shown": "medlem kanaler"})
    other_device = Client()
    html = other_device.get(url).content.decode()
    assert "Jeg er tilfreds med foreningen" in html  # page 2, where the first device left off
    assert ResponseDraft.objects.get(recipient=recipient).answers == {"medlem": "ja"}


def test_a_page_left_without_a_button_is_saved(cast: Cast, client: Client) -> None:
    url, recipient = _link(cast)
    client.get(url)
    saved = client.post(url, {"section": "0", "action": "save", "medlem": "nej"})
    assert saved.status_code == 204
    assert ResponseDraft.objects.get(recipient=recipient).answers == {"medlem": "nej"}


def test_the_form_asks_the_server_which_questions_show(cast: Cast, client: Client) -> None:
    url, _recipient = _link(cast)
    client.post(url, {"section": "0", "action": "next", "medlem": "ja", "shown": "medlem kanaler"})
    low = client.post(url, {"section": "1", "action": "visible", "tilfreds": "1"}).json()
    high = client.post(url, {"section": "1", "action": "visible", "tilfreds": "5"}).json()
    assert low == {"shown": ["tilfreds", "hvorfor"]} and high == {"shown": ["tilfreds"]}


def test_a_question_revealed_without_script_is_shown_before_moving_on(cast: Cast, client: Client) -> None:
    url, recipient = _link(cast)
    client.post(url, {"section": "0", "action": "next", "medlem": "ja", "shown": "medlem kanaler"})
    page = client.post(url, {"section": "1", "action": "next", "tilfreds": "1", "shown": "tilfreds"})
    assert "Hvad kan vi gøre bedre?" in page.content.decode()
    assert ResponseDraft.objects.get(recipient=recipient).section == 1  # still on the page


def test_the_whole_way_through_and_a_double_submit(cast: Cast, client: Client) -> None:
    url, recipient = _link(cast)
    client.post(url, {"section": "0", "action": "next", "medlem": "nej", "kanaler": ["web"],
                      "shown": "medlem kanaler"})
    final = {"section": "2", "action": "submit", "kommentar": "Godt arbejde, tak!", "shown": "kommentar"}
    thanks = client.post(url, final)
    assert "Tak for dine svar!" in thanks.content.decode()
    again = client.post(url, final)
    assert "Du har allerede svaret" in again.content.decode()
    response = Response.objects.get(survey=recipient.survey)
    assert response.answers == {"medlem": "nej", "kanaler": ["web"], "kommentar": "Godt arbejde, tak!"}
    assert response.status == "complete"


def test_going_back_keeps_what_was_typed(cast: Cast, client: Client) -> None:
    url, recipient = _link(cast)
    client.post(url, {"section": "0", "action": "next", "medlem": "nej", "shown": "medlem kanaler"})
    client.post(url, {"section": "2", "action": "back", "kommentar": "Halvt skrevet", "shown": "kommentar"})
    draft = ResponseDraft.objects.get(recipient=recipient)
    assert draft.section == 0 and draft.answers["kommentar"] == "Halvt skrevet"


def test_unknown_closed_and_early_links_get_pages_not_errors(cast: Cast, client: Client) -> None:
    unknown = client.get("/s/this-token-does-not-exist/")
    assert unknown.status_code == 404 and "Vi kan ikke finde" in unknown.content.decode()
    url, recipient = _link(cast)
    services.survey_close(survey=recipient.survey, actor=None)
    closed = client.get(url)
    assert closed.status_code == 410 and "lukket" in closed.content.decode()
    early_url, _early = _link(cast, opens_at=timezone.now() + dt.timedelta(days=2))
    assert client.get(early_url).status_code == 403


def test_the_shared_link_sets_a_browser_key_and_refuses_a_second_response(cast: Cast, client: Client) -> None:
    survey = make_survey(cast)
    services.open_link_set(survey=survey, actor=None, enabled=True)
    url = f"/s/link/{survey.open_link_token}/"
    assert client.get(url).status_code == 200
    client.post(url, {"section": "0", "action": "next", "medlem": "nej", "shown": "medlem kanaler"})
    client.post(url, {"section": "2", "action": "submit", "shown": "kommentar"})
    assert Response.objects.filter(survey=survey).count() == 1
    assert "Du har allerede svaret" in client.get(url).content.decode()


def test_no_token_reaches_the_log(cast: Cast, client: Client, caplog: pytest.LogCaptureFixture) -> None:
    url, recipient = _link(cast)
    with caplog.at_level(logging.DEBUG):
        client.get(url)
        client.post(url, {"section": "0", "action": "next", "medlem": "ja", "shown": "medlem kanaler"})
        client.get("/s/unknown-token-xyz/")
    assert recipient.token not in caplog.text
    assert "unknown-token-xyz" not in caplog.text
