from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from evidens.core.feedback import errors_to_messages
from evidens.core.forms import add_service_errors
from evidens.processes.access import Permission, ProcessAccess, process_view
from evidens.stakeholders import selectors as stakeholder_selectors
from evidens.surveys import answering, charts, exporting, inspection, pages, results, selectors, services
from evidens.surveys import definition as d
from evidens.surveys.analysis import AnalysisError
from evidens.surveys.building import unused_name
from evidens.surveys.exporting import ExportError
from evidens.surveys.forms import (
    ExportForm,
    MailingForm,
    QuestionForm,
    RecipientSelectionForm,
    SectionForm,
    SurveyCreateForm,
    SurveyImportForm,
    SurveySettingsForm,
    SurveyTextsForm,
)
from evidens.surveys.models import Mailing, Survey, SurveyStatus

PAGE_SIZE = 50


def _survey(access: ProcessAccess, survey_id: int) -> Survey:
    return get_object_or_404(Survey, pk=survey_id, process=access.process)


def _to_survey(access: ProcessAccess, survey: Survey, view: str = "detail") -> HttpResponse:
    return redirect(f"surveys:{view}", access.process.slug, survey.pk)


# --- list, create, import -----------------------------------------------------------------------


@process_view(Permission.VIEW)
def survey_list(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    return render(request, "surveys/list.html", {
        "access": access, "surveys": selectors.survey_list(process=access.process)})


@process_view(Permission.MANAGE)
def survey_create(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = SurveyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        survey = services.survey_create(process=access.process, actor=request.user, **form.cleaned_data)
        return _to_survey(access, survey, "builder")
    return render(request, "surveys/form_page.html", {"access": access, "form": form, "title": _("New survey")})


@process_view(Permission.MANAGE)
def survey_import(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = SurveyImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(upload.name).name
            with path.open("wb") as target:
                for chunk in upload.chunks():
                    target.write(chunk)
            try:
                result = inspection.read_survey_file(path)
            except inspection.SurveyFileError as error:
                form.add_error("file", str(error))
            else:
                survey = services.survey_import(process=access.process, actor=request.user, result=result)
                messages.success(request, _("The survey was imported as a draft. Check the import report."))
                return _to_survey(access, survey, "builder")
    return render(request, "surveys/import.html", {"access": access, "form": form})


# --- one survey ---------------------------------------------------------------------------------


@process_view(Permission.VIEW)
def survey_detail(request: HttpRequest, access: ProcessAccess, survey_id: int) -> HttpResponse:
    survey = _survey(access, survey_id)
    figures = selectors.monitoring(survey)
    return render(request, "surveys/detail.html", {
        "access": access, "survey": survey, "figures": figures,
        "version": services.latest_version(survey),
        **_mailing_rows(survey),
        "days_chart": charts.responses_per_day(figures),
        "segment_chart": charts.segment_rates(figures),
        "open_link": services.respondent_open_url(survey) if survey.open_link_token else "",
        "mailing_form": MailingForm(),
        "export_form": ExportForm(),
    })


@require_POST
@process_view(Permission.MANAGE)
def survey_copy(request: HttpRequest, access: ProcessAccess, survey_id: int) -> HttpResponse:
    copy = services.survey_copy(survey=_survey(access, survey_id), actor=request.user)
    messages.success(request, _("A copy was made as a draft: change what you need, then publish."))
    return _to_survey(access, copy, "builder")


@process_view(Permission.MANAGE)
def survey_settings(request: HttpRequest, access: ProcessAccess, survey_id: int) -> HttpResponse:
    survey = _survey(access, survey_id)
    form = SurveySettingsForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data if name in services.SETTINGS_FIELDS}
        try:
            services.survey_update(survey=Survey.objects.get(pk=survey.pk), actor=request.user, **changed)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return _to_survey(access, survey)
    return render(request, "surveys/form_page.html", {
        "access": access, "survey": survey, "form": form, "title": _("Settings and mail texts")})


@process_view(Permission.MANAGE)
def survey_texts(request: HttpRequest, access: ProcessAccess, survey_id: int) -> HttpResponse:
    survey = _survey(access, survey_id)
    form = SurveyTextsForm(request.POST or None, questionnaire=survey.working_copy())
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_texts_save(survey=survey, actor=request.user, texts=form.texts(),
                                       languages=form.languages())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _to_survey(access, survey, "builder")
    return render(request, "surveys/form_page.html", {
        "access": access, "survey": survey, "form": form, "title": _("Title, introduction and privacy notice")})


# --- the builder --------------------------------------------------------------------------------


@process_view(Permission.VIEW)
def builder(request: HttpRequest, access: ProcessAccess, survey_id: int) -> HttpResponse:
    survey = _survey(access, survey_id)
    questionnaire = survey.working_copy()
    version = services.latest_version(survey)
    changes = d.differences(version.questionnaire(), questionnaire) if version else []
    return render(request, "surveys/builder.html", {
        "access": access, "survey": survey, "questionnaire": questionnaire, "version": version,
        "changes": changes, "problems": d.check(questionnaire), "types": d.QUESTION_TYPES,
        "editable": access.can_manage and survey.status != SurveyStatus.CLOSED,
    })


@process_view(Permission.MANAGE)
def section_edit(request: HttpRequest, access: ProcessAccess, survey_id: int, name: str = "") -> HttpResponse:
    survey = _survey(access, survey_id)
    questionnaire = survey.working_copy()
    section = questionnaire.section(name) if name else None
    if name and section is None:
        return _to_survey(access, survey, "builder")
    initial = {} if section else {"name": unused_name(questionnaire, "side")}
    form = SectionForm(request.POST or None, section=section, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_save(survey=survey, actor=request.user, section=form.section(), replacing=name or None)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _to_survey(access, survey, "builder")
    return render(request, "surveys/form_page.html", {
        "access": access, "survey": survey, "form": form,
        "title": _("Edit section") if section else _("New section")})


@process_view(Permission.MANAGE)
def question_edit(request: HttpRequest, access: ProcessAccess, survey_id: int, name: str = "") -> HttpResponse:
    survey = _survey(access, survey_id)
    questionnaire = survey.working_copy()
    question = questionnaire.question(name) if name else None
    if name and question is None:
        return _to_survey(access, survey, "builder")
    section_name = request.GET.get("section") or request.POST.get("section") or ""
    if question is not None:
        section_name = next(section.name for section, found in questionnaire.questions() if found is question)
    if questionnaire.section(section_name) is None:
        section_name = questionnaire.sections[-1].name if questionnaire.sections else ""
    initial = {} if question else {"name": unused_name(questionnaire, "q"), "type": request.GET.get("type", "")}
    form = QuestionForm(request.POST or None, question=question, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(survey=survey, actor=request.user, section=section_name,
                                   question=form.question(), replacing=name or None)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(f"{_builder_url(access, survey)}#q-{form.cleaned_data['name']}")
    return render(request, "surveys/question_form.html", {
        "access": access, "survey": survey, "form": form, "section": section_name, "question": question,
        "sections": questionnaire.sections, "title": _("Edit question") if question else _("New question")})


def _builder_url(access: ProcessAccess, survey: Survey) -> str:
    return reverse("surveys:builder", args=[access.process.slug, survey.pk])


def _builder_action(request: HttpRequest, access: ProcessAccess, survey_id: int, action: Any,
                    **kwargs: Any) -> HttpResponse:
    survey = _survey(access, survey_id)
    try:
        action(survey=survey, actor=request.user, **kwargs)
    except ValidationError as error:
        errors_to_messages(request, error)
    return _to_survey(access, survey, "builder")


def _offset(request: HttpRequest) -> int:
    return -1 if request.POST.get("direction") == "up" else 1


@require_POST
@process_view(Permission.MANAGE)
def question_move(request: HttpRequest, access: ProcessAccess, survey_id: int, name: str) -> HttpResponse:
    return _builder_action(request, access, survey_id, services.question_move, name=name, offset=_offset(request))


@require_POST
@process_view(Permission.MANAGE)
def question_delete(request: HttpRequest, access: ProcessAccess, survey_id: int, name: str) -> HttpResponse:
    return _builder_action(request, access, survey_id, services.question_delete, name=name)


@require_POST
@process_view(Permission.MANAGE)
def section_move(request: HttpRequest, access: ProcessAccess, survey_id: int, name: str) -> HttpResponse:
    return _builder_action(request, access, survey_id, services.section_move, name=name, offset=_offset(request))


@require_POST
@process_view(Permission.MANAGE)
def section_delete(request: HttpRequest, access: ProcessAccess, survey_id: int, name: str) -> HttpResponse:
    return _builder_action(request, access, survey_id, services.section_delete, name=name)


@xframe_options_sameorigin
@process_view(Permission.VIEW)
def preview(request: HttpRequest, access: ProcessAccess, survey_id: int) -> HttpResponse:
    """The working copy as a respondent sees it; answers live in the session and are never stored."""
    survey = _survey(access, survey_id)
    questionnaire = survey.working_copy()
    if not questionnaire.sections:
        return _to_survey(access, survey, "builder")
    language = request.GET.get("sprog") or "da"
    language = language if language in d.LANGUAGES else "da"
    key = f"survey-preview-{survey.pk}"
    state = request.session.get(key) or {"answers": {}, "section": 0}
    errors: dict[str, str] = {}
    with translation.override(language):
        if request.method == "POST":
            index = min(max(int(request.POST.get("section", 0) or 0), 0), len(questionnaire.sections) - 1)
            action = request.POST.get("action", "next")
            result = answering.read_page(questionnaire, index, request.POST, state["answers"],
                                         check_required=action != "back", language=language)
            answers = {**state["answers"], **result.answers}
            if action == "restart":
                state = {"answers": {}, "section": 0}
            elif result.valid:
                move = answering.previous_section if action == "back" else answering.next_section
                target = move(questionnaire, answers, index)
                state = {"answers": answering.kept_answers(questionnaire, answers),
                         "section": index if target is None else target}
            else:
                errors = result.errors
                state = {"answers": answers, "section": index}
            request.session[key] = state
        shown = answering.shown_sections(questionnaire, state["answers"]) or [0]
        index = state["section"] if state["section"] in shown else shown[0]
        page = pages.page_view(questionnaire, index, state["answers"], language, errors)
        return render(request, "surveys/respond/preview.html", {
            "survey": survey, "page": page, "language": language, "errors": errors, "preview": True,
            "title": d.text_in(questionnaire.title, language),
            "intro": d.text_in(questionnaire.intro, language) if page.first else "",
            "privacy": d.text_in(questionnaire.privacy, language),
            "languages": [code for code in questionnaire.languages if code in d.LANGUAGES],
        })


@process_view(Permission.VIEW)
def preview_phone(request: HttpRequest, access: ProcessAccess, survey_id: int) -> HttpResponse:
    survey = _survey(access, survey_id)
    return render(request, "surveys/preview_phone.html", {"access": access, "survey": survey})


# --- publishing and closing ---------------------------------------------------------------------


@require_POST
@process_view(Permission.MANAGE)
def publish(request: HttpRequest, access: ProcessAccess, survey_id: int) -> HttpResponse:
    survey = _survey(access, survey_id)
    try:
        version = services.survey_publish(survey=survey, actor=request.user)
    except ValidationError as error:
        errors_to_messages(request, error)
        return _to_survey(access, survey, "builder")
    messages.success(request, _("Version %(number)s is published.") % {"number": version.number})
    return _to_survey(access, survey)


@require_POST
@process_view(Permission.MANAGE)
def close(request: HttpRequest, access: ProcessAccess, survey_id: int) -> HttpResponse:
    survey = _survey(access, survey_id)
    converted = services.survey_close(survey=survey, actor=request.user)
    messages.success(request, _("The survey is closed. %(count)s unfinished answer sets were kept as partial "
                                "responses.") % {"count": converted})
    return _to_survey(access, survey)


@require_POST
@process_view(Permission.MANAGE)
def open_link(request: HttpRequest, access: ProcessAccess, survey_id: int) -> HttpResponse:
    survey = _survey(access, survey_id)
    services.open_link_set(survey=survey, actor=request.user, enabled=request.POST.get("enabled") == "1")
    return _to_survey(access, survey)


@process_view(Permission.VIEW)
def versions(request: HttpRequest, access: ProcessAccess, survey_id: int) -> HttpResponse:
    survey = _survey(access, survey_id)
    return render(request, "surveys/versions.html", {
        "access": access, "survey": survey,
        "versions": survey.versions.select_related("published_by").annotate(
            response_count=Count("responses")).order_by("-number"),
    })


# --- recipients and mail ------------------------------------------------------------------------


@process_view(Permission.ANALYSE)
def recipients(request: HttpRequest, access: ProcessAccess, survey_id: int) -> HttpResponse:
    survey = _survey(access, survey_id)
    segments = list(stakeholder_selectors.segments(process=access.process))
    form = RecipientSelectionForm(request.POST or None, segments=segments)
    if request.method == "POST":
        if not access.can_manage:
            return HttpResponse(status=403)
        if form.is_valid():
            people = selectors.people_matching(process=access.process, **form.cleaned_data)
            try:
                added = services.recipients_add(survey=survey, actor=request.user, people=people)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("%(added)s recipients added; %(already)s were already on the list, "
                                            "%(without)s have no e-mail address, %(declined)s have declined or "
                                            "been erased.") % {
                    "added": added.added, "already": added.already, "without": added.without_email,
                    "declined": added.declined})
                return redirect("surveys:recipients", access.process.slug, survey.pk)
    state = request.GET.get("state", "")
    listing = selectors.recipient_list(survey=survey, query=request.GET.get("q", "").strip(), state=state)
    page = Paginator(listing, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "surveys/recipients.html", {
        "access": access, "survey": survey, "form": form, "page": page, "state": state,
        "query": request.GET.get("q", ""), "figures": selectors.monitoring(survey),
        "pager_query": urlencode({name: request.GET[name] for name in ("q", "state") if request.GET.get(name)})})


@require_POST
@process_view(Permission.MANAGE)
def mailing_create(request: HttpRequest, access: ProcessAccess, survey_id: int) -> HttpResponse:
    survey = _survey(access, survey_id)
    form = MailingForm(request.POST)
    if form.is_valid():
        try:
            services.mailing_schedule(survey=survey, actor=request.user, kind=form.cleaned_data["kind"],
                                      send_at=form.cleaned_data["send_at"])
        except ValidationError as error:
            errors_to_messages(request, error)
        else:
            messages.success(request, _("The mailing is planned. Progress shows below."))
    else:
        errors_to_messages(request, ValidationError(list(form.errors.values())))
    return _to_survey(access, survey)


def _mailing_rows(survey: Survey) -> dict[str, Any]:
    """The mailings, each with the messages a stopped sender left with an unknown outcome, and which have stalled."""
    mailings = list(selectors.mailings(survey))
    stalled = {mailing.pk for mailing in mailings if services.mailing_stalled(mailing)}
    return {"mailings": mailings, "stalled_mailings": stalled}


@require_POST
@process_view(Permission.MANAGE)
def mailing_resume(request: HttpRequest, access: ProcessAccess, survey_id: int, mailing_id: int) -> HttpResponse:
    survey = _survey(access, survey_id)
    mailing = get_object_or_404(Mailing, pk=mailing_id, survey=survey)
    try:
        services.mailing_resume(mailing=mailing, actor=request.user)
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(request, _("Sending resumed for those not yet reached. Progress shows below."))
    return _to_survey(access, survey)


@require_POST
@process_view(Permission.MANAGE)
def mailing_cancel(request: HttpRequest, access: ProcessAccess, survey_id: int, mailing_id: int) -> HttpResponse:
    survey = _survey(access, survey_id)
    mailing = get_object_or_404(Mailing, pk=mailing_id, survey=survey)
    try:
        services.mailing_cancel(mailing=mailing, actor=request.user)
    except ValidationError as error:
        errors_to_messages(request, error)
    return _to_survey(access, survey)


# --- export -------------------------------------------------------------------------------------


@require_POST
@process_view(Permission.ANALYSE)
def export(request: HttpRequest, access: ProcessAccess, survey_id: int) -> HttpResponse:
    survey = _survey(access, survey_id)
    form = ExportForm(request.POST)
    if not form.is_valid():
        errors_to_messages(request, ValidationError(_("Choose a format.")))
        return _to_survey(access, survey)
    file_format = form.cleaned_data["format"]
    try:
        content = services.survey_export(survey=survey, actor=request.user, file_format=file_format,
                                         language=translation.get_language() or "da")
    except ExportError as error:
        messages.error(request, str(error))
        return _to_survey(access, survey)
    stem = slugify(survey.title.translate(exporting.DANISH_LETTERS)) or "survey"
    name = {"xlsform": f"{stem}-xlsform.xlsx", "codebook": f"{stem}-kodebog.csv"}.get(
        file_format, f"{stem}.{file_format}")
    response = HttpResponse(content, content_type=exporting.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- results ------------------------------------------------------------------------------------


def _selection(params: QueryDict, variables: list[tuple[str, str]]) -> results.Selection:
    names = {name for name, _label in variables}
    by = params.get("by", "")
    filters = {}
    for text in params.getlist("filter")[:1]:  # one filter at a time: two could be set against each other
        variable, _sep, value = text.partition("=")
        if variable in names and value:
            filters[variable] = value
    return results.Selection(by=by if by in names else "", weighted=params.get("weighted") == "1",
                             include_dont_know=params.get("dont_know") == "1", filters=filters)


def _results(params: QueryDict, access: ProcessAccess, survey: Survey) -> tuple[Any, results.Selection, Any]:
    """What the results page shows for these query parameters (by, weighted, dont_know, filter=variable=value)."""
    language = translation.get_language() or "da"
    data = selectors.analysis_input(survey, weighted=params.get("weighted") == "1")
    variables = results.variables(data.questionnaire, language)
    selection = _selection(params, variables)
    if data.weighting_problem:
        selection = results.Selection(by=selection.by, weighted=False, filters=selection.filters,
                                      include_dont_know=selection.include_dont_know)
    shown = results.results(data.questionnaire, data.respondents, selection, anonymous=survey.anonymous,
                            threshold=access.process.anonymity_threshold, language=language)
    return data, selection, shown


@process_view(Permission.VIEW)
def survey_results(request: HttpRequest, access: ProcessAccess, survey_id: int) -> HttpResponse:
    survey = _survey(access, survey_id)
    language = translation.get_language() or "da"
    try:
        data, selection, shown = _results(request.GET, access, survey)
    except AnalysisError as error:
        messages.error(request, str(error))
        return _to_survey(access, survey)
    variables = results.variables(data.questionnaire, language)
    filter_choices = results.filter_choices(data.questionnaire, data.respondents, anonymous=survey.anonymous,
                                            threshold=access.process.anonymity_threshold, language=language)
    return render(request, "surveys/results.html", {
        "access": access, "survey": survey, "shown": shown, "selection": selection, "data": data,
        "variables": variables, "filter_choices": filter_choices,
        "chosen_filters": [f"{name}={value}" for name, value in selection.filters.items()],
        "query": request.GET.urlencode(),
    })


@require_POST
@process_view(Permission.ANALYSE)
def results_evidence(request: HttpRequest, access: ProcessAccess, survey_id: int) -> HttpResponse:
    """Freeze one question's result, as the page shows it now, as an evidence item."""
    survey = _survey(access, survey_id)
    query = request.POST.get("query", "")
    data, selection, shown = _results(QueryDict(query), access, survey)
    name = request.POST.get("question", "")
    view = next((view for view in shown.questions if view.result.name == name), None)
    if view is None:
        messages.error(request, _("There is nothing to save for that question."))
    else:
        item = services.result_evidence_save(survey=survey, questionnaire=data.questionnaire, actor=request.user,
                                             view=view, selection=selection,
                                             responses=shown.responses,
                                             link=f"{reverse('surveys:results', args=[access.process.slug, survey.pk])}"
                                                  f"?{query}#r-{name}")
        messages.success(request, _("Saved as evidence: “%(title)s” (version %(version)s).")
                         % {"title": item.title, "version": item.version})
    return redirect(f"{reverse('surveys:results', args=[access.process.slug, survey.pk])}?{query}#r-{name}")


@process_view(Permission.VIEW)
def text_answers(request: HttpRequest, access: ProcessAccess, survey_id: int, name: str) -> HttpResponse:
    """The open answers to one question: read them by group, with keywords, phrases and each one's tone."""
    from evidens.text import danish

    survey = _survey(access, survey_id)
    language = translation.get_language() or "da"
    data = selectors.analysis_input(survey, weighted=False)
    variables = results.variables(data.questionnaire, language)
    by = request.GET.get("by", "")
    by = by if by in {variable for variable, _label in variables} else ""
    try:
        shown = results.free_text(data.questionnaire, name, data.respondents, by=by, anonymous=survey.anonymous,
                                  threshold=access.process.anonymity_threshold, language=language)
    except ValueError:
        return _to_survey(access, survey, "results")
    texts = [text for group in shown.groups for text in group.answers]
    tone = {text: danish.sentiment(text).label for text in texts}
    tones = results.tone_by_group(shown, tone.__getitem__)
    document = selectors.text_answers_document(survey, name)
    coded_groups = list(dict.fromkeys(turn[0] for turn in document.turns)) if document else []
    codes = selectors.text_answers_codes(document) if document else {}
    return render(request, "surveys/text_answers.html", {
        "access": access, "survey": survey, "shown": shown, "variables": variables, "by": by,
        "keywords": danish.keywords(texts, top=25), "phrases": danish.phrases(texts, top=15),
        "groups": [(group.name, [(text, tone[text]) for text in group.answers]) for group in shown.groups],
        "tones": tones, "tone_chart": results.tone_chart(tones, shown.label, language),
        "document": document, "coded_groups": coded_groups,
        "codes": [(code, [counts.get(group, 0) for group in coded_groups]) for code, counts in codes.items()],
    })


@require_POST
@process_view(Permission.ANALYSE)
def text_answers_code(request: HttpRequest, access: ProcessAccess, survey_id: int, name: str) -> HttpResponse:
    """Copy the open answers into the coding app (once) and open them there."""
    survey = _survey(access, survey_id)
    try:
        document = services.text_answers_coding_open(survey=survey, name=name, actor=request.user)
    except ValidationError as error:
        errors_to_messages(request, error)
        return redirect("surveys:text_answers", access.process.slug, survey.pk, name)
    return redirect("coding:document", access.process.slug, document.pk)
