"""The archive pages under ``/p/<slug>/archive/``: the documents with filters and a chart, search, one document,
uploads and their imports, bulk edits, and saving as evidence."""

from __future__ import annotations

from collections import Counter
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from evidens.archive import activities as activities_module
from evidens.archive import charts, engagement, evidence, search, selectors, services
from evidens.archive.choices import ActivityKind, MatchStatus
from evidens.archive.forms import (
    ActivityMappingForm,
    ActivityPeriodForm,
    ActivityUploadForm,
    BulkForm,
    DocumentForm,
    FilterForm,
    MatchDecisionForm,
    PassageForm,
    UploadForm,
)
from evidens.archive.models import ActivityImportStatus, ArchiveDocument, Topic
from evidens.core.feedback import errors_to_messages
from evidens.core.forms import add_service_errors
from evidens.core.numbers import whole_number
from evidens.evidence.feedback import evidence_saved_message
from evidens.processes.access import Permission, ProcessAccess, process_view
from evidens.stakeholders.choices import Region

PAGE_SIZE = 50
SEARCH_PAGE_SIZE = 20


def _filters(form: FilterForm) -> search.Filters:
    if not form.is_valid():
        return search.NO_FILTERS
    theme = form.cleaned_data.get("theme")
    return search.Filters(doc_type=form.cleaned_data.get("type") or "", year=form.cleaned_data.get("year"),
                          theme_id=theme.pk if theme else None)


def _document(access: ProcessAccess, document_id: int) -> ArchiveDocument:
    return get_object_or_404(ArchiveDocument, pk=document_id, process=access.process)


@process_view(Permission.VIEW)
def document_list(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = FilterForm(request.GET, process=access.process)
    filters = _filters(form)
    page = Paginator(selectors.documents(access.process, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "archive/list.html", {
        "access": access, "tab": "list", "form": form, "page": page, "filters": filters,
        "query": request.GET.urlencode(), "years": selectors.years(access.process),
        "chart": charts.per_year_chart(selectors.per_year_and_type(access.process, filters)),
        "bulk_form": BulkForm(process=access.process), "upload_form": UploadForm(),
        "imports": selectors.imports(access.process)[:5]})


@process_view(Permission.VIEW)
def search_page(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = FilterForm(request.GET, process=access.process)
    filters = _filters(form)
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    number = max(1, whole_number(request.GET.get("page", ""), largest=10**6) or 1)
    results = search.search(access.process, query, filters=filters, limit=SEARCH_PAGE_SIZE,
                            offset=(number - 1) * SEARCH_PAGE_SIZE, count_cap=search.COUNT_CAP) if query else None
    return render(request, "archive/search.html", {
        "access": access, "tab": "search", "form": form, "query": query, "results": results, "number": number,
        "filters": filters,
        "has_next": bool(results and results.total > number * SEARCH_PAGE_SIZE),
        "params": request.GET.copy().urlencode() if query else ""})


@process_view(Permission.VIEW)
def detail(request: HttpRequest, access: ProcessAccess, archive_document_id: int) -> HttpResponse:
    document = _document(access, archive_document_id)
    form = DocumentForm(request.POST or None, instance=document)
    if request.method == "POST":
        if not access.can_analyse:
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                services.document_update(document=ArchiveDocument.objects.get(pk=document.pk), actor=request.user,
                                         title=form.cleaned_data["title"], date=form.cleaned_data["date"],
                                         doc_type=form.cleaned_data["doc_type"], source=form.cleaned_data["source"],
                                         themes=form.themes)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("archive:detail", access.process.slug, document.pk)
    return render(request, "archive/detail.html", {
        "access": access, "tab": "list", "document": document, "form": form, "passage_form": PassageForm(),
        "error": services.ERRORS.get(document.error, ""),
        "notes": [services.NOTES[note] for note in document.notes if note in services.NOTES]})


@process_view(Permission.VIEW)
def original(request: HttpRequest, access: ProcessAccess, archive_document_id: int) -> HttpResponse:
    """The original file, always as a download: an uploaded HTML file must never be shown as a page of ours."""
    document = _document(access, archive_document_id)
    response = FileResponse(document.file.open("rb"), as_attachment=True,
                            filename=document.original_name.split("/")[-1], content_type="application/octet-stream")
    return cast(HttpResponse, response)  # streamed: process_view passes any response on


@require_POST
@process_view(Permission.ANALYSE)
def delete(request: HttpRequest, access: ProcessAccess, archive_document_id: int) -> HttpResponse:
    document = _document(access, archive_document_id)
    services.document_delete(document=document, actor=request.user)
    messages.success(request, _("The document and its file were deleted."))
    return redirect("archive:list", access.process.slug)


@require_POST
@process_view(Permission.ANALYSE)
def upload(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            archive_import = services.archive_upload(process=access.process, actor=request.user,
                                                     uploads=form.cleaned_data["files"])
        except ValidationError as error:
            errors_to_messages(request, error)
        else:
            return redirect("archive:import_detail", access.process.slug, archive_import.pk)
    else:
        messages.error(request, _("Choose one or more files."))
    return redirect("archive:list", access.process.slug)


@process_view(Permission.VIEW)
def import_detail(request: HttpRequest, access: ProcessAccess, archive_import_id: int) -> HttpResponse:
    archive_import = get_object_or_404(selectors.imports(access.process), pk=archive_import_id)
    failed = [(document, services.ERRORS.get(document.error, document.error))
              for document in selectors.failures(archive_import)]
    return render(request, "archive/import_detail.html", {
        "access": access, "tab": "list", "import": archive_import, "failed": failed,
        "running": archive_import.status != "done"})


@require_POST
@process_view(Permission.ANALYSE)
def bulk(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = BulkForm(request.POST, process=access.process)
    ids = [number for value in request.POST.getlist("document") if (number := whole_number(value)) is not None]
    chosen = list(ArchiveDocument.objects.filter(process=access.process, pk__in=ids).defer("text"))
    if not chosen or not form.is_valid():
        messages.error(request, _("Choose documents and what to change."))
    else:
        try:
            count = services.documents_bulk_update(process=access.process, actor=request.user, documents=chosen,
                                                   doc_type=form.cleaned_data["doc_type"],
                                                   add_theme=form.cleaned_data["add_theme"],
                                                   remove_theme=form.cleaned_data["remove_theme"])
        except ValidationError as error:
            errors_to_messages(request, error)
        else:
            messages.success(request, _("%(count)s documents changed.") % {"count": count})
    return redirect(f"{reverse('archive:list', args=[access.process.slug])}?{request.POST.get('query', '')}")


@require_POST
@process_view(Permission.ANALYSE)
def save_evidence(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    kind = request.POST.get("kind", "")
    form = FilterForm(request.POST, process=access.process)
    filters = _filters(form)
    try:
        if kind == "overview":
            item = evidence.overview_save(process=access.process, actor=request.user, filters=filters)
        elif kind == "search" and form.is_valid() and form.cleaned_data["q"]:
            item = evidence.search_save(process=access.process, actor=request.user, query=form.cleaned_data["q"],
                                        filters=filters)
        elif kind == "passage" and (posted := whole_number(request.POST.get("document", ""))) is not None:
            document = _document(access, posted)
            passage_form = PassageForm(request.POST)
            if not passage_form.is_valid():
                raise ValueError("no passage")
            item = evidence.passage_save(document=document, actor=request.user,
                                         passage=passage_form.cleaned_data["passage"])
        else:
            raise ValueError(kind)
    except ValueError:
        messages.error(request, _("There is nothing to save for that view: a passage must be copied exactly from the "
                                  "document's text, and a search must find something."))
        document_id = whole_number(request.POST.get("document", ""))
        if document_id is not None:
            return redirect("archive:detail", access.process.slug, document_id)
        return redirect("archive:list", access.process.slug)
    evidence_saved_message(request, item)
    return redirect(item.link)



@process_view(Permission.VIEW)
def topics(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    run = selectors.topic_run(access.process)
    found = list(run.topics.all()) if run else []
    return render(request, "archive/topics.html", {
        "access": access, "tab": "topics", "run": run, "topics": found, "chart": charts.topics_heatmap(found),
        "sizes": selectors.topic_sizes(access.process), "keywords": sorted((run.keywords_per_year if run else {})
                                                                           .items(), reverse=True)})


@require_POST
@process_view(Permission.ANALYSE)
def topics_refresh(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    run = services.topics_refresh_queue(process=access.process, actor=request.user)
    if run.job is not None:
        return redirect("processes:job", access.process.slug, run.job.pk)
    return redirect("archive:topics", access.process.slug)


@require_POST
@process_view(Permission.ANALYSE)
def topic_rename(request: HttpRequest, access: ProcessAccess, topic_id: int) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=topic_id, run__process=access.process)
    services.topic_rename(topic=topic, actor=request.user, label=request.POST.get("label", ""))
    messages.success(request, _("Saved."))
    return redirect("archive:topics", access.process.slug)


# ---------------------------------------------------------------------------------------------
# Activity records
# ---------------------------------------------------------------------------------------------

REVIEW_STATUSES = {"uncertain": [MatchStatus.UNCERTAIN], "not_found": [MatchStatus.NOT_FOUND],
                   "close": [MatchStatus.CLOSE],
                   "decided": [MatchStatus.CONFIRMED, MatchStatus.OUTSIDE, MatchStatus.REMEMBERED]}


def _overview(request: HttpRequest, access: ProcessAccess) -> tuple[ActivityPeriodForm, selectors.ActivityOverview]:
    form = ActivityPeriodForm(request.GET or None)
    period = form.cleaned_data if form.is_valid() else {}
    overview = selectors.activity_overview(access.process, start=period.get("start"), end=period.get("end"),
                                           cutoff=period.get("cutoff") or engagement.DEFAULT_CUTOFF)
    return form, overview


@process_view(Permission.VIEW)
def activity_overview(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form, overview = _overview(request, access)
    return render(request, "archive/activities.html", {
        "access": access, "tab": "activities", "form": form, "overview": overview, "query": request.GET.urlencode(),
        "per_year_chart": charts.activities_per_year_chart(overview.per_year),
        "months_chart": charts.activity_months_chart(overview.change) if overview.change else None,
        "region_chart": charts.reach_chart(overview.by_region, _("region")),
        "size_chart": charts.reach_chart(overview.by_size, _("size band")),
        "kinds_chart": charts.kinds_chart(overview.kinds), "kinds": ActivityKind.labels,
        "per_year_rows": [(row, ActivityKind(row.kind).label) for row in overview.per_year],
        "engagement_groups": [(group, evidence.ENGAGEMENT_LABELS[group], len(rows))
                              for group, rows in overview.groups.items()],
        "match_counts": selectors.match_counts(access.process)})


@process_view(Permission.VIEW)
def engagement_list(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form, overview = _overview(request, access)
    group = request.GET.get("group", engagement.ACTIVE)
    if group not in engagement.ENGAGEMENT_GROUPS:
        group = engagement.ACTIVE
    regions = dict(Region.choices)
    return render(request, "archive/engagement.html", {
        "access": access, "tab": "activities", "form": form, "overview": overview, "group": group,
        "rows": [(member, count, regions.get(member.region, "")) for member, count in overview.groups[group]],
        "query": request.GET.urlencode(),
        "groups": [(key, evidence.ENGAGEMENT_LABELS[key], len(rows)) for key, rows in overview.groups.items()]})


@process_view(Permission.VIEW)
def activity_list(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    page = Paginator(selectors.activities(access.process), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "archive/activity_list.html", {"access": access, "tab": "activities", "page": page})


@process_view(Permission.VIEW)
def activity_detail(request: HttpRequest, access: ProcessAccess, activity_id: int) -> HttpResponse:
    activity = get_object_or_404(selectors.activities(access.process), pk=activity_id)
    return render(request, "archive/activity_detail.html", {
        "access": access, "tab": "activities", "activity": activity,
        "participations": selectors.activity_participations(activity)})


@process_view(Permission.ANALYSE)
def activity_imports(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = ActivityUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            activity_import = services.activity_import_create(
                process=access.process, actor=request.user, table_kind=form.cleaned_data["table_kind"],
                name=upload.name or "activities.csv", content=upload.read())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("archive:activity_import", access.process.slug, activity_import.pk)
    return render(request, "archive/activity_imports.html", {
        "access": access, "tab": "activities", "form": form,
        "imports": selectors.activity_imports(access.process)[:20]})


PREVIEW_ROWS = 10


@process_view(Permission.ANALYSE)
def activity_import(request: HttpRequest, access: ProcessAccess, activity_import_id: int) -> HttpResponse:
    """The mapping step with a preview of the rows as they would be stored, then the import's result."""
    activity_import = get_object_or_404(selectors.activity_imports(access.process), pk=activity_import_id)
    context: dict[str, Any] = {"access": access, "tab": "activities", "import": activity_import}
    if activity_import.status == ActivityImportStatus.MAPPING:
        table = services.activity_import_table(activity_import)
        form = ActivityMappingForm(request.POST or None, headers=table.headers,
                                   table_kind=activity_import.table_kind, mapping=activity_import.mapping)
        if request.method == "POST" and form.is_valid():
            try:
                services.activity_import_map(activity_import=activity_import, mapping=form.mapping)
                if "confirm" in request.POST:
                    job = services.activity_import_confirm(activity_import=activity_import, actor=request.user)
                    return redirect("processes:job", access.process.slug, job.pk)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("archive:activity_import", access.process.slug, activity_import.pk)
        problems = activities_module.mapping_problems(activity_import.mapping, activity_import.table_kind)
        check = None if problems else services.activity_import_check(activity_import)
        context.update({
            "form": form, "problems": problems, "check": check,
            "fields": activities_module.fields_of(activity_import.table_kind),
            "preview": [(record.row, activities_module.display_values(record, activity_import.table_kind))
                        for record in check.records[:PREVIEW_ROWS]] if check else [],
            "match_summary": _match_summary(check) if check else []})
    return render(request, "archive/activity_import.html", context)


def _match_summary(check: services.ActivityCheck) -> list[tuple[str, int]]:
    """How the file's different organisation names would be matched, in words, most common first."""
    counts = Counter(services.MATCH_STATUS[match.status] for match in check.matches.values())
    return [(str(MatchStatus(status).label), count) for status, count in counts.most_common()]


@process_view(Permission.ANALYSE)
def match_review(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    show = request.GET.get("show", "uncertain")
    if show not in REVIEW_STATUSES:
        show = "uncertain"
    if request.method == "POST":
        form = MatchDecisionForm(request.POST, process=access.process)
        if form.is_valid():
            changed = services.organisation_match_decide(process=access.process, actor=request.user,
                                                         written=form.cleaned_data["written"],
                                                         organisation=form.organisation)
            messages.success(request, ngettext("%(count)s registration updated.", "%(count)s registrations updated.",
                                               changed) % {"count": changed})
        else:
            for message in form.non_field_errors():
                messages.error(request, str(message))
        return redirect(f"{reverse('archive:match_review', args=[access.process.slug])}?show={show}")
    return render(request, "archive/match_review.html", {
        "access": access, "tab": "activities", "show": show,
        "names": selectors.names_to_review(access.process, REVIEW_STATUSES[show]),
        "counts": selectors.match_counts(access.process),
        "register": selectors.register_names(access.process)})


@require_POST
@process_view(Permission.ANALYSE)
def activity_evidence(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    _form, overview = _overview(request, access)
    view = request.POST.get("view", "")
    try:
        if view not in evidence.ACTIVITY_VIEWS:
            raise ValueError(view)
        item = evidence.activity_view_save(process=access.process, actor=request.user, view=view,
                                           overview=overview, query=request.GET.urlencode())
    except ValueError:
        messages.error(request, _("There is nothing to save for that view."))
        return redirect("archive:activities", access.process.slug)
    evidence_saved_message(request, item)
    return redirect(item.link)
