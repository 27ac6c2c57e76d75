"""Designing, publishing, answering and closing a survey through the services, on a real database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from evidens.processes.models import AuditEntry
from evidens.stakeholders import services as stakeholder_services
from evidens.stakeholders.choices import Consent
from evidens.stakeholders.models import Person
from evidens.surveys import services
from evidens.surveys.definition import SHORT_TEXT, Question, Section
from evidens.surveys.models import Recipient, Response, ResponseDraft, ResponseStatus, SurveyStatus
from tests.conftest import Cast
from tests.surveys.conftest import make_people, make_survey

pytestmark = pytest.mark.django_db


# --- the questionnaire ------------------------------------------------------------------------------


def test_a_malformed_condition_is_refused_with_its_position(cast: Cast) -> None:
    survey = make_survey(cast, publish=False)
    question = Question("ny", SHORT_TEXT, {"da": "Nyt"}, relevance="${medlem} = 'ja' and")
    with pytest.raises(ValidationError) as error:
        services.question_save(survey=survey, actor=None, section="afslutning", question=question)
    assert "relevance" in error.value.message_dict
    assert "tegn 21" in error.value.message_dict["relevance"][0]  # just past the 20-character text
    survey.refresh_from_db()
    assert survey.working_copy().question("ny") is None


def test_a_condition_may_not_read_a_later_question(cast: Cast) -> None:
    survey = make_survey(cast, publish=False)
    question = Question("ny", SHORT_TEXT, {"da": "Nyt"}, relevance="${kommentar} != ''")
    with pytest.raises(ValidationError):
        services.question_save(survey=survey, actor=None, section="om", question=question)


def test_a_question_others_depend_on_cannot_be_deleted(cast: Cast) -> None:
    survey = make_survey(cast, publish=False)
    with pytest.raises(ValidationError):
        services.question_delete(survey=survey, actor=None, name="tilfreds")
    services.question_delete(survey=survey, actor=None, name="hvorfor")
    assert survey.working_copy().question("hvorfor") is None


def test_moving_a_question_ahead_of_what_it_reads_is_refused(cast: Cast) -> None:
    survey = make_survey(cast, publish=False)
    with pytest.raises(ValidationError):
        services.question_move(survey=survey, actor=None, name="hvorfor", offset=-1)
    services.question_move(survey=survey, actor=None, name="kanaler", offset=-1)
    assert [q.name for q in survey.working_copy().sections[0].questions] == ["kanaler", "medlem"]


def test_a_question_moved_past_the_end_of_its_section_goes_to_the_next(cast: Cast) -> None:
    survey = make_survey(cast, publish=False)
    services.question_move(survey=survey, actor=None, name="kanaler", offset=1)
    assert [q.name for q in survey.working_copy().sections[1].questions] == ["kanaler", "tilfreds", "hvorfor"]


# --- publishing -------------------------------------------------------------------------------------


def test_publishing_freezes_a_version_and_editing_makes_a_new_one(cast: Cast) -> None:
    survey = make_survey(cast)
    first = survey.versions.get()
    assert first.number == 1 and survey.status == SurveyStatus.PUBLISHED
    with pytest.raises(ValidationError):
        services.survey_publish(survey=survey, actor=None)  # nothing changed
    services.question_save(survey=survey, actor=None, section="afslutning",
                           question=Question("mail", SHORT_TEXT, {"da": "Din e-mail, hvis vi må kontakte dig"}))
    changed = Question("kommentar", SHORT_TEXT, {"da": "Andre kommentarer?"})
    services.question_save(survey=survey, actor=None, section="afslutning", question=changed, replacing="kommentar")
    second = services.survey_publish(survey=survey, actor=None)
    assert second.number == 2
    assert {(change["kind"], change["name"]) for change in second.differences} == {
        ("added", "mail"), ("changed", "kommentar")}
    first.refresh_from_db()
    assert first.questionnaire().question("mail") is None  # the old version is untouched
    assert first.questionnaire().question("kommentar").type == "long_text"


def test_a_questionnaire_with_problems_cannot_be_published(cast: Cast) -> None:
    survey = make_survey(cast, publish=False)
    definition = survey.working_copy()
    definition.sections.append(Section("tom", {"da": "Tom"}))
    definition.sections[0].questions[0].choices = []
    survey.definition = definition.to_dict()
    survey.save()
    with pytest.raises(ValidationError):
        services.survey_publish(survey=survey, actor=None)
    assert not survey.versions.exists()


def test_anonymity_cannot_change_after_publishing(cast: Cast) -> None:
    survey = make_survey(cast)
    with pytest.raises(ValidationError):
        services.survey_update(survey=survey, actor=None, anonymous=False)


def test_an_unknown_placeholder_in_a_mail_text_is_refused(cast: Cast) -> None:
    survey = make_survey(cast)
    with pytest.raises(ValidationError) as error:
        services.survey_update(survey=survey, actor=None, invitation_body="Kære {nvan}, svar her: {link}")
    assert "{nvan}" in error.value.message_dict["invitation_body"][0]


# --- recipients -------------------------------------------------------------------------------------


def test_recipients_leave_out_people_without_mail_or_consent(cast: Cast) -> None:
    survey = make_survey(cast)
    people = make_people(cast, 4)
    Person.objects.filter(pk=people[0].pk).update(email="")
    Person.objects.filter(pk=people[1].pk).update(consent=Consent.WITHDRAWN)
    added = services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(process=cast.process))
    assert (added.added, added.without_email, added.declined, added.already) == (2, 1, 1, 0)
    again = services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(process=cast.process))
    assert (again.added, again.already) == (0, 2)
    tokens = list(survey.recipients.values_list("token", flat=True))
    assert len(set(tokens)) == 2 and all(len(token) >= 32 for token in tokens)  # 24 random bytes, base64


def _recipient(cast: Cast, survey: object) -> Recipient:
    person = make_people(cast, 1, segment="Kommuner")[0]
    services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(pk=person.pk))  # type: ignore[arg-type]
    return Recipient.objects.get(person=person)


# --- answering --------------------------------------------------------------------------------------


def test_a_draft_resumes_on_the_page_where_it_stopped(cast: Cast) -> None:
    survey = make_survey(cast)
    recipient = _recipient(cast, survey)
    draft = services.draft_for_recipient(recipient=recipient)
    services.draft_save_page(draft=draft, section=0, page_answers={"medlem": "ja"}, go_to=1)
    again = services.draft_for_recipient(recipient=Recipient.objects.get(pk=recipient.pk))
    assert again.pk == draft.pk and again.section == 1 and again.answers == {"medlem": "ja"}


def test_submitting_twice_makes_one_response(cast: Cast) -> None:
    survey = make_survey(cast)
    recipient = _recipient(cast, survey)
    draft = services.draft_for_recipient(recipient=recipient)
    services.draft_save_page(draft=draft, section=0, page_answers={"medlem": "nej"}, go_to=2)
    first = services.response_submit(draft=draft)
    second = services.response_submit(draft=draft)
    assert first is not None and second is None
    assert Response.objects.filter(survey=survey).count() == 1
    assert not ResponseDraft.objects.filter(survey=survey).exists()
    with pytest.raises(services.SurveyUnavailable) as unavailable:
        services.draft_for_recipient(recipient=Recipient.objects.get(pk=recipient.pk))
    assert unavailable.value.reason == "completed"


def test_a_page_saved_from_a_tab_after_submitting_elsewhere_is_refused(cast: Cast) -> None:
    survey = make_survey(cast)
    recipient = _recipient(cast, survey)
    draft = services.draft_for_recipient(recipient=recipient)
    services.draft_save_page(draft=draft, section=0, page_answers={"medlem": "nej"}, go_to=2)
    services.response_submit(draft=draft)
    with pytest.raises(services.SurveyUnavailable):
        services.draft_save_page(draft=draft, section=2, page_answers={"kommentar": "Sent"}, go_to=2)


def test_the_shared_link_takes_one_response_per_browser(cast: Cast) -> None:
    survey = make_survey(cast)
    services.open_link_set(survey=survey, actor=None, enabled=True)
    draft = services.draft_for_browser(survey=survey, browser_key="browser-a")
    services.draft_save_page(draft=draft, section=0, page_answers={"medlem": "nej"}, go_to=2)
    assert services.response_submit(draft=draft) is not None
    with pytest.raises(services.SurveyUnavailable):
        services.draft_for_browser(survey=survey, browser_key="browser-a")
    other = services.draft_for_browser(survey=survey, browser_key="browser-b")
    assert other.pk != draft.pk


def test_a_survey_outside_its_dates_takes_no_answers(cast: Cast) -> None:
    now = timezone.now()
    survey = make_survey(cast, opens_at=now + dt.timedelta(days=1), closes_at=now + dt.timedelta(days=5))
    recipient = _recipient(cast, survey)
    with pytest.raises(services.SurveyUnavailable) as early:
        services.draft_for_recipient(recipient=recipient)
    assert early.value.reason == "not_open"
    survey.opens_at, survey.closes_at = now - dt.timedelta(days=5), now - dt.timedelta(days=1)
    survey.save()
    with pytest.raises(services.SurveyUnavailable) as late:
        services.draft_for_recipient(recipient=Recipient.objects.get(pk=recipient.pk))
    assert late.value.reason == "closed"


def test_a_respondent_keeps_the_version_they_began(cast: Cast) -> None:
    survey = make_survey(cast)
    recipient = _recipient(cast, survey)
    draft = services.draft_for_recipient(recipient=recipient)
    services.question_save(survey=survey, actor=None, section="afslutning",
                           question=Question("ekstra", SHORT_TEXT, {"da": "Ekstra"}))
    services.survey_publish(survey=survey, actor=None)
    services.draft_save_page(draft=draft, section=0, page_answers={"medlem": "nej"}, go_to=2)
    response = services.response_submit(draft=draft)
    assert response is not None and response.version.number == 1


def test_closing_keeps_unfinished_answers_as_partial_responses(cast: Cast) -> None:
    survey = make_survey(cast)
    started, untouched = _recipient(cast, survey), _recipient(cast, survey)
    draft = services.draft_for_recipient(recipient=started)
    services.draft_save_page(draft=draft, section=0, page_answers={"medlem": "ja"}, go_to=1)
    services.draft_for_recipient(recipient=untouched)  # opened the link, answered nothing
    assert services.survey_close(survey=survey, actor=None) == 1
    partial = Response.objects.get(survey=survey)
    assert partial.status == ResponseStatus.PARTIAL and partial.answers == {"medlem": "ja"}
    assert partial.recipient is None  # the survey is anonymous
    assert not ResponseDraft.objects.filter(survey=survey).exists()
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED
    assert AuditEntry.objects.filter(action="close").exists()


def test_erasing_a_person_removes_their_identified_answers(cast: Cast) -> None:
    survey = make_survey(cast, anonymous=False)
    recipient = _recipient(cast, survey)
    draft = services.draft_for_recipient(recipient=recipient)
    services.draft_save_page(draft=draft, section=0, page_answers={"medlem": "nej"}, go_to=2)
    services.response_submit(draft=draft)
    assert Response.objects.get(survey=survey).recipient == recipient
    stakeholder_services.person_erase(person=recipient.person, actor=None)
    assert not Response.objects.filter(survey=survey).exists()
    assert not Recipient.objects.filter(survey=survey).exists()


def test_erasing_a_person_keeps_anonymous_answers(cast: Cast) -> None:
    survey = make_survey(cast, anonymous=True)
    recipient = _recipient(cast, survey)
    draft = services.draft_for_recipient(recipient=recipient)
    services.draft_save_page(draft=draft, section=0, page_answers={"medlem": "nej"}, go_to=2)
    services.response_submit(draft=draft)
    stakeholder_services.person_erase(person=recipient.person, actor=None)
    assert Response.objects.filter(survey=survey).count() == 1


def test_a_copy_is_a_new_draft_with_the_published_questionnaire(cast: Cast) -> None:
    survey = make_survey(cast, anonymous=False)
    services.question_save(survey=survey, actor=None, section="afslutning",
                           question=Question("kladde", SHORT_TEXT, {"da": "Kun i arbejdskopien"}))
    copy = services.survey_copy(survey=survey, actor=None)
    assert copy.status == SurveyStatus.DRAFT and not copy.anonymous
    assert copy.working_copy() == survey.versions.get().questionnaire()
    assert copy.title == "Kopi af Medlemsundersøgelse"
    assert not copy.recipients.exists() and not copy.versions.exists()


def test_a_persons_data_export_holds_their_identified_answers_only(cast: Cast) -> None:
    import json

    identified = make_survey(cast, anonymous=False)
    anonymous = make_survey(cast, anonymous=True)
    person = make_people(cast, 1)[0]
    for survey in (identified, anonymous):
        services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(pk=person.pk))
        draft = services.draft_for_recipient(recipient=Recipient.objects.get(survey=survey, person=person))
        services.draft_save_page(draft=draft, section=0, page_answers={"medlem": "nej"}, go_to=2)
        services.response_submit(draft=draft)
    exported = json.loads(stakeholder_services.person_data_export(person=person, actor=None))
    by_anonymity = {entry["anonymous"]: entry for entry in exported["surveys"]}
    assert by_anonymity[False]["answers"] == {"medlem": "nej"} and by_anonymity[False]["completed"]
    assert by_anonymity[True]["answers"] is None and by_anonymity[True]["completed"]


def test_a_page_load_racing_a_submit_makes_no_new_draft(cast: Cast) -> None:
    survey = make_survey(cast)
    recipient = _recipient(cast, survey)
    stale = Recipient.objects.get(pk=recipient.pk)  # read by a request before the other tab submitted
    draft = services.draft_for_recipient(recipient=recipient)
    services.draft_save_page(draft=draft, section=0, page_answers={"medlem": "nej"}, go_to=2)
    services.response_submit(draft=draft)
    assert stale.completed is False
    with pytest.raises(services.SurveyUnavailable) as unavailable:
        services.draft_for_recipient(recipient=stale)
    assert unavailable.value.reason == "completed"
    assert not ResponseDraft.objects.filter(survey=survey).exists()
    assert services.survey_close(survey=survey, actor=None) == 0


def test_closing_drops_a_shared_link_draft_left_after_its_browser_submitted(cast: Cast) -> None:
    from evidens.surveys.models import OpenLinkSubmission

    survey = make_survey(cast)
    services.open_link_set(survey=survey, actor=None, enabled=True)
    draft = services.draft_for_browser(survey=survey, browser_key="browser-a")
    services.draft_save_page(draft=draft, section=0, page_answers={"medlem": "nej"}, go_to=2)
    services.response_submit(draft=draft)
    # What a page load racing that submit could leave: a fresh draft for the same browser.
    ResponseDraft.objects.create(survey=survey, version=survey.versions.get(), answers={"medlem": "ja"},
                                 browser_key_hash=services.browser_key_hash("browser-a"))
    assert OpenLinkSubmission.objects.filter(survey=survey).count() == 1
    assert services.survey_close(survey=survey, actor=None) == 0
    assert Response.objects.filter(survey=survey).count() == 1
