from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evidens.core.feedback import errors_to_messages
from evidens.core.forms import add_service_errors
from evidens.core.numbers import whole_number
from evidens.processes.access import Permission, ProcessAccess, process_view
from evidens.strategy import charts, selectors, services, tables
from evidens.strategy.forms import (
    ConditionForm,
    CriterionForm,
    DecisionForm,
    DissentForm,
    GoalForm,
    OptionForm,
    PairwiseForm,
    PanellistForm,
    PointsForm,
    ScenarioForm,
    ScoreForm,
    ValidationSurveyForm,
    WorkshopCommentForm,
    WorkshopForm,
    WorkshopResultsForm,
)
from evidens.strategy.models import (
    DESCRIPTION_FIELDS,
    Condition,
    Criterion,
    Dissent,
    FollowUpGoal,
    Panellist,
    StrategyOption,
    ValidationKind,
    ValidationRound,
    WeightMethod,
)


def _may_enter_for(access: ProcessAccess, panellist: Panellist) -> bool:
    """A member enters their own weights and scores; the secretariat enters them for members without a login."""
    return access.can_manage or (panellist.user_id is not None and panellist.user_id == access.membership.user_id)


@process_view(Permission.VIEW)
def overview(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    bench = selectors.workbench(access.process)
    rankings = selectors.rankings(bench)
    return render(request, "strategy/overview.html", {
        "access": access, "tab": "options", "bench": bench, "rankings": rankings,
        "cards": tables.option_cards(bench.options, selectors.latest_versions(access.process),
                                     selectors.conditions(access.process)),
        "ranking_chart": charts.ranking_chart(bench, rankings[0]) if rankings else None,
        "me": selectors.panellist_for(access.process, request.user)})


# --- options ---------------------------------------------------------------------------------------------------------


@process_view(Permission.DECIDE)
def option_create(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = OptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            option = services.option_create(process=access.process, actor=request.user,
                                            title=form.cleaned_data["title"],
                                            **{name: form.cleaned_data[name] for name in DESCRIPTION_FIELDS})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The option is added."))
            return redirect("strategy:option_detail", access.process.slug, option.pk)
    return render(request, "strategy/option_form.html", {"access": access, "tab": "options", "form": form})


@process_view(Permission.VIEW)
def option_detail(request: HttpRequest, access: ProcessAccess, option_id: int) -> HttpResponse:
    option = get_object_or_404(StrategyOption, pk=option_id, process=access.process)
    versions = list(option.versions.select_related("created_by"))
    shown = next((version for version in versions if str(version.number) == request.GET.get("version")), versions[0])
    bench = selectors.workbench(access.process)
    reasons = selectors.score_reasons(access.process, option)
    return render(request, "strategy/option_detail.html", {
        "access": access, "tab": "options", "option": option, "version": shown, "versions": versions,
        "fields": [(label, getattr(shown, name)) for name, label in tables.description_labels().items()],
        "conditions": selectors.conditions(access.process).get(option.pk, []),
        "condition_form": ConditionForm(process=access.process), "bench": bench,
        "reasons": [(criterion, reasons.get(criterion.pk, [])) for criterion in bench.criteria]})


@process_view(Permission.DECIDE)
def option_edit(request: HttpRequest, access: ProcessAccess, option_id: int) -> HttpResponse:
    option = get_object_or_404(StrategyOption, pk=option_id, process=access.process)
    latest = option.versions.order_by("-number").first()
    form = OptionForm(request.POST or None, instance=latest, initial={"title": option.title})
    if request.method == "POST" and form.is_valid():
        try:
            services.option_revise(option=option, actor=request.user, title=form.cleaned_data["title"],
                                   note=form.cleaned_data["note"],
                                   **{name: form.cleaned_data[name] for name in DESCRIPTION_FIELDS})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("strategy:option_detail", access.process.slug, option.pk)
    return render(request, "strategy/option_form.html", {
        "access": access, "tab": "options", "form": form, "option": option})


@require_POST
@process_view(Permission.DECIDE)
def option_delete(request: HttpRequest, access: ProcessAccess, option_id: int) -> HttpResponse:
    option = get_object_or_404(StrategyOption, pk=option_id, process=access.process)
    try:
        services.option_delete(option=option, actor=request.user)
    except ValidationError as error:
        errors_to_messages(request, error)
        return redirect("strategy:option_detail", access.process.slug, option.pk)
    messages.success(request, _("The option is deleted."))
    return redirect("strategy:overview", access.process.slug)


@process_view(Permission.VIEW)
def compare(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    """The options side by side: description, conditions with their verdicts, the panel's mean scores."""
    bench = selectors.workbench(access.process)
    versions = selectors.latest_versions(access.process)
    conditions = selectors.conditions(access.process)
    rows = [(label, [getattr(versions[option.pk], name) for option in bench.options])
            for name, label in tables.description_labels().items()]
    return render(request, "strategy/compare.html", {
        "access": access, "tab": "compare", "bench": bench, "rows": rows,
        "conditions": [conditions.get(option.pk, []) for option in bench.options],
        "score_rows": tables.criterion_means(bench)})


# --- conditions ------------------------------------------------------------------------------------------------------


@require_POST
@process_view(Permission.DECIDE)
def condition_add(request: HttpRequest, access: ProcessAccess, option_id: int) -> HttpResponse:
    option = get_object_or_404(StrategyOption, pk=option_id, process=access.process)
    form = ConditionForm(request.POST, process=access.process)
    if form.is_valid():
        services.condition_create(option=option, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The condition is added."))
    else:
        messages.error(request, _("Write what would have to be true."))
    return redirect("strategy:option_detail", access.process.slug, option.pk)


@process_view(Permission.DECIDE)
def condition_edit(request: HttpRequest, access: ProcessAccess, condition_id: int) -> HttpResponse:
    condition = get_object_or_404(Condition, pk=condition_id, option__process=access.process)
    form = ConditionForm(request.POST or None, process=access.process, initial={
        "statement": condition.statement, "assumptions": condition.assumptions.all(),
        "findings": condition.findings.all()})
    if request.method == "POST":
        if request.POST.get("delete"):
            services.condition_delete(condition=condition, actor=request.user)
            messages.success(request, _("The condition is deleted."))
            return redirect("strategy:option_detail", access.process.slug, condition.option_id)
        if form.is_valid():
            services.condition_update(condition=condition, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect("strategy:option_detail", access.process.slug, condition.option_id)
    return render(request, "strategy/condition_form.html", {
        "access": access, "tab": "options", "form": form, "condition": condition})


# --- criteria --------------------------------------------------------------------------------------------------------


@process_view(Permission.VIEW)
def criteria(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = CriterionForm(request.POST or None)
    if request.method == "POST":
        if not access.can_decide:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.criterion_create(process=access.process, actor=request.user, scale=form.scale(),
                                          preference=form.preference(), **{name: form.cleaned_data[name]
                                             for name in ("group", "name", "description", "benefit")})
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The criterion is added."))
                return redirect("strategy:criteria", access.process.slug)
    return render(request, "strategy/criteria.html", {
        "access": access, "tab": "criteria", "criteria": list(Criterion.objects.filter(process=access.process)),
        "form": form})


@process_view(Permission.DECIDE)
def criterion_edit(request: HttpRequest, access: ProcessAccess, criterion_id: int) -> HttpResponse:
    criterion = get_object_or_404(Criterion, pk=criterion_id, process=access.process)
    form = CriterionForm(request.POST or None, initial=CriterionForm.initial_for(criterion))
    if request.method == "POST":
        if request.POST.get("delete"):
            services.criterion_delete(criterion=criterion, actor=request.user)
            messages.success(request, _("The criterion is deleted with its scores."))
            return redirect("strategy:criteria", access.process.slug)
        if form.is_valid():
            try:
                services.criterion_update(criterion=criterion, actor=request.user, scale=form.scale(),
                                          preference=form.preference(), **{name: form.cleaned_data[name]
                                             for name in ("group", "name", "description", "benefit")})
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("strategy:criteria", access.process.slug)
    return render(request, "strategy/criterion_form.html", {
        "access": access, "tab": "criteria", "form": form, "criterion": criterion})


# --- the panel, weights and scores -----------------------------------------------------------------------------------


@process_view(Permission.VIEW)
def panel(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = PanellistForm(request.POST or None, process=access.process)
    if request.method == "POST":
        if not access.can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.panellist_create(process=access.process, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The board member is added to the panel."))
                return redirect("strategy:panel", access.process.slug)
    bench = selectors.workbench(access.process)
    return render(request, "strategy/panel.html", {
        "access": access, "tab": "weights", "bench": bench, "form": form,
        "me": selectors.panellist_for(access.process, request.user),
        "weights_chart": charts.weights_chart(bench), "rows": tables.panel_rows(bench),
        "group_row": tables.group_weight_row(bench),
        "group_explanation": tables.group_weights_explanation(bench.group) if bench.group else ""})


@require_POST
@process_view(Permission.DECIDE)
def panel_join(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    """A board member with a login puts themself on the panel to enter their own weights and scores."""
    user = access.membership.user
    try:
        panellist = services.panellist_create(process=access.process, actor=user,
                                              name=user.get_full_name() or user.get_username(), user=user)
    except ValidationError as error:
        errors_to_messages(request, error)
        return redirect("strategy:panel", access.process.slug)
    return redirect("strategy:weights_member", access.process.slug, panellist.pk)


@process_view(Permission.VIEW)
def weights_member(request: HttpRequest, access: ProcessAccess, panellist_id: int) -> HttpResponse:
    panellist = get_object_or_404(Panellist, pk=panellist_id, process=access.process)
    may_enter = _may_enter_for(access, panellist)
    criteria = list(Criterion.objects.filter(process=access.process))
    weighting = getattr(panellist, "weighting", None)
    points_initial: dict[str, Any] = {"method": weighting.method if weighting and weighting.method != WeightMethod.AHP
                                      else WeightMethod.DIRECT}
    pair_initial: dict[str, Any] = {}
    if weighting is not None:
        points_initial.update({f"points_{key}": value for key, value in weighting.points.items()})
        pair_initial = PairwiseForm.initial_for(criteria, weighting.judgements)
    posted = request.POST if request.method == "POST" else None
    points_form = PointsForm(posted if posted and "points" in posted else None, criteria=criteria,
                             initial=points_initial, prefix="points")
    pairwise_form = PairwiseForm(posted if posted and "pairwise" in posted else None, criteria=criteria,
                                 initial=pair_initial, prefix="ahp")
    if posted is not None:
        if not may_enter:
            raise PermissionDenied
        form: PointsForm | PairwiseForm = points_form if "points" in posted else pairwise_form
        if form.is_valid():
            try:
                if isinstance(form, PointsForm):
                    services.weighting_save(panellist=panellist, actor=request.user,
                                            method=form.cleaned_data["method"], points=form.points())
                else:
                    services.weighting_save(panellist=panellist, actor=request.user, method=WeightMethod.AHP,
                                            judgements=form.judgements())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your weights are saved."))
                return redirect("strategy:weights_member", access.process.slug, panellist.pk)
    result = selectors.member_weights(panellist, criteria)
    return render(request, "strategy/weights_member.html", {
        "access": access, "tab": "weights", "panellist": panellist, "may_enter": may_enter, "criteria": criteria,
        "points_form": points_form, "pairwise_form": pairwise_form, "result": result,
        "pairs": tables.pair_rows(pairwise_form, result), "method": weighting.method if weighting else "",
        "member_chart": charts.member_weights_chart(criteria, result)})


@process_view(Permission.VIEW)
def scores_member(request: HttpRequest, access: ProcessAccess, panellist_id: int, option_id: int | None = None
                  ) -> HttpResponse:
    panellist = get_object_or_404(Panellist, pk=panellist_id, process=access.process)
    options = list(selectors.options(access.process))
    if not options:
        return redirect("strategy:overview", access.process.slug)
    option = next((item for item in options if item.pk == option_id), options[0])
    criteria = list(Criterion.objects.filter(process=access.process))
    mine = selectors.scores_of(panellist)
    initial: dict[str, Any] = {}
    for criterion in criteria:
        score = mine.get((option.pk, criterion.pk))
        if score is not None:
            initial.update({f"value_{criterion.pk}": score.value, f"reason_{criterion.pk}": score.reason,
                            f"findings_{criterion.pk}": list(score.findings.all()),
                            f"evidence_{criterion.pk}": list(score.evidence.all())})
    may_enter = _may_enter_for(access, panellist)
    form = ScoreForm(request.POST or None, criteria=criteria, process=access.process, initial=initial)
    if request.method == "POST":
        if not may_enter:
            raise PermissionDenied
        if form.is_valid():
            scored = services.option_scores_save(panellist=panellist, actor=request.user, option=option,
                                                 entries=form.entries())
            messages.success(request, _("%(count)s of %(total)s scores saved for %(option)s.")
                             % {"count": scored, "total": len(criteria), "option": option.title})
            following = options[(options.index(option) + 1) % len(options)]
            return redirect("strategy:scores_member_option", access.process.slug, panellist.pk, following.pk)
    tabs = [(item, sum((item.pk, criterion.pk) in mine for criterion in criteria)) for item in options]
    return render(request, "strategy/scores_member.html", {
        "access": access, "tab": "scores", "panellist": panellist, "option": option, "options": options,
        "tabs": tabs, "criteria": criteria, "form": form, "may_enter": may_enter})


@process_view(Permission.VIEW)
def scores(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    """The panel's scores: the mean and spread per option and criterion, and which scores are still missing."""
    bench = selectors.workbench(access.process)
    return render(request, "strategy/scores.html", {
        "access": access, "tab": "scores", "bench": bench, "grid": tables.score_grid(bench),
        "heatmap": charts.scores_heatmap(bench), "missing": tables.missing_scores(bench),
        "me": selectors.panellist_for(access.process, request.user)})


@process_view(Permission.VIEW)
def results(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    bench = selectors.workbench(access.process)
    rankings = selectors.rankings(bench)
    return render(request, "strategy/results.html", {
        "access": access, "tab": "results", "bench": bench, "rankings": rankings,
        "table": tables.ranking_table(bench, rankings),
        "labelled": [(tables.METHOD_LABELS[ranking.method], ranking, tables.METHOD_EXPLANATIONS[ranking.method])
                     for ranking in rankings],
        "group_explanation": tables.group_weights_explanation(bench.group) if bench.group else "",
        "ranking_chart": charts.ranking_chart(bench, rankings[0]) if rankings else None})


@process_view(Permission.VIEW)
def robustness(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    bench = selectors.workbench(access.process)
    result = selectors.robustness(bench)
    scenario_state = selectors.scenarios(access.process, bench.option_keys)
    return render(request, "strategy/robustness.html", {
        "access": access, "tab": "robustness", "bench": bench, "result": result,
        "view": tables.robustness_view(bench, result) if result else None,
        "explanations": tables.robustness_explanations(result) if result else [],
        "smaa_chart": charts.smaa_chart(bench, result) if result else None,
        "scenarios": tables.scenario_view(bench, scenario_state), "scenario_form": ScenarioForm()})


@require_POST
@process_view(Permission.DECIDE)
def scenario_add(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = ScenarioForm(request.POST)
    if form.is_valid():
        try:
            services.scenario_create(process=access.process, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_to_messages(request, error)
    else:
        messages.error(request, _("Name the scenario."))
    return redirect("strategy:robustness", access.process.slug)


@require_POST
@process_view(Permission.DECIDE)
def scenario_scores(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    bench = selectors.workbench(access.process)
    state = selectors.scenarios(access.process, bench.option_keys)
    values: dict[tuple[StrategyOption, Any], int | None] = {}
    for option in bench.options:
        for scenario in state.scenarios:
            text = request.POST.get(f"scenario_{option.pk}_{scenario.pk}", "")
            values[(option, scenario)] = whole_number(text)
    try:
        services.scenario_scores_save(process=access.process, actor=request.user, values=values)
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(request, _("Saved."))
    return redirect("strategy:robustness", access.process.slug)


# --- the decision ----------------------------------------------------------------------------------------------------


@process_view(Permission.VIEW)
def decisions(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = DecisionForm(request.POST or None, process=access.process)
    if request.method == "POST":
        if not access.can_decide:
            raise PermissionDenied
        if form.is_valid():
            try:
                decision = services.decision_create(process=access.process, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("strategy:decision_detail", access.process.slug, decision.pk)
    return render(request, "strategy/decisions.html", {
        "access": access, "tab": "decision", "decisions": selectors.decisions(access.process), "form": form})


@process_view(Permission.VIEW)
def decision_detail(request: HttpRequest, access: ProcessAccess, decision_id: int) -> HttpResponse:
    decision = get_object_or_404(selectors.decisions(access.process), pk=decision_id)
    form = DecisionForm(request.POST or None, instance=decision, process=access.process)
    if request.method == "POST":
        if not access.can_decide:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.decision_update(decision=decision, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("strategy:decision_detail", access.process.slug, decision.pk)
    record = decision.record if decision.signed and decision.record else selectors.decision_record(decision)
    return render(request, "strategy/decision_detail.html", {
        "access": access, "tab": "decision", "decision": decision, "form": form,
        "record": record, "shown": tables.record_view(record),
        "intact": selectors.decision_intact(decision) if decision.signed else None,
        "replaced_by": getattr(decision, "replaced_by", None),
        "dissent_form": DissentForm(prefix="dissent"), "goal_form": GoalForm(prefix="goal")})


@require_POST
@process_view(Permission.DECIDE)
def decision_part_add(request: HttpRequest, access: ProcessAccess, decision_id: int, part: str) -> HttpResponse:
    decision = get_object_or_404(selectors.decisions(access.process), pk=decision_id)
    form: DissentForm | GoalForm = (DissentForm(request.POST, prefix="dissent") if part == "dissent"
                                    else GoalForm(request.POST, prefix="goal"))
    if not form.is_valid():
        messages.error(request, _("Fill in every field."))
    else:
        try:
            if isinstance(form, DissentForm):
                services.dissent_add(decision=decision, actor=request.user, **form.cleaned_data)
            else:
                services.goal_add(decision=decision, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_to_messages(request, error)
    return redirect("strategy:decision_detail", access.process.slug, decision.pk)


@require_POST
@process_view(Permission.DECIDE)
def dissent_remove(request: HttpRequest, access: ProcessAccess, dissent_id: int) -> HttpResponse:
    return _part_remove(request, get_object_or_404(Dissent, pk=dissent_id, decision__process=access.process))


@require_POST
@process_view(Permission.DECIDE)
def goal_remove(request: HttpRequest, access: ProcessAccess, goal_id: int) -> HttpResponse:
    return _part_remove(request, get_object_or_404(FollowUpGoal, pk=goal_id, decision__process=access.process))


def _part_remove(request: HttpRequest, part: Dissent | FollowUpGoal) -> HttpResponse:
    try:
        services.decision_part_remove(part=part, actor=request.user)
    except ValidationError as error:
        errors_to_messages(request, error)
    return redirect("strategy:decision_detail", part.decision.process.slug, part.decision_id)


@require_POST
@process_view(Permission.DECIDE)
def decision_sign(request: HttpRequest, access: ProcessAccess, decision_id: int) -> HttpResponse:
    decision = get_object_or_404(selectors.decisions(access.process), pk=decision_id)
    try:
        services.decision_sign_off(decision=decision, actor=request.user,
                                   record=selectors.decision_record(decision))
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(request, _("The decision is signed off and frozen."))
    return redirect("strategy:decision_detail", access.process.slug, decision.pk)


@require_POST
@process_view(Permission.DECIDE)
def decision_replace(request: HttpRequest, access: ProcessAccess, decision_id: int) -> HttpResponse:
    decision = get_object_or_404(selectors.decisions(access.process), pk=decision_id)
    try:
        draft = services.decision_replace(decision=decision, actor=request.user)
    except ValidationError as error:
        errors_to_messages(request, error)
        return redirect("strategy:decision_detail", access.process.slug, decision.pk)
    messages.success(request, _("A new decision is drafted; it replaces the earlier one once signed off."))
    return redirect("strategy:decision_detail", access.process.slug, draft.pk)


# --- validation with stakeholders ------------------------------------------------------------------------------------


@process_view(Permission.VIEW)
def validation(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    """What stakeholders say about each option's conditions, beside the board's ranking."""
    bench = selectors.workbench(access.process)
    cards = tables.validation_view(bench, selectors.validation_results(access.process), selectors.rankings(bench),
                                   selectors.conditions(access.process))
    return render(request, "strategy/validation.html", {
        "access": access, "tab": "validation", "cards": cards, "chart": charts.agreement_chart(cards),
        "rounds": ValidationRound.objects.filter(process=access.process).select_related("survey"),
        "survey_form": ValidationSurveyForm(prefix="survey"), "workshop_form": WorkshopForm(prefix="workshop")})


@require_POST
@process_view(Permission.DECIDE)
def validation_survey_create(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = ValidationSurveyForm(request.POST, prefix="survey")
    if not form.is_valid():
        messages.error(request, _("Give the survey a title."))
        return redirect("strategy:validation", access.process.slug)
    try:
        made = services.validation_survey_create(process=access.process, actor=request.user,
                                                 title=form.cleaned_data["title"])
    except ValidationError as error:
        errors_to_messages(request, error)
        return redirect("strategy:validation", access.process.slug)
    messages.success(request, _("The validation survey is made. Add recipients, publish it and send it as any "
                                "other survey."))
    return redirect("surveys:detail", access.process.slug, made.survey_id)


@process_view(Permission.DECIDE)
def workshop_create(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = WorkshopForm(request.POST or None, prefix="workshop")
    if request.method == "POST" and form.is_valid():
        try:
            workshop = services.validation_workshop_record(process=access.process, actor=request.user,
                                                           **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("strategy:workshop_detail", access.process.slug, workshop.pk)
    return render(request, "strategy/workshop_form.html", {"access": access, "tab": "validation", "form": form})


@process_view(Permission.VIEW)
def workshop_detail(request: HttpRequest, access: ProcessAccess, round_id: int) -> HttpResponse:
    workshop = get_object_or_404(ValidationRound, pk=round_id, process=access.process,
                                 kind=ValidationKind.WORKSHOP)
    condition_list = [condition for items in selectors.conditions(access.process).values() for condition in items]
    initial = WorkshopResultsForm.initial_for(condition_list, workshop.participants,
                                              selectors.workshop_agreement(workshop))
    posted = request.POST if request.method == "POST" else None
    form = WorkshopResultsForm(posted if posted and "results" in posted else None, conditions=condition_list,
                               participants=workshop.participants, initial=initial)
    comment_form = WorkshopCommentForm(posted if posted and "comment" in posted else None, process=access.process,
                                       prefix="comment")
    if posted is not None:
        if not access.can_decide:
            raise PermissionDenied
        target: WorkshopResultsForm | WorkshopCommentForm = form if "results" in posted else comment_form
        if target.is_valid():
            try:
                if isinstance(target, WorkshopResultsForm):
                    services.workshop_results_save(workshop=workshop, actor=request.user, agreed=target.agreed())
                else:
                    services.workshop_comment_add(workshop=workshop, actor=request.user, **target.cleaned_data)
            except ValidationError as error:
                add_service_errors(target, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("strategy:workshop_detail", access.process.slug, workshop.pk)
    return render(request, "strategy/workshop_detail.html", {
        "access": access, "tab": "validation", "workshop": workshop, "form": form, "comment_form": comment_form,
        "comments": workshop.comments.select_related("option")})
