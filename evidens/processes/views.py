from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evidens.core.forms import add_service_errors
from evidens.processes import charts, selectors, services
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
from evidens.processes.models import BudgetLine, Membership, Milestone, Phase, SteeringGroupSeat


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
        "budget_chart": charts.budget_chart(list(selectors.budget_lines(process))),
        "timeline_chart": charts.timeline_chart(phases, today=timezone.localdate()),
    })


@process_view(Permission.MANAGE)
def facts_edit(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = ProcessFactsForm(request.POST or None, instance=access.process)
    if request.method == "POST" and form.is_valid():
        # The ModelForm has written the values onto its instance; the service saves a fresh copy and audits.
        fresh = type(access.process).objects.get(pk=access.process.pk)
        try:
            services.process_update(process=fresh, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
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
def milestone_set(request: HttpRequest, access: ProcessAccess, milestone_id: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone, phase__process=access.process, pk=milestone_id)
    # The wanted state, not a flip: a double click must not undo itself.
    reached = request.POST.get("reached") == "true"
    if reached != milestone.reached:
        services.milestone_set_reached(milestone=milestone, actor=request.user, reached=reached)
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
        try:
            membership = services.team_member_add(process=access.process, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(user)s is now on the team.") % {"user": membership.user})
            return redirect("processes:team", access.process.slug)
    return render(request, "processes/team.html", {
        "access": access, "form": form, "members": selectors.team(access.process), "role_form": RoleForm(),
    })


@require_POST
@process_view(Permission.MANAGE)
def member_role(request: HttpRequest, access: ProcessAccess, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(Membership, process=access.process, pk=membership_id)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_change(process=access.process, actor=request.user, user=membership.user,
                                       role=form.cleaned_data["role"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The role was changed."))
    return redirect("processes:team", access.process.slug)


@require_POST
@process_view(Permission.MANAGE)
def member_remove(request: HttpRequest, access: ProcessAccess, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(Membership, process=access.process, pk=membership_id)
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
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


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "processes/home.html", {"memberships": selectors.processes_for_user(request.user)})
