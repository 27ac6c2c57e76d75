"""A process with something in every part the API reads, made through the services; and a little in the other
process, which must never show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from evidens.evidence import services as evidence_services
from evidens.evidence.models import Assumption, EvidenceItem, Finding
from evidens.processes import services as process_services
from evidens.stakeholders.models import Organisation, Person
from evidens.strategy import services as strategy_services
from evidens.strategy.models import StrategyOption
from evidens.surveys import services as survey_services
from evidens.surveys.models import Recipient, Survey
from tests.conftest import Cast
from tests.surveys.conftest import make_people, make_survey


@dataclass
class Content:
    organisation: Organisation
    person: Person
    survey: Survey
    item: EvidenceItem
    finding: Finding
    assumption: Assumption
    option: StrategyOption


def survey_answered(cast: Cast, *, anonymous: bool) -> Survey:
    """Six members and two advisers answer "nej" to membership; in an anonymous survey the advisers' segment is
    too small to show."""
    survey = make_survey(cast, anonymous=anonymous)
    people = make_people(cast, 6, segment="Medlemmer") + make_people(cast, 2, segment="Rådgivere")
    survey_services.recipients_add(survey=survey, actor=None,
                                   people=Person.objects.filter(pk__in=[person.pk for person in people]))
    for recipient in Recipient.objects.filter(survey=survey):
        draft = survey_services.draft_for_recipient(recipient=recipient)
        survey_services.draft_save_page(draft=draft, section=0, page_answers={"medlem": "nej"}, go_to=2)
        survey_services.response_submit(draft=draft)
    return survey


def build(cast: Cast) -> Content:
    process = cast.process
    process_services.process_update(
        process=process, actor=None, purpose="Foreningens strategi mod 2030", horizon_year=2030,
        start_date=date(2026, 1, 5), end_date=date(2026, 12, 18), contact_name="Ane Holm",
        contact_email="ane@example.org", funders="Realdania, Fonden", consultant="Rådgiverne ApS",
        total_budget=Decimal("492000"))
    organisation = Organisation.objects.create(
        process=process, name="Boligselskabet Vest", kind="housing", is_member=True, member_since=date(2010, 3, 1),
        homes=1200, region="syddanmark", municipality="Esbjerg")
    person = Person.objects.create(
        process=process, name="Åse Nørby", email="aase@example.org", phone="+45 12 34 56 78",
        organisation=organisation, role_title="Direktør", segment="Ledelse", consent="given")
    Person.objects.create(process=process, name="Slettet person", erased_at="2026-02-01T10:00:00+01:00")
    survey = survey_answered(cast, anonymous=True)

    item = evidence_services.evidence_item_save(
        process=process, actor=None, channel="surveys", title="Tilfredshed med foreningen",
        source_key="survey:1:tilfreds", definition={"question": "Jeg er tilfreds med foreningen"},
        result={"headings": ["Svar", "Antal"], "rows": [["Enig", 12], ["Uenig", 3]], "notes": ["n = 15"]},
        link="/p/proc/surveys/1/results/")
    finding = evidence_services.finding_create(process=process, actor=None, statement="Medlemmerne er tilfredse",
                                               segments=["Medlemmer"], status="reviewed")
    evidence_services.finding_evidence_link(finding=finding, actor=None, item=item, stance="supports",
                                            note="12 af 15")
    challenge = evidence_services.challenge_create(process=process, actor=None, title="Faldende medlemstal")
    assumption = evidence_services.assumption_create(
        process=process, actor=None, statement="Medlemmerne er utilfredse", challenge=challenge,
        held_by="Bestyrelsen", importance=4, must_be_true="Et flertal er utilfredse",
        would_confirm="Lav tilfredshed", would_refute="Høj tilfredshed", channels=["surveys", "interviews"])
    evidence_services.assumption_finding_link(assumption=assumption, actor=None, finding=finding,
                                              stance="contradicts", note="Modsiger")
    option = strategy_services.option_create(process=process, actor=None, title="Vækst",
                                             summary="Flere medlemmer")
    strategy_services.option_revise(option=option, actor=None, title="Vækst", note="Kurser tilføjet",
                                    summary="Flere medlemmer og kurser", risks="Økonomien")

    other = cast.other_process
    Organisation.objects.create(process=other, name="Fremmed forening")
    Person.objects.create(process=other, name="Fremmed person", email="fremmed@example.org")
    evidence_services.evidence_item_save(
        process=other, actor=None, channel="archive", title="Fremmed kilde", source_key="archive:1",
        definition={}, result={"text": "hemmeligt"}, link="/p/other/archive/")
    return Content(organisation=organisation, person=person, survey=survey, item=item, finding=finding,
                   assumption=assumption, option=option)
