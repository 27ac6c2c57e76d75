"""Every write to the strategy work: options and their versions, conditions, criteria, the panel, weights, scores
and scenarios. Views check who may write; these functions check what may be written."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evidens.core.hashing import canonical_hash
from evidens.core.positions import next_position
from evidens.evidence.models import Assumption, EvidenceItem, Finding
from evidens.processes.audit import audit_record
from evidens.processes.models import StrategyProcess
from evidens.stakeholders import selectors as stakeholder_selectors
from evidens.strategy import mcda, validation
from evidens.strategy.models import (
    DESCRIPTION_FIELDS,
    SCALE_MAX,
    SCALE_MIN,
    Condition,
    Criterion,
    Decision,
    Dissent,
    FollowUpGoal,
    OptionVersion,
    Panellist,
    Scenario,
    ScenarioScore,
    Score,
    StrategyOption,
    ValidationKind,
    ValidationRound,
    Vote,
    Weighting,
    WeightMethod,
    WorkshopComment,
    WorkshopResult,
)
from evidens.surveys import services as survey_services

JUDGEMENT_LIMIT = 9  # Saaty's scale: at most nine times as important


def judgement_key(first: int, second: int) -> str:
    """The stored key of a pair of criteria: the smaller id first."""
    low, high = sorted((first, second))
    return f"{low}:{high}"


# --- options ---------------------------------------------------------------------------------------------------------


def _description(fields: Mapping[str, Any]) -> dict[str, str]:
    unknown = set(fields) - set(DESCRIPTION_FIELDS)
    if unknown:
        raise TypeError(f"not fields of an option's description: {sorted(unknown)}")
    return {name: str(fields.get(name) or "").strip() for name in DESCRIPTION_FIELDS}


def _title_clean(process: StrategyProcess, title: str, option: StrategyOption | None = None) -> str:
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the option a title.")})
    others = StrategyOption.objects.filter(process=process, title__iexact=title)
    if option is not None:
        others = others.exclude(pk=option.pk)
    if others.exists():
        raise ValidationError({"title": _("Another option already has this title.")})
    return title


@transaction.atomic
def option_create(*, process: StrategyProcess, actor: Any, title: str, is_status_quo: bool = False,
                  **description: Any) -> StrategyOption:
    """A new option with its first version. The first option of a process brings the status quo with it, so
    there is always something to compare with."""
    title = _title_clean(process, title)
    status_quo = StrategyOption.objects.filter(process=process, is_status_quo=True).first()
    if is_status_quo and status_quo is not None:
        raise ValidationError({"is_status_quo": _("The process already has its status quo: %(title)s.")
                               % {"title": status_quo.title}})
    if not is_status_quo and status_quo is None:
        option_create(process=process, actor=actor, title=_("Status quo"), is_status_quo=True,
                      summary=_("The association carries on as today: the same offers, fee and organisation."))
    option = StrategyOption.objects.create(process=process, title=title, is_status_quo=is_status_quo,
                                           position=next_position(StrategyOption.objects.filter(process=process)))
    OptionVersion.objects.create(option=option, number=1, created_by=_user(actor), **_description(description))
    audit_record(process=process, actor=actor, action="create", obj=option,
                 message=gettext_noop("Strategy option added: %(title)s"), params={"title": option.title})
    return option


@transaction.atomic
def option_revise(*, option: StrategyOption, actor: Any, title: str, note: str = "",
                  **description: Any) -> OptionVersion:
    """Change an option's title and description. A changed description becomes the next version; the latest
    version is returned either way."""
    option = StrategyOption.objects.select_for_update().get(pk=option.pk)
    option.title = _title_clean(option.process, title, option)
    option.save(update_fields=["title"])
    latest = option.versions.order_by("-number").first()
    wording = _description(description)
    if latest is not None and all(getattr(latest, name) == value for name, value in wording.items()):
        return latest
    version = OptionVersion.objects.create(option=option, number=(latest.number + 1) if latest else 1,
                                           note=note.strip()[:300], created_by=_user(actor), **wording)
    audit_record(process=option.process, actor=actor, action="update", obj=option,
                 message=gettext_noop("Strategy option revised: %(title)s, version %(number)s"),
                 params={"title": option.title, "number": version.number})
    return version


@transaction.atomic
def option_delete(*, option: StrategyOption, actor: Any) -> None:
    if option.is_status_quo:
        raise ValidationError(_("The status quo stays among the options; it is what the others are compared with."))
    if option.decisions.exists():
        raise ValidationError(_("The board has decided on this option; the decision keeps it."))
    audit_record(process=option.process, actor=actor, action="delete", obj=option,
                 message=gettext_noop("Strategy option deleted: %(title)s"), params={"title": option.title})
    option.delete()


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


# --- conditions ------------------------------------------------------------------------------------------------------


def _condition_links(process: StrategyProcess, assumptions: Iterable[Assumption],
                     findings: Iterable[Finding]) -> tuple[list[Assumption], list[Finding]]:
    assumptions, findings = list(assumptions), list(findings)
    if any(item.process_id != process.pk for item in assumptions) or any(
            item.process_id != process.pk for item in findings):
        raise ValidationError(_("Only assumptions and findings of this process can be linked."))
    return assumptions, findings


@transaction.atomic
def condition_create(*, option: StrategyOption, actor: Any, statement: str, assumptions: Iterable[Assumption] = (),
                     findings: Iterable[Finding] = ()) -> Condition:
    if not statement.strip():
        raise ValidationError({"statement": _("Write what would have to be true.")})
    linked_assumptions, linked_findings = _condition_links(option.process, assumptions, findings)
    condition = Condition.objects.create(option=option, statement=statement.strip(),
                                         position=next_position(option.conditions))
    condition.assumptions.set(linked_assumptions)
    condition.findings.set(linked_findings)
    audit_record(process=option.process, actor=actor, action="create", obj=condition,
                 message=gettext_noop("Condition added to %(option)s: %(statement)s"),
                 params={"option": option.title, "statement": condition.statement})
    return condition


@transaction.atomic
def condition_update(*, condition: Condition, actor: Any, statement: str, assumptions: Iterable[Assumption],
                     findings: Iterable[Finding]) -> Condition:
    if not statement.strip():
        raise ValidationError({"statement": _("Write what would have to be true.")})
    process = condition.option.process
    linked_assumptions, linked_findings = _condition_links(process, assumptions, findings)
    condition.statement = statement.strip()
    condition.save(update_fields=["statement"])
    condition.assumptions.set(linked_assumptions)
    condition.findings.set(linked_findings)
    audit_record(process=process, actor=actor, action="update", obj=condition,
                 message=gettext_noop("Condition changed: %(statement)s"), params={"statement": condition.statement})
    return condition


@transaction.atomic
def condition_delete(*, condition: Condition, actor: Any) -> None:
    audit_record(process=condition.option.process, actor=actor, action="delete", obj=condition,
                 message=gettext_noop("Condition deleted: %(statement)s"), params={"statement": condition.statement})
    condition.delete()


# --- criteria --------------------------------------------------------------------------------------------------------


def _criterion_clean(criterion: Criterion) -> None:
    errors: dict[str, str] = {}
    if not criterion.name.strip():
        errors["name"] = _("Name the criterion.")
    elif Criterion.objects.filter(process=criterion.process, name__iexact=criterion.name).exclude(
            pk=criterion.pk).exists():
        errors["name"] = _("Another criterion already has this name.")
    if not criterion.group.strip():
        errors["group"] = _("Put the criterion in a group.")
    if criterion.preference:
        try:
            # PROMETHEE's own checks on two made-up options: the thresholds each function needs, q ≤ p.
            mcda.promethee_ii([[SCALE_MIN], [SCALE_MAX]], [1], benefit=[True], functions=[criterion.preference])
        except ValueError as error:
            errors["preference"] = str(error)
    steps = SCALE_MAX - SCALE_MIN + 1
    if len(criterion.scale) != steps or not all(str(step).strip() for step in criterion.scale):
        errors["scale"] = _("Describe what each score from %(low)s to %(high)s means.") % {
            "low": SCALE_MIN, "high": SCALE_MAX}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def criterion_create(*, process: StrategyProcess, actor: Any, group: str, name: str, scale: Sequence[str],
                     description: str = "", benefit: bool = True,
                     preference: Mapping[str, Any] | None = None) -> Criterion:
    criterion = Criterion(process=process, group=group.strip(), name=name.strip(), description=description.strip(),
                          benefit=benefit, scale=[str(step).strip() for step in scale],
                          preference=dict(preference or {}),
                          position=next_position(Criterion.objects.filter(process=process)))
    _criterion_clean(criterion)
    criterion.save()
    audit_record(process=process, actor=actor, action="create", obj=criterion,
                 message=gettext_noop("Criterion added: %(name)s"), params={"name": criterion.name})
    return criterion


@transaction.atomic
def criterion_update(*, criterion: Criterion, actor: Any, group: str, name: str, scale: Sequence[str],
                     description: str = "", benefit: bool = True,
                     preference: Mapping[str, Any] | None = None) -> Criterion:
    criterion.group, criterion.name, criterion.description = group.strip(), name.strip(), description.strip()
    criterion.benefit, criterion.scale = benefit, [str(step).strip() for step in scale]
    criterion.preference = dict(preference or {})
    _criterion_clean(criterion)
    criterion.save()
    audit_record(process=criterion.process, actor=actor, action="update", obj=criterion,
                 message=gettext_noop("Criterion changed: %(name)s"), params={"name": criterion.name})
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: Criterion, actor: Any) -> None:
    """Delete a criterion with its scores; the members' judgements of it are dropped from their weightings."""
    for weighting in Weighting.objects.filter(panellist__process=criterion.process):
        weighting.points.pop(str(criterion.pk), None)
        weighting.judgements = {key: value for key, value in weighting.judgements.items()
                                if str(criterion.pk) not in key.split(":")}
        weighting.save(update_fields=["points", "judgements", "updated_at"])
    audit_record(process=criterion.process, actor=actor, action="delete", obj=criterion,
                 message=gettext_noop("Criterion deleted: %(name)s"), params={"name": criterion.name})
    criterion.delete()


# --- the panel -------------------------------------------------------------------------------------------------------


@transaction.atomic
def panellist_create(*, process: StrategyProcess, actor: Any, name: str, title: str = "",
                     user: Any = None) -> Panellist:
    if not name.strip():
        raise ValidationError({"name": _("Write the board member's name.")})
    if user is not None and Panellist.objects.filter(process=process, user=user).exists():
        raise ValidationError({"user": _("This login already belongs to a board member of the process.")})
    panellist = Panellist.objects.create(process=process, name=name.strip(), title=title.strip(), user=user,
                                         position=next_position(Panellist.objects.filter(process=process)))
    audit_record(process=process, actor=actor, action="create", obj=panellist,
                 message=gettext_noop("Board member added to the panel: %(name)s"), params={"name": panellist.name})
    return panellist


# --- weights ---------------------------------------------------------------------------------------------------------


def _points_clean(points: Mapping[int, float], criteria: set[int], *, swing: bool) -> dict[str, float]:
    cleaned: dict[str, float] = {}
    for criterion, value in points.items():
        if criterion not in criteria:
            raise ValidationError(_("Points were given for a criterion that is not in the process."))
        if not math.isfinite(value) or value < 0 or (swing and value > 100):
            raise ValidationError(_("Points go from 0 to 100.") if swing else _("Points cannot be negative."))
        cleaned[str(criterion)] = float(value)
    return cleaned


def _judgements_clean(judgements: Mapping[tuple[int, int], float], criteria: set[int]) -> dict[str, float]:
    cleaned: dict[str, float] = {}
    for (first, second), value in judgements.items():
        if first == second or first not in criteria or second not in criteria:
            raise ValidationError(_("A comparison names a criterion that is not in the process."))
        if not math.isfinite(value) or not 1 / JUDGEMENT_LIMIT - 1e-9 <= value <= JUDGEMENT_LIMIT + 1e-9:
            raise ValidationError(_("A comparison goes from 1/9 to 9."))
        cleaned[judgement_key(first, second)] = float(value) if first < second else 1 / float(value)
    return cleaned


@transaction.atomic
def weighting_save(*, panellist: Panellist, actor: Any, method: str, points: Mapping[int, float] | None = None,
                   judgements: Mapping[tuple[int, int], float] | None = None) -> Weighting:
    """Store a member's weights as given. ``points`` per criterion id; ``judgements`` per (a, b) pair of criterion
    ids: how many times more a matters than b. Unfinished input is kept, so a member can come back to it."""
    if method not in WeightMethod.values:
        raise ValidationError({"method": _("Unknown weighting method.")})
    criteria = set(Criterion.objects.filter(process=panellist.process).values_list("pk", flat=True))
    weighting, _created = Weighting.objects.select_for_update().get_or_create(panellist=panellist)
    weighting.method = method
    if points is not None:
        weighting.points = _points_clean(points, criteria, swing=method == WeightMethod.SWING)
    if judgements is not None:
        weighting.judgements = _judgements_clean(judgements, criteria)
    weighting.save()
    audit_record(process=panellist.process, actor=actor, action="update", obj=weighting,
                 message=gettext_noop("Weights saved for %(name)s (%(method)s)"),
                 params={"name": panellist.name, "method": weighting.method})
    return weighting


# --- scores ----------------------------------------------------------------------------------------------------------


def _score_value(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number != value or not SCALE_MIN <= number <= SCALE_MAX:
        raise ValidationError(_("A score is a whole number from %(low)s to %(high)s.")
                              % {"low": SCALE_MIN, "high": SCALE_MAX})
    return number


@transaction.atomic
def score_save(*, panellist: Panellist, actor: Any, option: StrategyOption, criterion: Criterion, value: int | None,
               reason: str = "", findings: Iterable[Finding] = (), evidence: Iterable[EvidenceItem] = ()
               ) -> Score | None:
    """Set or clear (``value`` None) one member's score of one option on one criterion."""
    process = panellist.process
    if option.process_id != process.pk or criterion.process_id != process.pk:
        raise ValidationError(_("The option and the criterion must belong to the board member's process."))
    if value is None:
        Score.objects.filter(panellist=panellist, option=option, criterion=criterion).delete()
        return None
    linked_findings, linked_items = list(findings), list(evidence)
    if any(item.process_id != process.pk for item in linked_findings) or any(
            item.process_id != process.pk for item in linked_items):
        raise ValidationError(_("Only findings and evidence of this process can be linked."))
    score, _created = Score.objects.update_or_create(
        panellist=panellist, option=option, criterion=criterion,
        defaults={"value": _score_value(value), "reason": reason.strip()})
    score.findings.set(linked_findings)
    score.evidence.set(linked_items)
    return score


@transaction.atomic
def option_scores_save(*, panellist: Panellist, actor: Any, option: StrategyOption,
                       entries: Mapping[Criterion, Mapping[str, Any]]) -> int:
    """Save one member's scores of one option on several criteria at once: all or none. Each entry has
    ``value`` (None clears it), ``reason`` and optionally ``findings`` and ``evidence``. Returns the number scored."""
    scored = 0
    for criterion, entry in entries.items():
        score = score_save(panellist=panellist, actor=actor, option=option, criterion=criterion,
                           value=entry.get("value"), reason=entry.get("reason", ""),
                           findings=entry.get("findings", ()), evidence=entry.get("evidence", ()))
        scored += score is not None
    audit_record(process=panellist.process, actor=actor, action="update", obj=option,
                 message=gettext_noop("%(name)s scored %(option)s on %(count)s criteria"),
                 params={"name": panellist.name, "option": option.title, "count": scored})
    return scored


# --- scenarios -------------------------------------------------------------------------------------------------------


@transaction.atomic
def scenario_create(*, process: StrategyProcess, actor: Any, name: str, description: str = "") -> Scenario:
    if not name.strip():
        raise ValidationError({"name": _("Name the scenario.")})
    if Scenario.objects.filter(process=process, name__iexact=name.strip()).exists():
        raise ValidationError({"name": _("Another scenario already has this name.")})
    scenario = Scenario.objects.create(process=process, name=name.strip(), description=description.strip(),
                                       position=next_position(Scenario.objects.filter(process=process)))
    audit_record(process=process, actor=actor, action="create", obj=scenario,
                 message=gettext_noop("Scenario added: %(name)s"), params={"name": scenario.name})
    return scenario


@transaction.atomic
def scenario_scores_save(*, process: StrategyProcess, actor: Any,
                         values: Mapping[tuple[StrategyOption, Scenario], int | None]) -> None:
    """How well each option does under each scenario, as the board judges it together; None clears a cell."""
    for (option, scenario), value in values.items():
        if option.process_id != process.pk or scenario.process_id != process.pk:
            raise ValidationError(_("The option and the scenario must belong to the process."))
        if value is None:
            ScenarioScore.objects.filter(option=option, scenario=scenario).delete()
        else:
            ScenarioScore.objects.update_or_create(option=option, scenario=scenario,
                                                   defaults={"value": _score_value(value)})
    audit_record(process=process, actor=actor, action="update", obj=None,
                 message=gettext_noop("Scenario scores saved"))


# --- the decision ----------------------------------------------------------------------------------------------------


def _draft(decision: Decision) -> None:
    if Decision.objects.filter(pk=decision.pk, signed_off_at__isnull=False).exists():
        raise ValidationError(_("The decision is signed off and cannot change. Record a new decision that "
                                "replaces it."))


def _decision_clean(decision: Decision) -> None:
    errors: dict[str, str] = {}
    if decision.option.process_id != decision.process_id:
        errors["option"] = _("The option belongs to another process.")
    if not decision.meeting.strip():
        errors["meeting"] = _("Name the meeting where the board decided.")
    if not decision.rationale.strip():
        errors["rationale"] = _("Write the rationale for the decision.")
    if decision.votes_for + decision.votes_against + decision.votes_abstain == 0:
        errors["votes_for"] = _("Record the votes.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def decision_create(*, process: StrategyProcess, actor: Any, option: StrategyOption, meeting: str, decided_on: Any,
                    votes_for: int, votes_against: int, votes_abstain: int, rationale: str,
                    replaces: Decision | None = None) -> Decision:
    """A draft decision; ``replaces`` names the signed-off decision it changes."""
    if replaces is not None:
        if not replaces.signed or replaces.process_id != process.pk:
            raise ValidationError(_("Only a signed-off decision of this process can be replaced."))
        if Decision.objects.filter(replaces=replaces).exists():
            raise ValidationError(_("This decision has already been replaced."))
    decision = Decision(process=process, option=option, meeting=meeting.strip(), decided_on=decided_on,
                        votes_for=votes_for, votes_against=votes_against, votes_abstain=votes_abstain,
                        rationale=rationale.strip(), replaces=replaces)
    _decision_clean(decision)
    decision.save()
    audit_record(process=process, actor=actor, action="create", obj=decision,
                 message=gettext_noop("Decision drafted: %(option)s"), params={"option": option.title})
    return decision


@transaction.atomic
def decision_update(*, decision: Decision, actor: Any, **fields: Any) -> Decision:
    _draft(decision)
    allowed = {"option", "meeting", "decided_on", "votes_for", "votes_against", "votes_abstain", "rationale"}
    if set(fields) - allowed:
        raise TypeError(f"not fields of a decision: {sorted(set(fields) - allowed)}")
    for name, value in fields.items():
        setattr(decision, name, value.strip() if isinstance(value, str) else value)
    _decision_clean(decision)
    decision.save()
    audit_record(process=decision.process, actor=actor, action="update", obj=decision,
                 message=gettext_noop("Decision draft changed: %(option)s"), params={"option": decision.option.title})
    return decision


@transaction.atomic
def dissent_add(*, decision: Decision, actor: Any, name: str, vote: str, reason: str) -> Dissent:
    _draft(decision)
    if not name.strip() or not reason.strip() or vote not in Vote.values:
        raise ValidationError(_("Name the board member, their vote and their reason."))
    return Dissent.objects.create(decision=decision, name=name.strip(), vote=vote, reason=reason.strip())


@transaction.atomic
def goal_add(*, decision: Decision, actor: Any, goal: str, measure: str, target: str, deadline: Any) -> FollowUpGoal:
    _draft(decision)
    if not goal.strip() or not measure.strip() or not target.strip():
        raise ValidationError(_("Write the goal, how it is measured and the target."))
    return FollowUpGoal.objects.create(decision=decision, goal=goal.strip(), measure=measure.strip(),
                                       target=target.strip(), deadline=deadline)


@transaction.atomic
def decision_part_remove(*, part: Dissent | FollowUpGoal, actor: Any) -> None:
    _draft(part.decision)
    part.delete()


@transaction.atomic
def decision_sign_off(*, decision: Decision, actor: Any, record: dict[str, Any]) -> Decision:
    """Freeze the decision with ``record`` (from ``selectors.decision_record``: the option, ranking, robustness
    and evidence trail as they are now) and the hash of it all."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    _draft(decision)
    against = decision.dissents.filter(vote=Vote.AGAINST).count()
    abstained = decision.dissents.filter(vote=Vote.ABSTAIN).count()
    if against > decision.votes_against or abstained > decision.votes_abstain:
        raise ValidationError(_("More board members are named as dissenting than the votes against and "
                                "abstentions allow."))
    decision.record = record
    decision.content_hash = canonical_hash(record)
    decision.signed_off_at = timezone.now()
    decision.signed_off_by = _user(actor)
    decision.save()
    audit_record(process=decision.process, actor=actor, action="update", obj=decision,
                 message=gettext_noop("Decision signed off: %(option)s (%(hash)s)"),
                 params={"option": decision.option.title, "hash": decision.content_hash[:12]})
    return decision


@transaction.atomic
def decision_replace(*, decision: Decision, actor: Any) -> Decision:
    """Start the decision that changes a signed-off one: a draft with the same content, linked to it."""
    draft = decision_create(process=decision.process, actor=actor, option=decision.option, meeting=decision.meeting,
                            decided_on=decision.decided_on, votes_for=decision.votes_for,
                            votes_against=decision.votes_against, votes_abstain=decision.votes_abstain,
                            rationale=decision.rationale, replaces=decision)
    for dissent in decision.dissents.all():
        Dissent.objects.create(decision=draft, name=dissent.name, vote=dissent.vote, reason=dissent.reason)
    for goal in decision.goals.all():
        FollowUpGoal.objects.create(decision=draft, goal=goal.goal, measure=goal.measure, target=goal.target,
                                    deadline=goal.deadline)
    return draft


# --- validation with stakeholders ------------------------------------------------------------------------------------


def _participants_clean(participants: Mapping[str, int]) -> dict[str, int]:
    cleaned = {str(group).strip(): int(people) for group, people in participants.items() if str(group).strip()}
    if not cleaned or any(people < 1 for people in cleaned.values()):
        raise ValidationError({"participants": _("Name each group that took part and how many people it had.")})
    return cleaned


@transaction.atomic
def validation_workshop_record(*, process: StrategyProcess, actor: Any, title: str, held_on: Any,
                               participants: Mapping[str, int], summary: str = "",
                               agreed: Mapping[tuple[Condition, str], int] | None = None,
                               comments: Iterable[tuple[StrategyOption, str, str]] = ()) -> ValidationRound:
    """A workshop: the groups that took part with their numbers of people, and per condition and group how many
    agreed (see ``workshop_results_save``); comments per option."""
    if not title.strip():
        raise ValidationError({"title": _("Give the workshop a title.")})
    workshop = ValidationRound.objects.create(process=process, kind=ValidationKind.WORKSHOP, title=title.strip(),
                                              held_on=held_on, summary=summary.strip(),
                                              participants=_participants_clean(participants))
    workshop_results_save(workshop=workshop, actor=actor, agreed=agreed or {})
    for option, group, text in comments:
        workshop_comment_add(workshop=workshop, actor=actor, option=option, group=group, text=text)
    audit_record(process=process, actor=actor, action="create", obj=workshop,
                 message=gettext_noop("Validation workshop recorded: %(title)s"), params={"title": workshop.title})
    return workshop


@transaction.atomic
def workshop_results_save(*, workshop: ValidationRound, actor: Any,
                          agreed: Mapping[tuple[Condition, str], int | None]) -> None:
    """How many of each group agreed with each condition; None clears a cell. All or nothing."""
    for (condition, group), count in agreed.items():
        if condition.option.process_id != workshop.process_id:
            raise ValidationError(_("The condition belongs to another process."))
        if group not in workshop.participants:
            raise ValidationError(_("%(group)s did not take part in the workshop.") % {"group": group})
        if count is None:
            WorkshopResult.objects.filter(round=workshop, condition=condition, group=group).delete()
            continue
        if not 0 <= count <= workshop.participants[group]:
            raise ValidationError(_("%(group)s: between 0 and %(people)s can agree.")
                                  % {"group": group, "people": workshop.participants[group]})
        WorkshopResult.objects.update_or_create(round=workshop, condition=condition, group=group,
                                                defaults={"agree": count, "asked": workshop.participants[group]})


@transaction.atomic
def workshop_comment_add(*, workshop: ValidationRound, actor: Any, option: StrategyOption, group: str,
                         text: str) -> WorkshopComment:
    if option.process_id != workshop.process_id:
        raise ValidationError(_("The option belongs to another process."))
    if not text.strip():
        raise ValidationError({"text": _("Write the comment.")})
    return WorkshopComment.objects.create(round=workshop, option=option, group=group.strip(), text=text.strip())


@transaction.atomic
def validation_survey_create(*, process: StrategyProcess, actor: Any, title: str) -> ValidationRound:
    """A short anonymous survey generated from the options and their conditions, made in the surveys app, where
    the secretariat adds recipients, publishes and sends it as any other survey."""
    options = [validation.OptionForValidation(
        option.pk, option.title, getattr(option.versions.order_by("-number").first(), "summary", ""),
        option.is_status_quo,
        tuple(validation.ConditionForValidation(condition.pk, condition.statement)
              for condition in option.conditions.all()))
        for option in StrategyOption.objects.filter(process=process)]
    if not title.strip():
        raise ValidationError({"title": _("Give the survey a title.")})
    if not any(option.conditions for option in options):
        raise ValidationError(_("Write what would have to be true for the options before validating them."))
    segments = stakeholder_selectors.segments(process=process)
    survey = survey_services.survey_create(process=process, actor=actor, title=title.strip(), anonymous=True,
                                           questionnaire=validation.questionnaire(options, title=title.strip(),
                                                                                  segments=segments))
    validation_round = ValidationRound.objects.create(process=process, kind=ValidationKind.SURVEY, title=survey.title,
                                                      survey=survey, segments=segments)
    audit_record(process=process, actor=actor, action="create", obj=validation_round,
                 message=gettext_noop("Validation survey made: %(title)s"), params={"title": survey.title})
    return validation_round
