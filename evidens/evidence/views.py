from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evidens.core.feedback import errors_to_messages
from evidens.core.forms import add_service_errors
from evidens.core.numbers import whole_number
from evidens.evidence import selectors, services
from evidens.evidence.forms import (
    AssumptionForm,
    AssumptionImportForm,
    ChallengeForm,
    EvidenceLinkForm,
    FindingForm,
    FindingLinkForm,
    NeedForm,
    QuickAssumptionForm,
    VerdictForm,
)
from evidens.evidence.models import Assumption, Channel, EvidenceItem, Finding
from evidens.processes.access import Permission, ProcessAccess, process_view


@process_view(Permission.VIEW)
def item_list(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    channel = request.GET.get("channel", "")
    channel = channel if channel in Channel.values else ""
    return render(request, "evidence/item_list.html", {
        "access": access, "tab": "items", "items": selectors.evidence_items(process=access.process, channel=channel),
        "channels": Channel.choices, "channel": channel})


@process_view(Permission.VIEW)
def item_detail(request: HttpRequest, access: ProcessAccess, item_id: int) -> HttpResponse:
    item = get_object_or_404(EvidenceItem, pk=item_id, process=access.process)
    return render(request, "evidence/item_detail.html", {
        "access": access, "tab": "items", "item": item, "versions": selectors.versions_of(item),
        "cited_by": selectors.citing_findings(item), "counting": selectors.counting(item)})


# ---------------------------------------------------------------------------------------------
# The evidence base: workshop, assumptions, findings, needs, triangulation
# ---------------------------------------------------------------------------------------------


@process_view(Permission.VIEW)
def workshop(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    """The board workshop: challenges with their assumptions, fast entry, order and import."""
    quick = QuickAssumptionForm(request.POST or None, process=access.process, prefix="quick")
    if request.method == "POST":
        if not access.can_decide:
            return HttpResponse(status=403)
        if quick.is_valid():
            try:
                services.assumption_create(process=access.process, actor=request.user,
                                           statement=quick.cleaned_data["statement"],
                                           challenge=quick.cleaned_data["challenge"],
                                           importance=quick.cleaned_data["importance"])
            except ValidationError as error:
                add_service_errors(quick, error)
            else:
                messages.success(request, _("Assumption added."))
                return redirect("evidence:workshop", access.process.slug)
    return render(request, "evidence/workshop.html", {
        "access": access, "tab": "workshop", "quick": quick, "challenge_form": ChallengeForm(prefix="challenge"),
        "import_form": AssumptionImportForm(), "challenges": selectors.challenges(access.process),
        "loose": selectors.assumptions(access.process).filter(challenge__isnull=True)})


@require_POST
@process_view(Permission.DECIDE)
def challenge_add(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = ChallengeForm(request.POST, prefix="challenge")
    if form.is_valid():
        try:
            services.challenge_create(process=access.process, actor=request.user, title=form.cleaned_data["title"])
        except ValidationError as error:
            errors_to_messages(request, error)
    return redirect("evidence:workshop", access.process.slug)


@require_POST
@process_view(Permission.DECIDE)
def assumption_move(request: HttpRequest, access: ProcessAccess, assumption_id: int) -> HttpResponse:
    assumption = get_object_or_404(Assumption, pk=assumption_id, process=access.process)
    services.assumption_move(assumption=assumption, actor=request.user,
                             steps=-1 if request.POST.get("direction") == "up" else 1)
    return redirect(f"{reverse('evidence:workshop', args=[access.process.slug])}#assumption-{assumption.pk}")


@require_POST
@process_view(Permission.DECIDE)
def assumption_delete(request: HttpRequest, access: ProcessAccess, assumption_id: int) -> HttpResponse:
    assumption = get_object_or_404(Assumption, pk=assumption_id, process=access.process)
    services.assumption_delete(assumption=assumption, actor=request.user)
    messages.success(request, _("The assumption is deleted; its findings are kept."))
    return redirect("evidence:workshop", access.process.slug)


@require_POST
@process_view(Permission.DECIDE)
def assumptions_import(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = AssumptionImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV or XLSX file."))
        return redirect("evidence:workshop", access.process.slug)
    upload = form.cleaned_data["file"]
    try:
        made = services.assumptions_import(process=access.process, actor=request.user, content=upload.read(),
                                           filename=upload.name or "antagelser.csv")
    except ValidationError as error:
        messages.error(request, _("Nothing was imported:"))
        errors_to_messages(request, error)
    else:
        messages.success(request, _("%(count)s assumptions imported.") % {"count": len(made)})
    return redirect("evidence:workshop", access.process.slug)


@process_view(Permission.VIEW)
def assumption_detail(request: HttpRequest, access: ProcessAccess, assumption_id: int) -> HttpResponse:
    assumption = get_object_or_404(selectors.assumptions(access.process), pk=assumption_id)
    form = AssumptionForm(request.POST or None, instance=assumption, process=access.process)
    if request.method == "POST":
        if not access.can_decide:
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                services.assumption_update(assumption=Assumption.objects.get(pk=assumption.pk), actor=request.user,
                                           **{name: form.cleaned_data[name] for name in form.Meta.fields})
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("evidence:assumption_detail", access.process.slug, assumption.pk)
    return render(request, "evidence/assumption_detail.html", {
        "access": access, "tab": "review", "assumption": assumption, "form": form,
        "review": selectors.assumption_review(assumption), "links": selectors.assumption_findings(assumption),
        "link_form": FindingLinkForm(process=access.process), "verdict_form": VerdictForm(),
        "history": selectors.verdict_history(assumption)})


@require_POST
@process_view(Permission.ANALYSE)
def assumption_link(request: HttpRequest, access: ProcessAccess, assumption_id: int) -> HttpResponse:
    assumption = get_object_or_404(Assumption, pk=assumption_id, process=access.process)
    remove = whole_number(request.POST.get("remove", ""))
    if remove is not None:
        link = get_object_or_404(assumption.finding_links, pk=remove)
        services.assumption_finding_unlink(link=link, actor=request.user)
    else:
        form = FindingLinkForm(request.POST, process=access.process)
        if form.is_valid():
            services.assumption_finding_link(assumption=assumption, actor=request.user,
                                             finding=form.cleaned_data["finding"], stance=form.cleaned_data["stance"],
                                             note=form.cleaned_data["note"])
            messages.success(request, _("The finding is linked."))
        else:
            messages.error(request, _("Choose a finding and whether it supports or contradicts the assumption."))
    return redirect("evidence:assumption_detail", access.process.slug, assumption.pk)


@require_POST
@process_view(Permission.DECIDE)
def verdict_set(request: HttpRequest, access: ProcessAccess, assumption_id: int) -> HttpResponse:
    assumption = get_object_or_404(Assumption, pk=assumption_id, process=access.process)
    form = VerdictForm(request.POST)
    if form.is_valid():
        services.verdict_set(assumption=assumption, actor=request.user, verdict=form.cleaned_data["verdict"],
                             reason=form.cleaned_data["reason"],
                             proposed=selectors.assumption_review(assumption).proposal.verdict)
        messages.success(request, _("The verdict is saved."))
    else:
        messages.error(request, _("Choose a verdict and write the reason for it."))
    return redirect("evidence:assumption_detail", access.process.slug, assumption.pk)


@process_view(Permission.VIEW)
def assumptions_review(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    """Antagelser mod fakta: every assumption, its verdict, the strongest evidence for and against."""
    return render(request, "evidence/review.html", {
        "access": access, "tab": "review", "reviews": selectors.assumption_reviews(access.process),
        "channels": dict(Channel.choices)})


@process_view(Permission.VIEW)
def finding_list(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = FindingForm(request.POST or None)
    if request.method == "POST":
        if not access.can_analyse:
            return HttpResponse(status=403)
        if form.is_valid():
            finding = services.finding_create(process=access.process, actor=request.user,
                                              statement=form.cleaned_data["statement"], segments=form.segments,
                                              status=form.cleaned_data["status"])
            return redirect("evidence:finding_detail", access.process.slug, finding.pk)
    return render(request, "evidence/finding_list.html", {
        "access": access, "tab": "findings", "form": form, "channels": Channel.labels,
        "rows": [(finding, row, [row.cells[channel] for channel in Channel.values])
                 for finding, row in selectors.triangulation(access.process)]})


@process_view(Permission.VIEW)
def finding_detail(request: HttpRequest, access: ProcessAccess, finding_id: int) -> HttpResponse:
    finding = get_object_or_404(selectors.findings(access.process), pk=finding_id)
    form = FindingForm(request.POST or None, instance=finding)
    if request.method == "POST":
        if not access.can_analyse:
            return HttpResponse(status=403)
        if form.is_valid():
            services.finding_update(finding=Finding.objects.get(pk=finding.pk), actor=request.user,
                                    statement=form.cleaned_data["statement"], segments=form.segments,
                                    status=form.cleaned_data["status"])
            messages.success(request, _("Saved."))
            return redirect("evidence:finding_detail", access.process.slug, finding.pk)
    return render(request, "evidence/finding_detail.html", {
        "access": access, "tab": "findings", "finding": finding, "form": form,
        "link_form": EvidenceLinkForm(process=access.process),
        "strength": selectors.finding_strength(finding),
        "assumption_links": finding.assumption_links.select_related("assumption"),
        "needs": finding.needs.all(), "channels": dict(Channel.choices)})


@require_POST
@process_view(Permission.ANALYSE)
def finding_link(request: HttpRequest, access: ProcessAccess, finding_id: int) -> HttpResponse:
    finding = get_object_or_404(Finding, pk=finding_id, process=access.process)
    remove = whole_number(request.POST.get("remove", ""))
    if remove is not None:
        link = get_object_or_404(finding.links.select_related("item"), pk=remove)
        services.finding_evidence_unlink(link=link, actor=request.user)
    else:
        form = EvidenceLinkForm(request.POST, process=access.process)
        if form.is_valid():
            services.finding_evidence_link(finding=finding, actor=request.user, item=form.cleaned_data["item"],
                                           stance=form.cleaned_data["stance"], note=form.cleaned_data["note"])
            messages.success(request, _("The evidence is linked."))
        else:
            messages.error(request, _("Choose the evidence and its stance."))
    return redirect("evidence:finding_detail", access.process.slug, finding.pk)


@process_view(Permission.VIEW)
def need_list(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = NeedForm(request.POST or None, process=access.process)
    if request.method == "POST":
        if not access.can_analyse:
            return HttpResponse(status=403)
        if form.is_valid():
            services.need_create(process=access.process, actor=request.user, segment=form.cleaned_data["segment"],
                                 statement=form.cleaned_data["statement"], findings=form.cleaned_data["findings"])
            messages.success(request, _("Saved."))
            return redirect("evidence:need_list", access.process.slug)
    return render(request, "evidence/need_list.html", {
        "access": access, "tab": "needs", "form": form, "by_segment": selectors.needs_by_segment(access.process)})
