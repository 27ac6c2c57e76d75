"""Weighting by segment and membership: each response keeps whether its organisation is a member, and the
weights match the register's members and non-members, checked by hand."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from evidens.stakeholders.models import Organisation, Person
from evidens.surveys import selectors, services
from evidens.surveys.models import Recipient, Response, Survey
from tests.conftest import Cast
from tests.surveys.conftest import make_survey

pytestmark = pytest.mark.django_db


def _people(cast: Cast, count: int, *, member: bool, segment: str = "Boligorganisationer") -> list[Person]:
    organisation = Organisation.objects.create(process=cast.process, name=f"Org {member} {segment}",
                                               is_member=member)
    return [Person.objects.create(process=cast.process, name=f"P {member} {number}", segment=segment,
                                  email=f"{'m' if member else 'n'}{number}@{segment.lower()}.example.org",
                                  organisation=organisation)
            for number in range(count)]


def _answer(survey: Survey, people: list[Person], choice: str) -> None:
    for recipient in Recipient.objects.filter(survey=survey, person__in=people):
        draft = services.draft_for_recipient(recipient=recipient)
        services.draft_save_page(draft=draft, section=0, page_answers={"medlem": choice}, go_to=2)
        services.response_submit(draft=draft)


def test_weights_match_the_registers_members_and_non_members(cast: Cast, client_for: Any) -> None:
    members, others = _people(cast, 10, member=True), _people(cast, 10, member=False)
    survey = make_survey(cast, anonymous=False)  # identified: no group is too small to weight apart
    services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(process=cast.process))
    _answer(survey, members[:4], "ja")
    _answer(survey, others[:1], "nej")

    assert sorted(Response.objects.filter(survey=survey).values_list("member", flat=True)) == [
        False, True, True, True, True]
    data = selectors.analysis_input(survey, weighted=True)

    # The register is half members; the five responses are four members and one non-member. Raking gives the
    # members 0.5 / (4/5) = 0.625 each and the non-member 0.5 / (1/5) = 2.5 (mean 1, within the trim of 0.3–3).
    assert data.weighting_problem == ""
    assert data.weighted_by == "segment og medlemskab"
    weights = dict(zip([answers["medlem"] for answers in data.respondents.answers], data.respondents.weights or [],
                       strict=False))
    assert weights == {"ja": pytest.approx(0.625), "nej": pytest.approx(2.5)}
    html = client_for(cast.users["reader"]).get(
        reverse("surveys:results", args=[cast.process.slug, survey.pk]) + "?weighted=1").content.decode()
    assert "vægtet til registrets personer efter segment og medlemskab" in html
    # "nej": 2.5 of a weighted total of 5 = 50 %, where unweighted it is 1 of 5.
    assert "50,0 %" in html


def test_an_anonymous_response_in_a_small_cell_keeps_no_membership_and_weighting_falls_back_to_segment(
    cast: Cast,
) -> None:
    members, others = _people(cast, 10, member=True), _people(cast, 3, member=False)
    survey = make_survey(cast, anonymous=True)
    services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(process=cast.process))
    _answer(survey, members[:5], "ja")
    _answer(survey, others[:1], "nej")  # three non-members among the recipients: fewer than 5

    assert sorted(Response.objects.filter(survey=survey).values_list("member", flat=True),
                  key=lambda member: (member is not None, member)) == [None, True, True, True, True, True]
    data = selectors.analysis_input(survey, weighted=True)
    assert data.weighted_by == "segment"
    assert data.weights is not None and data.weights.maximum == pytest.approx(1.0)  # one segment: all weigh 1


def test_a_person_without_an_organisation_answers_as_a_non_member(cast: Cast) -> None:
    loner = Person.objects.create(process=cast.process, name="Uden organisation", segment="Øvrige",
                                  email="uden@example.org")
    survey = make_survey(cast, anonymous=False)
    services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(pk=loner.pk))
    _answer(survey, [loner], "nej")

    assert Response.objects.get(survey=survey).member is False  # no organisation: not a member organisation


def test_an_anonymous_survey_weights_apart_only_groups_of_responses_as_large_as_the_threshold(cast: Cast) -> None:
    members, others = _people(cast, 10, member=True), _people(cast, 10, member=False)
    survey = make_survey(cast, anonymous=True)
    services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(process=cast.process))
    _answer(survey, members[:5], "ja")
    _answer(survey, others[:1], "nej")

    # Both recipient cells hold 10, so each response keeps its membership; but one non-member response is a
    # group of one, whose answer weighted and unweighted shares side by side would give away.
    assert set(Response.objects.filter(survey=survey).values_list("member", flat=True)) == {True, False}
    data = selectors.analysis_input(survey, weighted=True)
    assert data.weighted_by == "segment"

    small = _people(cast, 6, member=True, segment="Rådgivere")
    services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(pk__in=[p.pk for p in small]))
    _answer(survey, small[:2], "ja")  # a segment with two responses
    data = selectors.analysis_input(survey, weighted=True)
    assert data.weights is None
    assert data.weighting_problem == ("et anonymt spørgeskema vægtes kun, når hvert segment har mindst 5 "
                                      "besvarelser.")
