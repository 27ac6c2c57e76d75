"""The demo's strategy work, built through the services from ``strategy_content``: four options (the status quo
first) with a version history and conditions tied to the demo's assumptions and findings, seven criteria, six board
members weighing them in their own ways and scoring the options, three scenarios, the validation workshop with
members and partners, and the board's decision, signed off.

The one board member with a demo login (Birgit Lindholm Toft) is linked to it, so logging in as ``bestyrelse`` shows
her own weights and scores. Everything else is recorded as the secretariat's, as in the rest of the demo.
"""

from __future__ import annotations

from typing import Any

from evidens.demo import strategy_content as content
from evidens.demo.data import DEMO_USERS
from evidens.evidence.models import Assumption, Finding
from evidens.processes.models import StrategyProcess
from evidens.strategy import selectors, services
from evidens.strategy.models import Criterion, Scenario, StrategyOption, WeightMethod

REVISION_NOTE = "Skærpet efter bestyrelsesseminaret"


def strategy_build(*, process: StrategyProcess, actor: Any, users: dict[str, Any]) -> None:
    options = _options_build(process, actor)
    criteria = {text.key: services.criterion_create(
        process=process, actor=actor, group=text.group, name=text.name, description=text.description,
        benefit=text.benefit, scale=list(text.scale)) for text in content.CRITERIA}
    _board_build(process, actor, users, options, criteria)
    scenarios = {key: services.scenario_create(process=process, actor=actor, name=name, description=description)
                 for key, name, description in content.SCENARIOS}
    values: dict[tuple[StrategyOption, Scenario], int | None] = {
        (options[option], scenarios[scenario]): value for (option, scenario), value in content.SCENARIO_SCORES.items()}
    services.scenario_scores_save(process=process, actor=actor, values=values)
    _validation_build(process, actor, options)
    _decision_build(process, actor, options)


def _validation_build(process: StrategyProcess, actor: Any, options: dict[str, StrategyOption]) -> None:
    """The validation workshop: how many of each segment agreed with each condition, and their comments."""
    workshop = content.VALIDATION
    conditions = {(key, condition.statement): condition for key, option in options.items()
                  for condition in option.conditions.all()}
    agreed = {(conditions[(check.option, check.condition)], segment): round(share * workshop.participants[segment])
              for check in workshop.checks for segment, share in check.agree.items()}
    services.validation_workshop_record(
        process=process, actor=actor, title=workshop.title, held_on=workshop.held_on, summary=workshop.summary,
        participants=workshop.participants, agreed=agreed,
        comments=[(options[comment.option], comment.segment, comment.text) for comment in workshop.comments])


def _decision_build(process: StrategyProcess, actor: Any, options: dict[str, StrategyOption]) -> None:
    """The board's decision, signed off: the record freezes the ranking and evidence as the demo leaves them."""
    text = content.DECISION
    decision = services.decision_create(process=process, actor=actor, option=options[text.option],
                                        meeting=text.meeting, decided_on=text.decided_on, votes_for=text.votes_for,
                                        votes_against=text.votes_against, votes_abstain=text.votes_abstain,
                                        rationale=text.rationale)
    names = {member.key: member.name for member in content.BOARD}
    for dissent in text.dissent:
        services.dissent_add(decision=decision, actor=actor, name=names[dissent.member], vote=dissent.vote,
                             reason=dissent.reason)
    for goal, measure, target, deadline in text.goals:
        services.goal_add(decision=decision, actor=actor, goal=goal, measure=measure, target=target,
                          deadline=deadline)
    services.decision_sign_off(decision=decision, actor=actor, record=selectors.decision_record(decision))


def _options_build(process: StrategyProcess, actor: Any) -> dict[str, StrategyOption]:
    assumptions = {assumption.statement: assumption for assumption in Assumption.objects.filter(process=process)}
    findings = {finding.statement: finding for finding in Finding.objects.filter(process=process)}
    options = {}
    for text in sorted(content.OPTIONS, key=lambda option: not option.is_status_quo):
        wording = {name: getattr(text, name) for name in ("summary", "ambition", "where_to_play", "how_to_win",
                                                          "capabilities", "partnerships", "costs", "income",
                                                          "fee", "risks")}
        option = services.option_create(process=process, actor=actor, title=text.title,
                                        is_status_quo=text.is_status_quo, **{**wording, **text.first_draft})
        if text.first_draft:
            services.option_revise(option=option, actor=actor, title=text.title, note=REVISION_NOTE, **wording)
        for condition in text.conditions:
            services.condition_create(option=option, actor=actor, statement=condition.statement,
                                      assumptions=[assumptions[statement] for statement in condition.assumptions],
                                      findings=[findings[statement] for statement in condition.findings])
        options[text.key] = option
    return options


def _board_build(process: StrategyProcess, actor: Any, users: dict[str, Any], options: dict[str, StrategyOption],
                 criteria: dict[str, Criterion]) -> None:
    logins = {user.username: users[user.role] for user in DEMO_USERS if user.role in users}
    for text in content.BOARD:
        member = services.panellist_create(process=process, actor=actor, name=text.name, title=text.title,
                                           user=logins[text.username] if text.username else None)
        if text.method == WeightMethod.AHP:
            services.weighting_save(panellist=member, actor=actor, method=text.method, judgements={
                (criteria[first].pk, criteria[second].pk): value
                for (first, second), value in text.judgements.items()})
        else:
            services.weighting_save(panellist=member, actor=actor, method=text.method,
                                    points={criteria[key].pk: value for key, value in text.points.items()})
        for option_key, option in options.items():
            entries = {criteria[score.criterion]: {"value": score.value, "reason": score.reason}
                       for score in content.SCORES if score.member == text.key and score.option == option_key}
            services.option_scores_save(panellist=member, actor=actor, option=option, entries=entries)
