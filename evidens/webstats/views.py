"""The web-statistics pages under ``/p/<slug>/webstats/``.

Every page shows a period (``from``, ``to``) of the completed imports and is made of sections. A section is
built in ``sections.py``; the pages and "Save as evidence" use the
same functions, so the evidence is exactly what the page showed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evidens.core.feedback import errors_to_messages
from evidens.core.forms import add_service_errors
from evidens.evidence.feedback import evidence_saved_message
from evidens.processes.access import Permission, ProcessAccess, process_view
from evidens.webstats import selectors, services, warehouse
from evidens.webstats.forms import AnalyticsUploadForm, LogUploadForm, SettingsForm
from evidens.webstats.models import ImportKind, ImportStatus, LogImport
from evidens.webstats.sections import (
    PAGES,
    SECTIONS,
    cell_text,
    rule_effects,
    selection_from,
)

# ---------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------


def _page(request: HttpRequest, access: ProcessAccess, page: str) -> HttpResponse:
    selection, form = selection_from(request.GET, access)
    context: dict[str, Any] = {"access": access, "page": page, "form": form, "selection": selection,
                               "query": urlencode({name: request.GET[name] for name in ("from", "to", "unit")
                                                   if request.GET.get(name)})}
    if selection is not None:
        with warehouse.Reader(selection.scope()) as reader:
            context["sections"] = {key: SECTIONS[key](reader, selection) for key in PAGES[page]}
    return render(request, f"webstats/{page}.html", context)


@process_view(Permission.VIEW)
def overview(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    return _page(request, access, "overview")


@process_view(Permission.VIEW)
def content(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    return _page(request, access, "content")


@process_view(Permission.VIEW)
def sources(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    return _page(request, access, "sources")


@process_view(Permission.VIEW)
def technology(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    return _page(request, access, "technology")


@process_view(Permission.VIEW)
def robot_page(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    return _page(request, access, "robots")


@require_POST
@process_view(Permission.ANALYSE)
def save_evidence(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    """Freeze one section, as its page shows it for the posted period, as an evidence item."""
    page, key = request.POST.get("page", ""), request.POST.get("view", "")
    selection, _form = selection_from(request.POST, access)
    if page not in PAGES or key not in PAGES[page] or selection is None:
        messages.error(request, _("There is nothing to save for that view."))
        return redirect("webstats:overview", access.process.slug)
    item, _section = services.section_evidence_save(process=access.process, actor=request.user, page=page,
                                                   key=key, selection=selection)
    evidence_saved_message(request, item)
    return redirect(item.link)


# ---------------------------------------------------------------------------------------------
# Imports
# ---------------------------------------------------------------------------------------------


def _imports_page(request: HttpRequest, access: ProcessAccess, *, log_form: LogUploadForm | None = None,
                  analytics_form: AnalyticsUploadForm | None = None) -> HttpResponse:
    return render(request, "webstats/imports.html", {
        "access": access, "page": "imports", "imports": selectors.imports(access.process),
        "log_form": log_form or LogUploadForm(), "analytics_form": analytics_form or AnalyticsUploadForm(),
    })


@process_view(Permission.VIEW)
def imports(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    return _imports_page(request, access)


@require_POST
@process_view(Permission.ANALYSE)
def upload_logs(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = LogUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            log_import = services.log_import_upload(process=access.process, actor=request.user,
                                                    uploads=form.cleaned_data["files"],
                                                    log_format_text=form.log_format_text)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("webstats:import_detail", access.process.slug, log_import.pk)
    return _imports_page(request, access, log_form=form)


@require_POST
@process_view(Permission.ANALYSE)
def upload_analytics(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = AnalyticsUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            log_import = services.analytics_import(process=access.process, actor=request.user, data=upload.read(),
                                                   filename=upload.name or "export.csv")
        except ValidationError as error:
            add_service_errors(form, _on_file(error))
        else:
            messages.success(request, _("The analytics export was imported."))
            return redirect("webstats:import_detail", access.process.slug, log_import.pk)
    return _imports_page(request, access, analytics_form=form)


def _on_file(error: ValidationError) -> ValidationError:
    """The service names its one file ``files`` when refusing a repeat; this form calls it ``file``."""
    if hasattr(error, "error_dict"):
        return ValidationError({"file" if name == "files" else name: problems
                                for name, problems in error.error_dict.items()})
    return error


def _import(access: ProcessAccess, log_import_id: int) -> LogImport:
    return get_object_or_404(selectors.imports(access.process), pk=log_import_id)


@process_view(Permission.VIEW)
def import_detail(request: HttpRequest, access: ProcessAccess, log_import_id: int) -> HttpResponse:
    log_import = _import(access, log_import_id)
    running = log_import.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
    counts = log_import.counts or {}
    is_log = log_import.kind == ImportKind.LOG
    return render(request, "webstats/import_detail.html", {
        "access": access, "page": "imports", "import": log_import, "running": running, "is_log": is_log,
        "counts": _import_counts(counts, is_log),
        "rules": rule_effects([counts]) if is_log and log_import.status == ImportStatus.COMPLETED else None,
        "can_retry": log_import.status == ImportStatus.FAILED and log_import.upload_folder.exists(),
    })


def _import_counts(counts: dict[str, Any], is_log: bool) -> list[tuple[str, str]]:
    names = ([("lines", _("Lines in all")), ("parsed", _("Lines read")), ("malformed", _("Lines not readable")),
              ("replaced", _("Lines with bytes that were not UTF-8")), ("hits", _("Requests")),
              ("bot_hits", _("Requests by robots")), ("page_views", _("Page requests (people and robots)")),
              ("human_page_views", _("Page views by people"))] if is_log
             else [("rows", _("Rows")), ("page_views", _("Page views"))])
    return [(label, cell_text(counts[name])) for name, label in names if name in counts]


@require_POST
@process_view(Permission.ANALYSE)
def import_retry(request: HttpRequest, access: ProcessAccess, log_import_id: int) -> HttpResponse:
    log_import = _import(access, log_import_id)
    try:
        services.log_import_retry(log_import=log_import, actor=request.user)
    except ValidationError as error:
        errors_to_messages(request, error)
    return redirect("webstats:import_detail", access.process.slug, log_import.pk)


@require_POST
@process_view(Permission.ANALYSE)
def import_delete(request: HttpRequest, access: ProcessAccess, log_import_id: int) -> HttpResponse:
    log_import = _import(access, log_import_id)
    try:
        services.log_import_delete(log_import=log_import, actor=request.user)
    except ValidationError as error:
        errors_to_messages(request, error)
        return redirect("webstats:import_detail", access.process.slug, log_import.pk)
    messages.success(request, _("The import and its data were deleted."))
    return redirect("webstats:imports", access.process.slug)


# ---------------------------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------------------------


@process_view(Permission.ANALYSE)
def settings(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    process = access.process
    form = SettingsForm(request.POST or None, instance=selectors.settings_of(process),
                        areas=selectors.areas(process))
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data if name in SettingsForm.Meta.fields}
        try:
            if changed:
                services.webstats_settings_update(process=process, actor=request.user, **changed)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if "areas" in form.changed_data:
                services.content_areas_replace(process=process, actor=request.user, areas=form.cleaned_data["areas"])
            messages.success(request, _("Saved."))
            return redirect("webstats:settings", process.slug)
    return render(request, "webstats/settings.html", {"access": access, "page": "settings", "form": form})

