"""Strategy options with versions and conditions tied to the evidence, criteria, the board's weights (points,
swing, AHP) and scores, and the ranking and robustness pages, through the services and the views.

Expected figures are worked out by hand in the comments beside them."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evidens.evidence import services as evidence_services
from evidens.strategy import selectors, services
from evidens.strategy.models import (
    Criterion,
    Decision,
    DecisionFrozen,
    OptionVersion,
    Panellist,
    Score,
    StrategyOption,
    ValidationRound,
    WeightMethod,
)
from evidens.surveys import services as survey_services
from evidens.surveys.models import Response, ResponseStatus
from tests.conftest import Cast

SCALE = ["Intet", "Lidt", "Noget", "Meget", "Rigtig meget"]


def _url(cast: Cast, name: str, *args: Any) -> str:
    return reverse(f"strategy:{name}", args=[cast.process.slug, *args])


@pytest.fixture
def board(cast: Cast) -> dict[str, Any]:
    """Two options besides the status quo, two criteria, one member who weighs them 50/50 by points and has
    scored everything:

        status quo  value 2, impact 2  → 0.5·2 + 0.5·2 = 2.0
        hub         value 5, impact 3  → 0.5·5 + 0.5·3 = 4.0
        network     value 3, impact 4  → 0.5·3 + 0.5·4 = 3.5
    """
    process = cast.process
    hub = services.option_create(process=process, actor=None, title="Videnshub", summary="Sektorens videnscenter.",
                                 ambition="Førende videnscenter i 2030.")
    network = services.option_create(process=process, actor=None, title="Netværksforening",
                                     summary="ERFA-grupperne i centrum.")
    status_quo = StrategyOption.objects.get(process=process, is_status_quo=True)
    value = services.criterion_create(process=process, actor=None, group="Værdi", name="Værdi for medlemmerne",
                                      scale=SCALE)
    impact = services.criterion_create(process=process, actor=None, group="Værdi", name="Gennemslagskraft",
                                       scale=SCALE)
    chair = services.panellist_create(process=process, actor=None, name="Karen Holm", title="Formand")
    services.weighting_save(panellist=chair, actor=None, method=WeightMethod.DIRECT,
                            points={value.pk: 50, impact.pk: 50})
    for option, (first, second) in ((status_quo, (2, 2)), (hub, (5, 3)), (network, (3, 4))):
        services.option_scores_save(panellist=chair, actor=None, option=option, entries={
            value: {"value": first, "reason": "Begrundelse"}, impact: {"value": second}})
    return {"hub": hub, "network": network, "status_quo": status_quo, "value": value, "impact": impact,
            "chair": chair}


def test_the_first_option_brings_the_status_quo_and_its_first_version(cast: Cast) -> None:
    option = services.option_create(process=cast.process, actor=None, title="Digital videnstjeneste",
                                    ambition="Let og digital.")
    options = list(StrategyOption.objects.filter(process=cast.process))
    assert [item.is_status_quo for item in options] == [True, False]
    assert option.versions.get().ambition == "Let og digital."
    with pytest.raises(ValidationError):
        services.option_create(process=cast.process, actor=None, title="Endnu en status quo", is_status_quo=True)
    with pytest.raises(ValidationError):
        services.option_create(process=cast.process, actor=None, title="digital videnstjeneste")
    with pytest.raises(ValidationError):
        services.option_delete(option=options[0], actor=None)


def test_revising_the_description_keeps_the_earlier_version_readable(cast: Cast, client_for: Any) -> None:
    option = services.option_create(process=cast.process, actor=None, title="Videnshub", ambition="Første ordlyd.")
    client = client_for(cast.users["board"])
    fields = {"title": "Videnshub", "ambition": "Anden ordlyd.", "note": "Efter valideringsworkshoppen"}
    response = client.post(_url(cast, "option_edit", option.pk), fields)
    assert response.status_code == 302
    # The same wording again makes no third version.
    client.post(_url(cast, "option_edit", option.pk), fields)
    assert list(option.versions.values_list("number", "ambition")) == [(2, "Anden ordlyd."), (1, "Første ordlyd.")]
    assert OptionVersion.objects.get(option=option, number=2).note == "Efter valideringsworkshoppen"
    page = client.get(_url(cast, "option_detail", option.pk) + "?version=1").content.decode()
    assert "Første ordlyd." in page and "Anden ordlyd." not in page and "en tidligere version" in page
    assert "Anden ordlyd." in client.get(_url(cast, "option_detail", option.pk)).content.decode()


def test_a_reader_cannot_add_options(cast: Cast, client_for: Any) -> None:
    response = client_for(cast.users["reader"]).post(_url(cast, "option_create"), {"title": "Ny"})
    assert response.status_code == 403
    assert not StrategyOption.objects.filter(process=cast.process).exists()


def test_conditions_show_the_verdicts_of_the_assumptions_they_rest_on(cast: Cast, client_for: Any) -> None:
    option = services.option_create(process=cast.process, actor=None, title="Netværksforening")
    assumption = evidence_services.assumption_create(process=cast.process, actor=None,
                                                     statement="Direktørerne vil betale for ERFA-grupper.")
    evidence_services.verdict_set(assumption=assumption, actor=None, verdict="refuted", reason="Interviewene.",
                                  proposed="refuted")
    client = client_for(cast.users["secretariat"])
    client.post(_url(cast, "condition_add", option.pk), {"statement": "ERFA-grupperne kan bære kontingentet.",
                                                         "assumptions": [assumption.pk]})
    condition = option.conditions.get()
    assert list(condition.assumptions.all()) == [assumption]
    detail = client.get(_url(cast, "option_detail", option.pk)).content.decode()
    assert "ERFA-grupperne kan bære kontingentet." in detail and "Afkræftet" in detail
    compare = client.get(_url(cast, "compare")).content.decode()
    assert "ERFA-grupperne kan bære kontingentet." in compare and "afkræftet" in compare
    other = evidence_services.assumption_create(process=cast.other_process, actor=None, statement="Andet.")
    with pytest.raises(ValidationError):
        services.condition_update(condition=condition, actor=None, statement="X", assumptions=[other], findings=[])


def test_a_criterion_needs_every_step_of_its_scale_described(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    steps = {f"scale_{step}": text for step, text in enumerate(SCALE, start=1)}
    response = client.post(_url(cast, "criteria"), {"group": "Økonomi", "name": "Risiko", **steps, "scale_4": ""})
    assert response.status_code == 200 and "Dette felt er påkrævet." in response.content.decode()
    client.post(_url(cast, "criteria"), {"group": "Økonomi", "name": "Risiko", **steps})
    criterion = Criterion.objects.get(process=cast.process)
    assert (criterion.scale, criterion.benefit) == (SCALE, False)  # an unticked box is "higher is worse"
    with pytest.raises(ValidationError) as error:
        services.criterion_create(process=cast.process, actor=None, group="Økonomi", name="Pris", scale=SCALE[:4])
    assert "scale" in error.value.message_dict


def test_a_board_member_joins_the_panel_and_sees_the_consistency_of_their_comparisons(
        cast: Cast, client_for: Any) -> None:
    criteria = [services.criterion_create(process=cast.process, actor=None, group="G", name=name, scale=SCALE)
                for name in ("Værdi", "Økonomi", "Risiko")]
    first, second, third = (criterion.pk for criterion in criteria)
    client = client_for(cast.users["board"])
    response = client.post(_url(cast, "panel_join"))
    member = Panellist.objects.get(process=cast.process, user=cast.users["board"])
    assert response.url == _url(cast, "weights_member", member.pk)
    # Consistent: Værdi twice Økonomi, Økonomi twice Risiko, Værdi four times Risiko → 4/7, 2/7, 1/7, CR 0.
    client.post(_url(cast, "weights_member", member.pk), {
        "pairwise": "1", f"ahp-pair_{first}_{second}": "2", f"ahp-pair_{second}_{third}": "2",
        f"ahp-pair_{first}_{third}": "4"})
    result = selectors.member_weights(member, criteria)
    assert result.weights == pytest.approx({first: 4 / 7, second: 2 / 7, third: 1 / 7})
    page = client.get(_url(cast, "weights_member", member.pk)).content.decode()
    assert "Konsistensratio: 0,000" in page and 'data-testid="revise"' not in page
    # Inconsistent: Risiko now nine times Værdi, against the other two answers.
    client.post(_url(cast, "weights_member", member.pk), {
        "pairwise": "1", f"ahp-pair_{first}_{second}": "2", f"ahp-pair_{second}_{third}": "2",
        f"ahp-pair_{first}_{third}": "1/9"})
    result = selectors.member_weights(Panellist.objects.get(pk=member.pk), criteria)
    assert result.ahp is not None and result.ahp.cr > 0.1
    page = client.get(_url(cast, "weights_member", member.pk)).content.decode()
    assert 'data-testid="revise"' in page and "over 0,10" in page
    # Slightly off (Værdi three times Risiko where the others imply four) is consistent enough: nothing is marked.
    client.post(_url(cast, "weights_member", member.pk), {
        "pairwise": "1", f"ahp-pair_{first}_{second}": "2", f"ahp-pair_{second}_{third}": "2",
        f"ahp-pair_{first}_{third}": "3"})
    result = selectors.member_weights(Panellist.objects.get(pk=member.pk), criteria)
    assert result.ahp is not None and 0 < result.ahp.cr < 0.1
    page = client.get(_url(cast, "weights_member", member.pk)).content.decode()
    assert 'data-testid="revise"' not in page and "konsistent nok" in page


def test_an_unfinished_comparison_is_kept_and_named(cast: Cast, client_for: Any) -> None:
    criteria = [services.criterion_create(process=cast.process, actor=None, group="G", name=name, scale=SCALE)
                for name in ("Værdi", "Økonomi", "Risiko")]
    member = services.panellist_create(process=cast.process, actor=None, name="Uden login")
    client = client_for(cast.users["secretariat"])
    client.post(_url(cast, "weights_member", member.pk), {
        "pairwise": "1", f"ahp-pair_{criteria[0].pk}_{criteria[1].pk}": "3"})
    assert member.weighting.judgements == {f"{criteria[0].pk}:{criteria[1].pk}": 3.0}
    page = client.get(_url(cast, "weights_member", member.pk)).content.decode()
    assert "2 sammenligninger mangler endnu." in page


def test_only_the_member_or_the_secretariat_enters_a_members_weights(cast: Cast, board: dict[str, Any],
                                                                      client_for: Any) -> None:
    chair = board["chair"]
    points = {"points": "1", "points-method": "direct", f"points-points_{board['value'].pk}": "10",
              f"points-points_{board['impact'].pk}": "30"}
    assert client_for(cast.users["board"]).post(_url(cast, "weights_member", chair.pk), points).status_code == 403
    assert client_for(cast.users["secretariat"]).post(_url(cast, "weights_member", chair.pk),
                                                      points).status_code == 302
    chair.weighting.refresh_from_db()
    assert chair.weighting.points == {str(board["value"].pk): 10.0, str(board["impact"].pk): 30.0}


def test_swing_weights_need_a_hundred_for_the_swing_that_matters_most(cast: Cast, board: dict[str, Any]) -> None:
    chair = board["chair"]
    services.weighting_save(panellist=chair, actor=None, method=WeightMethod.SWING,
                            points={board["value"].pk: 80, board["impact"].pk: 40})
    criteria = [board["value"], board["impact"]]
    chair = Panellist.objects.get(pk=chair.pk)
    assert selectors.member_weights(chair, criteria).weights is None
    services.weighting_save(panellist=chair, actor=None, method=WeightMethod.SWING,
                            points={board["value"].pk: 100, board["impact"].pk: 25})
    chair = Panellist.objects.get(pk=chair.pk)
    assert selectors.member_weights(chair, criteria).weights == pytest.approx(
        {board["value"].pk: 0.8, board["impact"].pk: 0.2})
    with pytest.raises(ValidationError):
        services.weighting_save(panellist=chair, actor=None, method=WeightMethod.SWING,
                                points={board["value"].pk: 120, board["impact"].pk: 25})


def test_scores_are_saved_per_option_and_missing_ones_are_listed(cast: Cast, board: dict[str, Any],
                                                                 client_for: Any) -> None:
    member = services.panellist_create(process=cast.process, actor=None, name="Ole Dam",
                                       user=cast.users["board"])
    hub, value = board["hub"], board["value"]
    finding = evidence_services.finding_create(process=cast.process, actor=None, statement="Vidensbanken bruges.")
    client = client_for(cast.users["board"])
    response = client.post(_url(cast, "scores_member_option", member.pk, hub.pk), {
        f"value_{value.pk}": "4", f"reason_{value.pk}": "Medlemmerne efterspørger viden.",
        f"findings_{value.pk}": [finding.pk]})
    assert response.status_code == 302
    score = Score.objects.get(panellist=member)
    assert (score.option, score.criterion, score.value, list(score.findings.all())) == (hub, value, 4, [finding])
    page = client.get(_url(cast, "scores")).content.decode()
    # Ole has scored one of six cells; the five others are missing, the chair's none.
    assert "Ole Dam" in page and "Videnshub · Gennemslagskraft" in page
    bench = selectors.workbench(cast.process)
    assert len(bench.table.missing) == 5
    assert bench.table.mean[(hub.pk, value.pk)] == pytest.approx(4.5)  # (5 + 4) / 2
    assert client.post(_url(cast, "scores_member_option", member.pk, hub.pk),
                       {f"value_{value.pk}": "7"}).status_code == 200  # the form again, with the error
    assert Score.objects.get(panellist=member).value == 4


def test_the_ranking_page_shows_the_hand_computed_values(cast: Cast, board: dict[str, Any],
                                                          client_for: Any) -> None:
    bench = selectors.workbench(cast.process)
    ranking = selectors.rankings(bench)[0]
    assert ranking.method == "weighted_sum"
    assert ranking.order == [board["hub"].pk, board["network"].pk, board["status_quo"].pk]
    assert ranking.values == pytest.approx({board["hub"].pk: 4.0, board["network"].pk: 3.5,
                                            board["status_quo"].pk: 2.0})
    page = client_for(cast.users["reader"]).get(_url(cast, "results")).content.decode()
    assert "4,000" in page and "3,500" in page and "TOPSIS" in page and "PROMETHEE II" in page
    # The methods explained in Danish; the technical conventions as the record keeps them, marked as English.
    assert "hvor tæt den ligger på en ideel mulighed" in page
    technical = [part.split("</ul>", 1)[0] for part in page.split('<ul lang="en">')[1:]]
    assert len(technical) == 4 and "vector normalisation" in technical[1]  # three methods, then the group weights


def test_the_robustness_page_shows_the_margin_and_the_break_even_weights(cast: Cast, board: dict[str, Any],
                                                                         client_for: Any) -> None:
    result = selectors.robustness(selectors.workbench(cast.process), samples=2000)
    assert result is not None
    assert (result.top, result.runner_up) == (board["hub"].pk, board["network"].pk)
    assert result.margin == pytest.approx(0.5)
    # Hub against network: w·5 + (1 − w)·3 against w·3 + (1 − w)·4 on the value weight w; equal at w = 1/3.
    value_row = next(row for row in result.break_even if row.criterion == board["value"].pk)
    assert value_row.down == pytest.approx(1 / 3) and value_row.down_option == board["network"].pk
    assert value_row.up is None
    page = client_for(cast.users["reader"]).get(_url(cast, "robustness")).content.decode()
    assert "0,50" in page and "33,3 %" in page and "Netværksforening" in page
    assert "Rangaccept: 10.000 sæt vægte trukket tilfældigt" in page


def test_scenarios_give_the_worst_case_and_the_least_regret(cast: Cast, board: dict[str, Any],
                                                            client_for: Any) -> None:
    client = client_for(cast.users["board"])
    client.post(_url(cast, "scenario_add"), {"name": "Fondsstøtten stopper"})
    client.post(_url(cast, "scenario_add"), {"name": "Flere medlemmer"})
    state = selectors.scenarios(cast.process, selectors.workbench(cast.process).option_keys)
    stop, growth = state.scenarios
    sq, hub, network = board["status_quo"], board["hub"], board["network"]
    # stop: sq 3, hub 1, network 4; growth: sq 2, hub 5, network 4.
    # Worst cases: sq 2, hub 1, network 4 → network. Regrets: sq max(1, 3) = 3, hub max(3, 0) = 3,
    # network max(0, 1) = 1 → network.
    values = {(sq, stop): 3, (hub, stop): 1, (network, stop): 4, (sq, growth): 2, (hub, growth): 5,
              (network, growth): 4}
    client.post(_url(cast, "scenario_scores"), {f"scenario_{option.pk}_{scenario.pk}": str(value)
                                                for (option, scenario), value in values.items()})
    state = selectors.scenarios(cast.process, selectors.workbench(cast.process).option_keys)
    assert state.result is not None
    assert state.result.maximin[0] == network.pk and state.result.minimax_regret[0] == network.pk
    assert state.result.max_regret == pytest.approx({sq.pk: 3, hub.pk: 3, network.pk: 1})
    page = client.get(_url(cast, "robustness")).content.decode()
    assert "bedste værste tilfælde" in page and "mindst fortrydelse" in page


def _decision(cast: Cast, board: dict[str, Any]) -> Decision:
    return services.decision_create(process=cast.process, actor=None, option=board["hub"], meeting="Bestyrelsesmøde",
                                    decided_on=date(2021, 11, 25), votes_for=4, votes_against=1, votes_abstain=0,
                                    rationale="Videnshubben bygger på det, medlemmerne bruger.")


def test_signing_off_freezes_the_record_with_its_hash(cast: Cast, board: dict[str, Any], client_for: Any) -> None:
    decision = _decision(cast, board)
    client = client_for(cast.users["board"])
    client.post(_url(cast, "dissent_add", decision.pk), {"dissent-name": "Ole Dam", "dissent-vote": "against",
                                                         "dissent-reason": "Netværket er billigere."})
    client.post(_url(cast, "goal_add", decision.pk), {"goal-goal": "Flere brugere", "goal-measure": "Besøg",
                                                      "goal-target": "+20 %", "goal-deadline": "2023-12-31"})
    draft = client.get(_url(cast, "decision_detail", decision.pk)).content.decode()
    assert "Kladde" in draft and "Netværket er billigere." in draft and "Flere brugere" in draft
    assert client.post(_url(cast, "decision_sign", decision.pk)).status_code == 302
    decision.refresh_from_db()
    assert decision.signed and decision.record is not None
    # The hash is SHA-256 of the record as canonical JSON (keys sorted, no spaces), computed here independently.
    canonical = json.dumps(decision.record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert decision.content_hash == hashlib.sha256(canonical.encode()).hexdigest()
    record = decision.record
    assert record["decision"]["dissent"] == [{"name": "Ole Dam", "vote": "against",
                                              "reason": "Netværket er billigere."}]
    assert record["rankings"][0]["order"] == ["Videnshub", "Netværksforening", "Status quo"]
    assert record["robustness"]["top"] == "Videnshub" and record["robustness"]["margin"] == pytest.approx(0.5)
    page = client.get(_url(cast, "decision_detail", decision.pk)).content.decode()
    assert decision.content_hash in page and "uændret" in page
    # Nothing about it changes afterwards, through the services or the model.
    with pytest.raises(ValidationError):
        services.decision_update(decision=decision, actor=None, rationale="Anden begrundelse.")
    with pytest.raises(ValidationError):
        services.goal_add(decision=decision, actor=None, goal="G", measure="M", target="T", deadline=date(2022, 1, 1))
    decision.rationale = "Ændret bagefter."
    with pytest.raises(DecisionFrozen):
        decision.save()
    assert client.post(_url(cast, "decision_sign", decision.pk)).status_code == 302
    assert Decision.objects.get(pk=decision.pk).content_hash == decision.content_hash


def test_a_signed_decision_changes_only_through_a_new_linked_decision(cast: Cast, board: dict[str, Any],
                                                                       client_for: Any) -> None:
    decision = _decision(cast, board)
    services.decision_sign_off(decision=decision, actor=None, record=selectors.decision_record(decision, samples=100))
    client = client_for(cast.users["secretariat"])
    response = client.post(_url(cast, "decision_replace", decision.pk))
    replacement = Decision.objects.get(replaces=decision)
    assert response.url == _url(cast, "decision_detail", replacement.pk)
    assert not replacement.signed and replacement.option == board["hub"]
    page = client.get(_url(cast, "decision_detail", decision.pk)).content.decode()
    assert "Erstattet af en senere beslutning" in page
    with pytest.raises(ValidationError):
        services.decision_replace(decision=decision, actor=None)  # replaced once already
    with pytest.raises(ValidationError):
        services.decision_replace(decision=replacement, actor=None)  # a draft cannot be replaced


def test_more_dissenters_than_votes_against_cannot_be_signed_off(cast: Cast, board: dict[str, Any]) -> None:
    decision = _decision(cast, board)
    for name in ("Ole Dam", "Eva Kjær"):
        services.dissent_add(decision=decision, actor=None, name=name, vote="against", reason="Uenig.")
    with pytest.raises(ValidationError):
        services.decision_sign_off(decision=decision, actor=None, record={})
    assert not Decision.objects.get(pk=decision.pk).signed


def test_a_reader_cannot_record_or_sign_a_decision(cast: Cast, board: dict[str, Any], client_for: Any) -> None:
    decision = _decision(cast, board)
    client = client_for(cast.users["reader"])
    assert client.post(_url(cast, "decision_sign", decision.pk)).status_code == 403
    assert client.post(_url(cast, "decisions"), {"option": board["hub"].pk}).status_code == 403
    assert not Decision.objects.get(pk=decision.pk).signed


def test_a_validation_survey_is_made_from_the_options_and_its_answers_counted_per_segment(
        cast: Cast, board: dict[str, Any], client_for: Any) -> None:
    hub = board["hub"]
    condition = services.condition_create(option=hub, actor=None, statement="Fondene vil medfinansiere hubben.")
    client = client_for(cast.users["secretariat"])
    response = client.post(_url(cast, "validation_survey_create"), {"survey-title": "Hvad mener du om mulighederne?"})
    made = ValidationRound.objects.get(process=cast.process)
    assert response.url == reverse("surveys:detail", args=[cast.process.slug, made.survey_id])
    survey = made.survey
    assert survey.anonymous and survey.process == cast.process
    names = {question["name"] for section in survey.definition["sections"] for question in section["questions"]}
    assert {f"c{condition.pk}", "preferred", f"comment_o{hub.pk}"} <= names
    version = survey_services.survey_publish(survey=survey, actor=None)
    # Six from Drift: five agree (4 or 5), one disagrees; three from Kommune, below the threshold of five, so they
    # are hidden, and with them the next smallest group (Drift) so Kommune cannot be worked out from the total.
    answers = [("Drift", {f"c{condition.pk}": "5", "preferred": f"o{hub.pk}"})] * 5
    answers += [("Drift", {f"c{condition.pk}": "2", "preferred": f"o{hub.pk}"})]
    answers += [("Kommune", {f"c{condition.pk}": "1", "preferred": f"o{board['network'].pk}"})] * 3
    for segment, given in answers:
        Response.objects.create(survey=survey, version=version, status=ResponseStatus.COMPLETE, answers=given,
                                segment=segment, submitted_on=date(2021, 9, 1))
    result = selectors.validation_results(cast.process)[0]
    groups = {group.group: group for group in result.conditions[condition.pk].groups}
    assert (groups[""].n, groups[""].agree) == (9, 5)
    assert groups["Kommune"].suppressed and groups["Kommune"].n is None
    assert groups["Drift"].suppressed
    page = client.get(_url(cast, "validation")).content.decode()
    assert "Fondene vil medfinansiere hubben." in page and "56 %" in page and "skjult" in page  # 5 of 9
    assert "67 % foretrækker denne mulighed." in page  # 6 of 9 prefer the hub


def test_workshop_results_are_recorded_per_condition_and_group(cast: Cast, board: dict[str, Any],
                                                                client_for: Any) -> None:
    condition = services.condition_create(option=board["network"], actor=None, statement="ERFA-grupperne vokser.")
    client = client_for(cast.users["board"])
    response = client.post(_url(cast, "workshop_create"), {
        "workshop-title": "Valideringsworkshop", "workshop-held_on": "2021-09-23",
        "workshop-participants": "Drift: 11\nKommune: 4"})
    workshop = ValidationRound.objects.get(process=cast.process)
    assert response.url == _url(cast, "workshop_detail", workshop.pk)
    assert workshop.participants == {"Drift": 11, "Kommune": 4}
    client.post(_url(cast, "workshop_detail", workshop.pk), {
        "results": "1", f"agree_{condition.pk}_0": "10", f"agree_{condition.pk}_1": "1"})
    assert set(workshop.results.values_list("group", "agree", "asked")) == {("Drift", 10, 11), ("Kommune", 1, 4)}
    # More agreeing than took part is refused and nothing changes.
    response = client.post(_url(cast, "workshop_detail", workshop.pk), {
        "results": "1", f"agree_{condition.pk}_0": "12", f"agree_{condition.pk}_1": "0"})
    assert response.status_code == 200
    assert set(workshop.results.values_list("group", "agree")) == {("Drift", 10), ("Kommune", 1)}
    page = client.get(_url(cast, "validation")).content.decode()
    # Workshops are not anonymous: every group is shown; everyone 11 of 15 = 73 %.
    assert "91 %" in page and "25 %" in page and "73 %" in page
    response = client.post(_url(cast, "workshop_create"), {
        "workshop-title": "Uden tal", "workshop-held_on": "2021-09-23", "workshop-participants": "Drift"})
    assert "Linje 1" in response.content.decode()


def test_each_criterion_can_have_its_own_promethee_preference_function(cast: Cast, board: dict[str, Any],
                                                                        client_for: Any) -> None:
    hub, network, status_quo = board["hub"].pk, board["network"].pk, board["status_quo"].pk

    def flows() -> dict[int, float]:
        return next(ranking for ranking in selectors.rankings(selectors.workbench(cast.process))
                    if ranking.method == "promethee_ii").values

    # Default (linear, q 0.5, p 2) on differences of the fixture's scores, weights 1/2 each:
    # π(hub, net) = ½·1 (value 5−3) = ½, π(net, hub) = ½·⅓ (impact 4−3) = ⅙, π(hub, sq) = ½·1 + ½·⅓ = ⅔,
    # π(net, sq) = ½·⅓ + ½·1 = ⅔; φ(hub) = (⅔ + ½ − ⅙)/2 = ½, φ(net) = (⅙ − ½ + ⅔)/2 = ⅙, φ(sq) = −⅔.
    assert flows() == pytest.approx({hub: 1 / 2, network: 1 / 6, status_quo: -2 / 3})
    value, impact = board["value"], board["impact"]
    steps = {f"scale_{step}": text for step, text in enumerate(SCALE, start=1)}
    client = client_for(cast.users["secretariat"])
    response = client.post(_url(cast, "criterion_edit", value.pk), {
        "group": "Værdi", "name": value.name, "benefit": "on", **steps, "preference_type": "usual"})
    assert response.status_code == 302
    services.criterion_update(criterion=impact, actor=None, group="Værdi", name=impact.name, scale=SCALE,
                              preference={"type": "usual"})
    # Usual: any difference is a full preference. π(hub, net) = π(net, hub) = ½, π(·, sq) = 1 for both:
    # φ(hub) = φ(net) = (1 + 0)/2 = ½, φ(sq) = −1.
    assert flows() == pytest.approx({hub: 1 / 2, network: 1 / 2, status_quo: -1})
    response = client.post(_url(cast, "criterion_edit", value.pk), {
        "group": "Værdi", "name": value.name, "benefit": "on", **steps, "preference_type": "linear",
        "preference_q": "3", "preference_p": "1"})
    assert response.status_code == 200  # q above p is refused, and the criterion keeps its function
    assert Criterion.objects.get(pk=value.pk).preference == {"type": "usual"}


def test_stored_comparisons_show_from_the_side_the_form_puts_first(cast: Cast, client_for: Any) -> None:
    first, second = (services.criterion_create(process=cast.process, actor=None, group="G", name=name, scale=SCALE)
                     for name in ("Værdi", "Økonomi"))
    # Økonomi moved before Værdi: the form now asks "Økonomi or Værdi", while the pair is stored by id, Værdi first.
    Criterion.objects.filter(pk=second.pk).update(position=0)
    Criterion.objects.filter(pk=first.pk).update(position=1)
    member = services.panellist_create(process=cast.process, actor=None, name="Uden login")
    services.weighting_save(panellist=member, actor=None, method=WeightMethod.AHP,
                            judgements={(first.pk, second.pk): 3})
    page = client_for(cast.users["secretariat"]).get(_url(cast, "weights_member", member.pk)).content.decode()
    # Værdi three times Økonomi, seen from Økonomi: Værdi is "moderately more important (3)" on the right-hand side.
    assert '<option value="1/3" selected>Værdi: moderat vigtigere (3)</option>' in page


def test_an_option_the_board_decided_on_cannot_be_deleted(cast: Cast, board: dict[str, Any]) -> None:
    _decision(cast, board)
    with pytest.raises(ValidationError):
        services.option_delete(option=board["hub"], actor=None)
    assert StrategyOption.objects.filter(pk=board["hub"].pk).exists()


def test_deleting_the_process_takes_its_decisions_with_it(cast: Cast, board: dict[str, Any]) -> None:
    decision = _decision(cast, board)
    decision = services.decision_sign_off(decision=decision, actor=None,
                                          record=selectors.decision_record(decision, samples=100))
    replacement = services.decision_replace(decision=decision, actor=None)
    cast.process.delete()
    assert not Decision.objects.filter(pk__in=[decision.pk, replacement.pk]).exists()
    assert not StrategyOption.objects.filter(pk=board["hub"].pk).exists()
