"""The interview pages under ``/p/<slug>/interviews/``: the plan, one interview with its consent and transcript,
and the guide with its versions. Coding the transcript happens on the coding pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evidens.core.forms import add_service_errors
from evidens.interviews import charts, selectors, services
from evidens.interviews.forms import GuideForm, InterviewForm, TranscriptPasteForm, TranscriptUploadForm
from evidens.interviews.models import Interview, InterviewGuide
from evidens.processes.access import Permission, ProcessAccess, process_view
from evidens.processes.audit import personal_data_viewed

MAX_TRANSCRIPT_BYTES = 20 * 1024 * 1024


def _interview(access: ProcessAccess, interview_id: int) -> Interview:
    return get_object_or_404(selectors.interviews(access.process), pk=interview_id)


@process_view(Permission.VIEW)
def interview_list(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    return render(request, "interviews/list.html", {
        "access": access, "interviews": selectors.interviews(access.process),
        "guide": selectors.current_guide(access.process),
        "chart": charts.plan_chart(selectors.status_counts(access.process))})


@process_view(Permission.ANALYSE)
def interview_new(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = InterviewForm(request.POST or None, process=access.process,
                         initial={"guide": selectors.current_guide(access.process)})
    if request.method == "POST" and form.is_valid():
        try:
            interview = services.interview_create(process=access.process, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Interview planned: %(label)s") % {"label": interview.label})
            return redirect("interviews:detail", access.process.slug, interview.pk)
    return render(request, "interviews/form.html", {"access": access, "form": form})


@process_view(Permission.VIEW)
def detail(request: HttpRequest, access: ProcessAccess, interview_id: int) -> HttpResponse:
    interview = _interview(access, interview_id)
    personal_data_viewed(process=access.process, actor=request.user, obj=interview)
    return _detail_with(request, access, interview)


@process_view(Permission.ANALYSE)
def edit(request: HttpRequest, access: ProcessAccess, interview_id: int) -> HttpResponse:
    interview = _interview(access, interview_id)
    form = InterviewForm(request.POST or None, instance=interview, process=access.process)
    if request.method == "POST" and form.is_valid():
        try:
            services.interview_update(interview=Interview.objects.get(pk=interview.pk), actor=request.user,
                                      **{name: form.cleaned_data[name] for name in form.changed_data})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("interviews:detail", access.process.slug, interview.pk)
    return render(request, "interviews/form.html", {"access": access, "form": form, "interview": interview})


@require_POST
@process_view(Permission.ANALYSE)
def delete(request: HttpRequest, access: ProcessAccess, interview_id: int) -> HttpResponse:
    interview = _interview(access, interview_id)
    services.interview_delete(interview=interview, actor=request.user)
    messages.success(request, _("The interview, its transcript and its codings were deleted."))
    return redirect("interviews:list", access.process.slug)


def _transcript_done(request: HttpRequest, access: ProcessAccess, interview: Interview) -> HttpResponse:
    messages.success(request, _("The transcript was read. Check the import report below."))
    return redirect("interviews:detail", access.process.slug, interview.pk)


def _detail_with(request: HttpRequest, access: ProcessAccess, interview: Interview, *,
                 upload_form: TranscriptUploadForm | None = None,
                 paste_form: TranscriptPasteForm | None = None) -> HttpResponse:
    return render(request, "interviews/detail.html", {
        "access": access, "interview": interview, "upload_form": upload_form or TranscriptUploadForm(),
        "paste_form": paste_form or TranscriptPasteForm()})


@require_POST
@process_view(Permission.ANALYSE)
def transcript_upload(request: HttpRequest, access: ProcessAccess, interview_id: int) -> HttpResponse:
    interview = _interview(access, interview_id)
    form = TranscriptUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_TRANSCRIPT_BYTES:
            form.add_error("file", _("The file is larger than %(megabytes)s MB.")
                           % {"megabytes": MAX_TRANSCRIPT_BYTES // (1024 * 1024)})
        else:
            try:
                services.transcript_upload(interview=interview, actor=request.user, data=upload.read(),
                                           filename=upload.name or "transcript.txt")
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _transcript_done(request, access, interview)
    return _detail_with(request, access, interview, upload_form=form)


@require_POST
@process_view(Permission.ANALYSE)
def transcript_paste(request: HttpRequest, access: ProcessAccess, interview_id: int) -> HttpResponse:
    interview = _interview(access, interview_id)
    form = TranscriptPasteForm(request.POST)
    if form.is_valid():
        try:
            services.transcript_paste(interview=interview, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _transcript_done(request, access, interview)
    return _detail_with(request, access, interview, paste_form=form)


@process_view(Permission.VIEW)
def guide(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    current = selectors.current_guide(access.process)
    form = GuideForm(request.POST) if request.method == "POST" else GuideForm.from_guide(current)
    if request.method == "POST":
        if not access.can_analyse:
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                saved = services.guide_save(process=access.process, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved as version %(version)s.") % {"version": saved.version})
                return redirect("interviews:guide", access.process.slug)
    return render(request, "interviews/guide.html", {
        "access": access, "guide": current, "form": form, "versions": selectors.guides(access.process)})


@process_view(Permission.VIEW)
def guide_version(request: HttpRequest, access: ProcessAccess, version: int) -> HttpResponse:
    shown = get_object_or_404(InterviewGuide, process=access.process, version=version)
    return render(request, "interviews/guide.html", {
        "access": access, "guide": shown, "versions": selectors.guides(access.process), "old": True})
