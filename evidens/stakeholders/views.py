from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evidens.core.feedback import errors_to_messages
from evidens.core.forms import add_service_errors
from evidens.core.numbers import whole_number
from evidens.processes.access import Permission, ProcessAccess, process_view
from evidens.processes.audit import personal_data_viewed
from evidens.stakeholders import charts, importing, selectors, services
from evidens.stakeholders.forms import (
    ImportMappingForm,
    ImportUploadForm,
    OrganisationFilterForm,
    OrganisationForm,
    PersonFilterForm,
    PersonForm,
    filter_values,
)
from evidens.stakeholders.models import ImportStatus, Organisation, Person, StakeholderImport

PAGE_SIZE = 50


def _query(values: dict[str, Any]) -> str:
    return urlencode({name: value for name, value in values.items() if value})


# ---------------------------------------------------------------------------------------------
# Overview and lists
# ---------------------------------------------------------------------------------------------


@process_view(Permission.VIEW)
def index(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    imports = selectors.recent_imports(process=access.process) if access.can_analyse else []
    summary = selectors.register_summary(process=access.process)
    return render(request, "stakeholders/index.html", {
        "access": access,
        "summary": summary,
        "imports": imports,
        "size_chart": charts.size_chart(selectors.housing_size_bands(process=access.process)),
        "segment_chart": charts.segment_chart(summary.by_segment),
    })


@process_view(Permission.VIEW)
def organisation_list(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = OrganisationFilterForm(request.GET)
    filters = filter_values(form)
    organisations = selectors.organisation_list(
        process=access.process, query=filters.get("q", ""), kind=filters.get("kind", ""),
        member=filters.get("member", ""), region=filters.get("region", ""))
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "stakeholders/organisation_list.html", {
        "access": access, "form": form, "page": page, "query": _query(filters),
        "total": page.paginator.count, "filtered": bool(filters),
    })


@process_view(Permission.VIEW)
def person_list(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = PersonFilterForm(request.GET, segments=selectors.segments(process=access.process))
    filters = filter_values(form)
    people = selectors.person_list(
        process=access.process, query=filters.get("q", ""), segment=filters.get("segment", ""),
        kind=filters.get("kind", ""), member=filters.get("member", ""), region=filters.get("region", ""),
        search_email=access.sees_contact_details)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "stakeholders/person_list.html", {
        "access": access, "form": form, "page": page, "query": _query(filters),
        "total": page.paginator.count, "filtered": bool(filters),
    })


# ---------------------------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------------------------


@process_view(Permission.VIEW)
def organisation_detail(request: HttpRequest, access: ProcessAccess, organisation_id: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, process=access.process, pk=organisation_id)
    people = selectors.person_list(process=access.process, organisation_id=organisation.pk)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "stakeholders/organisation_detail.html", {
        "access": access, "organisation": organisation, "page": page,
    })


@process_view(Permission.MANAGE)
def organisation_create(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(process=access.process, actor=request.user,
                                                        **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The organisation was added."))
            return redirect("stakeholders:organisation_detail", access.process.slug, organisation.pk)
    return render(request, "stakeholders/form_page.html", {
        "access": access, "form": form, "title": _("Add organisation"),
    })


@process_view(Permission.MANAGE)
def organisation_edit(request: HttpRequest, access: ProcessAccess, organisation_id: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, process=access.process, pk=organisation_id)
    # The form writes onto its own copy; the service validates, saves and audits the original.
    form = OrganisationForm(request.POST or None, instance=Organisation.objects.get(pk=organisation.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(organisation=organisation, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect("stakeholders:organisation_detail", access.process.slug, organisation.pk)
    return render(request, "stakeholders/form_page.html", {
        "access": access, "form": form, "title": _("Edit organisation: %(name)s") % {"name": organisation.name},
    })


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------


def _person(access: ProcessAccess, person_id: int) -> Person:
    try:
        return selectors.person_get(process=access.process, pk=person_id)
    except Person.DoesNotExist:
        raise Http404 from None


@process_view(Permission.VIEW)
def person_detail(request: HttpRequest, access: ProcessAccess, person_id: int) -> HttpResponse:
    person = _person(access, person_id)
    personal_data_viewed(process=access.process, actor=request.user, obj=person)
    return render(request, "stakeholders/person_detail.html", {"access": access, "person": person})


@process_view(Permission.MANAGE)
def person_create(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    initial = {}
    organisation = whole_number(request.GET.get("organisation", ""))
    if organisation is not None:
        initial["organisation"] = organisation
    form = PersonForm(request.POST or None, process=access.process, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(process=access.process, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The person was added."))
            return redirect("stakeholders:person_detail", access.process.slug, person.pk)
    return render(request, "stakeholders/form_page.html", {
        "access": access, "form": form, "title": _("Add person"),
    })


@process_view(Permission.MANAGE)
def person_edit(request: HttpRequest, access: ProcessAccess, person_id: int) -> HttpResponse:
    person = _person(access, person_id)
    if person.erased_at:
        messages.error(request, _("This person has been erased and cannot be changed."))
        return redirect("stakeholders:person_detail", access.process.slug, person.pk)
    form = PersonForm(request.POST or None, process=access.process, instance=Person.objects.get(pk=person.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(person=person, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The person was saved."))
            return redirect("stakeholders:person_detail", access.process.slug, person.pk)
    return render(request, "stakeholders/form_page.html", {
        "access": access, "form": form, "title": _("Edit person"),
    })


@require_POST  # it writes an audit entry, so no other site may trigger it with a link
@process_view(Permission.MANAGE)
def person_export(request: HttpRequest, access: ProcessAccess, person_id: int) -> HttpResponse:
    person = _person(access, person_id)
    content = services.person_data_export(person=person, actor=request.user)
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
    return response


@process_view(Permission.MANAGE)
def person_erase(request: HttpRequest, access: ProcessAccess, person_id: int) -> HttpResponse:
    person = _person(access, person_id)
    if request.method == "POST":
        services.person_erase(person=person, actor=request.user)
        messages.success(request, _("The person was erased."))
        return redirect("stakeholders:person_detail", access.process.slug, person.pk)
    return render(request, "stakeholders/person_erase.html", {"access": access, "person": person})


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


@require_POST  # it writes an audit entry, so no other site may trigger it with a link
@process_view(Permission.ANALYSE)
def export(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    kind = request.POST.get("kind", "organisations")
    file_format = request.POST.get("format", "csv")
    if kind not in importing.KINDS or file_format not in ("csv", "xlsx"):
        raise Http404
    content, filename, content_type = services.register_export(
        process=access.process, actor=request.user, kind=kind, file_format=file_format)  # type: ignore[arg-type]
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---------------------------------------------------------------------------------------------
# Import: upload -> mapping -> preview and report -> confirm -> job
# ---------------------------------------------------------------------------------------------


def _import(access: ProcessAccess, import_id: int) -> StakeholderImport:
    try:
        return selectors.stakeholder_import_get(process=access.process, pk=import_id)
    except StakeholderImport.DoesNotExist:
        raise Http404 from None


def _started(request: HttpRequest, access: ProcessAccess, stakeholder_import: StakeholderImport) -> Any:
    """An import already queued or done has nothing more to choose: show its job."""
    if stakeholder_import.status in (ImportStatus.QUEUED, ImportStatus.DONE) and stakeholder_import.job_id:
        return redirect("processes:job", access.process.slug, stakeholder_import.job_id)
    return None


def _table(request: HttpRequest, access: ProcessAccess, stakeholder_import: StakeholderImport) -> Any:
    try:
        return services.stakeholder_import_table(stakeholder_import)
    except (OSError, importing.UnreadableFile):
        messages.error(request, _("The uploaded file can no longer be read. Upload it again."))
        return redirect("stakeholders:import_upload", access.process.slug)


@process_view(Permission.ANALYSE)
def import_upload(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None,
                            initial={"kind": request.GET.get("kind", "people")})
    if request.method == "POST" and form.is_valid():
        try:
            stakeholder_import = services.stakeholder_import_create(
                process=access.process, actor=request.user, kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("stakeholders:import_mapping", access.process.slug, stakeholder_import.pk)
    return render(request, "stakeholders/import_upload.html", {"access": access, "form": form})


@process_view(Permission.ANALYSE)
def import_mapping(request: HttpRequest, access: ProcessAccess, import_id: int) -> HttpResponse:
    stakeholder_import = _import(access, import_id)
    if started := _started(request, access, stakeholder_import):
        return started
    table = _table(request, access, stakeholder_import)
    if isinstance(table, HttpResponse):
        return table
    form = ImportMappingForm(request.POST or None, headers=table.headers,
                             kind=stakeholder_import.kind,  # type: ignore[arg-type]
                             initial_mapping=stakeholder_import.mapping)
    if request.method == "POST" and form.is_valid():
        try:
            services.stakeholder_import_map(stakeholder_import=stakeholder_import, actor=request.user,
                                            mapping=form.mapping)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("stakeholders:import_preview", access.process.slug, stakeholder_import.pk)
    samples = {header: [] for header in table.headers}  # type: dict[str, list[str]]
    for _number, cells in table.rows[:3]:
        for header, cell in zip(table.headers, cells, strict=True):
            samples[header].append(importing.cell_text(cell))
    columns = [(form[f"column_{index}"], samples[header]) for index, header in enumerate(table.headers)]
    return render(request, "stakeholders/import_mapping.html", {
        "access": access, "import": stakeholder_import, "form": form, "columns": columns,
        "rows": len(table.rows),
    })


@process_view(Permission.ANALYSE)
def import_preview(request: HttpRequest, access: ProcessAccess, import_id: int) -> HttpResponse:
    stakeholder_import = _import(access, import_id)
    if started := _started(request, access, stakeholder_import):
        return started
    if stakeholder_import.status == ImportStatus.UPLOADED:
        return redirect("stakeholders:import_mapping", access.process.slug, stakeholder_import.pk)
    try:
        prepared = services.stakeholder_import_prepare(stakeholder_import)
    except (OSError, importing.UnreadableFile):
        messages.error(request, _("The uploaded file can no longer be read. Upload it again."))
        return redirect("stakeholders:import_upload", access.process.slug)
    return render(request, "stakeholders/import_preview.html", {
        "access": access,
        "import": stakeholder_import,
        "prepared": prepared,
        "labels": [importing.field_label(name) for name in prepared.fields],
        "job_report": stakeholder_import.report if stakeholder_import.status == ImportStatus.FAILED else [],
    })


@require_POST
@process_view(Permission.ANALYSE)
def import_confirm(request: HttpRequest, access: ProcessAccess, import_id: int) -> HttpResponse:
    stakeholder_import = _import(access, import_id)
    if started := _started(request, access, stakeholder_import):
        return started
    try:
        job = services.stakeholder_import_confirm(stakeholder_import=stakeholder_import, actor=request.user)
    except importing.RegisterImportError:
        messages.error(request, _("Nothing was imported: some rows have errors. See the report below."))
        return redirect("stakeholders:import_preview", access.process.slug, stakeholder_import.pk)
    except (OSError, importing.UnreadableFile):
        messages.error(request, _("The uploaded file can no longer be read. Upload it again."))
        return redirect("stakeholders:import_upload", access.process.slug)
    except ValidationError as error:
        errors_to_messages(request, error)
        return redirect("stakeholders:import_mapping", access.process.slug, stakeholder_import.pk)
    return redirect("processes:job", access.process.slug, job.pk)
