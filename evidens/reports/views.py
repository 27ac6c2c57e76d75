from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from evidens.core.forms import add_service_errors
from evidens.core.middleware import allow_inline_style
from evidens.processes.access import Permission, ProcessAccess, process_view
from evidens.reports import builders, selectors, services
from evidens.reports import render as report_render
from evidens.reports.document import Document
from evidens.reports.forms import PublicationForm, ReportForm
from evidens.reports.models import BuildStatus, Publication, ReportBuild, ReportFormat, ReportKind
from evidens.surveys.models import Survey

CONTENT_TYPES = {ReportFormat.HTML: "text/html; charset=utf-8", ReportFormat.PDF: "application/pdf",
                 ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def _may_build(access: ProcessAccess) -> bool:
    """The secretariat, the analysts and the board build reports; everyone in the process reads them."""
    return access.can_analyse or access.can_decide


@process_view(Permission.VIEW)
def report_list(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = ReportForm(request.POST or None, process=access.process, may_name=access.can_manage)
    if request.method == "POST":
        if not _may_build(access):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.report_build_request(process=access.process, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("reports:list", access.process.slug)
    return render(request, "reports/list.html", {
        "access": access, "form": form, "builds": selectors.builds(access.process), "may_build": _may_build(access),
        "kinds": ReportKind.choices, "running": [BuildStatus.QUEUED, BuildStatus.RUNNING]})


@process_view(Permission.VIEW)
def report_preview(request: HttpRequest, access: ProcessAccess, kind: str) -> HttpResponse:
    """The report as it would be built now, as a page in the browser."""
    document = (builders.knowledge_report(access.process) if kind == ReportKind.KNOWLEDGE
                else builders.decision_memo(access.process))
    return _report_page(document)


@process_view(Permission.VIEW)
def survey_preview(request: HttpRequest, access: ProcessAccess, survey_id: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=survey_id, process=access.process)
    document = builders.survey_report(survey, by=request.GET.get("by", ""))
    return _report_page(document)


def _report_page(document: Document) -> HttpResponse:
    """A report as a page: self-contained, with its own stylesheet, which the page's security policy allows."""
    response = HttpResponse(report_render.render_html(document), content_type=CONTENT_TYPES[ReportFormat.HTML])
    allow_inline_style(response, report_render.style_text())
    return response


@process_view(Permission.VIEW)
def report_download(request: HttpRequest, access: ProcessAccess, build_id: int) -> HttpResponse:
    build = get_object_or_404(ReportBuild, pk=build_id, process=access.process, status=BuildStatus.DONE)
    # Always as a download: a built report is a document to keep, not a page of this site.
    response = FileResponse(build.file.open("rb"), as_attachment=True, filename=build.filename,
                            content_type=CONTENT_TYPES[ReportFormat(build.file_format)])
    return cast(HttpResponse, response)  # streamed: process_view passes any response on


@process_view(Permission.MANAGE)
def publication_edit(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    """The secretariat chooses the findings and whether the chosen strategy is shown to members."""
    current = Publication.objects.filter(process=access.process).first()
    initial = {"published": current.published, "intro": current.intro, "findings": current.findings.all(),
               "include_decision": current.include_decision} if current else {}
    form = PublicationForm(request.POST or None, process=access.process, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_save(process=access.process, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("reports:publication", access.process.slug)
    return render(request, "reports/publication.html", {
        "access": access, "form": form, "publication": current,
        "public_url": request.build_absolute_uri(reverse("public_page", args=[current.token])) if current else ""})


def public_page(request: HttpRequest, token: str) -> HttpResponse:
    """The members' page: no login, no personal data, only what the secretariat published."""
    page = selectors.public_page(token)
    if page is None:
        raise Http404
    return render(request, "reports/public.html", {"page": page})
