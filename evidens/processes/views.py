from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evidens.charts import specs
from evidens.processes import selectors, services
from evidens.processes.access import Permission, ProcessAccess, process_view
from evidens.processes.forms import (
    BudgetLineForm,
    MemberAddForm,
    MilestoneForm,
    PhaseForm,
    ProcessFactsForm,
    RoleForm,
    SteeringSeatForm,
)
from evidens.processes.models import BudgetLine, Membership, Milestone, Phase, SteeringGroupSeat, StrategyProcess


def _budget_chart(process: StrategyProcess) -> dict[str, object]:
    rows = [specs.BudgetRow(line.category, line.budgeted, line.spent) for line in selectors.budget_lines(process)]
    return specs.budget_bars(rows, labels=specs.ChartLabels(
        description=_("Budgeted and spent amount for each budget category, in DKK."),
        x=_("DKK"),
        legend=_("Amount"),
        names={"budgeted": _("Budgeted"), "spent": _("Spent")},
    ), locale=specs.locale_for(get_language()))


def _timeline_chart(phases: list[Phase]) -> dict[str, object] | None:
    rows = [
        specs.PhaseRow(phase.name, phase.start_date, phase.end_date, phase.state, phase.get_state_display())
        for phase in phases
        if phase.start_date and phase.end_date
    ]
    if not rows:
        return None
    today = timezone.localdate()
    # A marker for today far outside the phases would squeeze them into a sliver of the axis.
    shown_today = today if min(row.start for row in rows) <= today <= max(row.end for row in rows) else None
    return specs.phase_timeline(rows, labels=specs.ChartLabels(
        description=_("The phases of the process on a time line, coloured by state."),
        legend=_("State"),
        names={"today": _("Today")},
    ), today=shown_today, locale=specs.locale_for(get_language()))


@process_view(Permission.VIEW)
def dashboard(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    process = access.process
    phases = list(selectors.phases_with_milestones(process))
    return render(request, "processes/dashboard.html", {
        "access": access,
        "process": process,
        "budget": selectors.budget_summary(process),
        "phases": phases,
        "steering_group": selectors.steering_group(process),
        "team": selectors.team(process),
        "activity": selectors.recent_activity(process) if access.can_manage else [],
        "budget_chart": _budget_chart(process) if process.budget_lines.exists() else None,
        "timeline_chart": _timeline_chart(phases),
    })


@process_view(Permission.MANAGE)
def facts_edit(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = ProcessFactsForm(request.POST or None, instance=access.process)
    if request.method == "POST" and form.is_valid():
        # The ModelForm has written the values onto the instance; the service validates, saves and audits.
        fresh = type(access.process).objects.get(pk=access.process.pk)
        services.process_update(process=fresh, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The process facts were saved."))
        return redirect("processes:dashboard", access.process.slug)
    return render(request, "processes/facts_form.html", {"access": access, "form": form})


@process_view(Permission.MANAGE)
def phases(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    return render(request, "processes/phases.html", {
        "access": access,
        "phases": selectors.phases_with_milestones(access.process),
        "milestone_form": MilestoneForm(),
        "phase_form": PhaseForm(),
    })


@process_view(Permission.MANAGE)
def phase_add(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = PhaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.phase_add(process=access.process, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The phase was added."))
        return redirect("processes:phases", access.process.slug)
    return render(request, "processes/form_page.html", {
        "access": access, "form": form, "title": _("Add phase"),
    })


@process_view(Permission.MANAGE)
def phase_edit(request: HttpRequest, access: ProcessAccess, phase_id: int) -> HttpResponse:
    phase = get_object_or_404(Phase, process=access.process, pk=phase_id)
    form = PhaseForm(request.POST or None, instance=Phase.objects.get(pk=phase.pk))
    if request.method == "POST" and form.is_valid():
        services.phase_update(phase=phase, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The phase was saved."))
        return redirect("processes:phases", access.process.slug)
    return render(request, "processes/form_page.html", {
        "access": access, "form": form, "title": _("Edit phase: %(name)s") % {"name": phase.name},
    })


@require_POST
@process_view(Permission.MANAGE)
def milestone_add(request: HttpRequest, access: ProcessAccess, phase_id: int) -> HttpResponse:
    phase = get_object_or_404(Phase, process=access.process, pk=phase_id)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        services.milestone_add(phase=phase, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The milestone was added."))
    else:
        messages.error(request, _("The milestone needs a name and a date."))
    return redirect("processes:phases", access.process.slug)


@require_POST
@process_view(Permission.MANAGE)
def milestone_toggle(request: HttpRequest, access: ProcessAccess, milestone_id: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone, phase__process=access.process, pk=milestone_id)
    services.milestone_set_reached(milestone=milestone, actor=request.user, reached=not milestone.reached)
    return redirect("processes:phases", access.process.slug)


@process_view(Permission.MANAGE)
def budget(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = BudgetLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.budget_line_save(process=access.process, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The budget line was added."))
        return redirect("processes:budget", access.process.slug)
    return render(request, "processes/budget.html", {
        "access": access,
        "form": form,
        "lines": selectors.budget_lines(access.process),
        "summary": selectors.budget_summary(access.process),
    })


@process_view(Permission.MANAGE)
def budget_line_edit(request: HttpRequest, access: ProcessAccess, line_id: int) -> HttpResponse:
    line = get_object_or_404(BudgetLine, process=access.process, pk=line_id)
    form = BudgetLineForm(request.POST or None, instance=BudgetLine.objects.get(pk=line.pk))
    if request.method == "POST" and form.is_valid():
        services.budget_line_save(process=access.process, actor=request.user, line=line, **form.cleaned_data)
        messages.success(request, _("The budget line was saved."))
        return redirect("processes:budget", access.process.slug)
    return render(request, "processes/form_page.html", {
        "access": access, "form": form, "title": _("Edit budget line"),
    })


@require_POST
@process_view(Permission.MANAGE)
def budget_line_delete(request: HttpRequest, access: ProcessAccess, line_id: int) -> HttpResponse:
    line = get_object_or_404(BudgetLine, process=access.process, pk=line_id)
    services.budget_line_delete(line=line, actor=request.user)
    messages.success(request, _("The budget line was removed."))
    return redirect("processes:budget", access.process.slug)


@process_view(Permission.MANAGE)
def steering_group(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = SteeringSeatForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.steering_seat_add(process=access.process, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The seat was added to the steering group."))
        return redirect("processes:steering_group", access.process.slug)
    return render(request, "processes/steering_group.html", {
        "access": access, "form": form, "seats": selectors.steering_group(access.process),
    })


@require_POST
@process_view(Permission.MANAGE)
def steering_seat_delete(request: HttpRequest, access: ProcessAccess, seat_id: int) -> HttpResponse:
    seat = get_object_or_404(SteeringGroupSeat, process=access.process, pk=seat_id)
    services.steering_seat_delete(seat=seat, actor=request.user)
    messages.success(request, _("The seat was removed from the steering group."))
    return redirect("processes:steering_group", access.process.slug)


@process_view(Permission.MANAGE)
def team(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = get_user_model().objects.filter(username=data["username"]).first()
        if user is None:
            user = services.user_create(username=data["username"], password=data["password"], email=data["email"],
                                        first_name=data["first_name"], last_name=data["last_name"])
        services.membership_set(process=access.process, actor=request.user, user=user, role=data["role"])
        messages.success(request, _("%(user)s is now on the team.") % {"user": user})
        return redirect("processes:team", access.process.slug)
    return render(request, "processes/team.html", {
        "access": access, "form": form, "members": selectors.team(access.process), "role_form": RoleForm(),
    })


@require_POST
@process_view(Permission.MANAGE)
def member_role(request: HttpRequest, access: ProcessAccess, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(Membership, process=access.process, pk=membership_id)
    form = RoleForm(request.POST)
    if membership.user_id == request.user.pk:
        messages.error(request, _("You cannot change your own role."))
    elif form.is_valid():
        services.membership_set(process=access.process, actor=request.user, user=membership.user,
                                role=form.cleaned_data["role"])
        messages.success(request, _("The role was changed."))
    return redirect("processes:team", access.process.slug)


@require_POST
@process_view(Permission.MANAGE)
def member_remove(request: HttpRequest, access: ProcessAccess, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(Membership, process=access.process, pk=membership_id)
    if membership.user_id == request.user.pk:
        messages.error(request, _("You cannot remove yourself from the process."))
    else:
        services.membership_remove(membership=membership, actor=request.user)
        messages.success(request, _("The member was removed."))
    return redirect("processes:team", access.process.slug)


@process_view(Permission.MANAGE)
def audit(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    page = Paginator(selectors.audit_entries(access.process), 50).get_page(request.GET.get("page"))
    return render(request, "processes/audit.html", {"access": access, "page": page})


@process_view(Permission.ANALYSE)
def jobs(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    return render(request, "processes/jobs.html", {"access": access, "jobs": selectors.jobs(access.process)[:100]})


@process_view(Permission.ANALYSE)
def job(request: HttpRequest, access: ProcessAccess, job_id: int) -> HttpResponse:
    job = get_object_or_404(selectors.jobs(access.process), pk=job_id)
    template = "processes/_job.html" if request.headers.get("HX-Request") else "processes/job.html"
    return render(request, template, {"access": access, "job": job})
