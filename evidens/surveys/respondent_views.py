"""The public respondent form (``/s/...``): the only views without login.

Nothing here logs the token or the answers. A wrong or used-up link gets a page that says so, never
an error page; the status code tells machines the same (404 unknown, 410 closed).
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from evidens.core import throttle
from evidens.surveys import answering, pages, services
from evidens.surveys import definition as d
from evidens.surveys.models import Recipient, ResponseDraft, Survey
from evidens.surveys.services import SurveyUnavailable

BROWSER_COOKIE = "evidens_svar"
UNAVAILABLE_STATUS = {"closed": 410, "not_open": 403, "completed": 200, "unknown": 404}


def _language(request: HttpRequest, draft: ResponseDraft | None, questionnaire: d.SurveyDefinition) -> str:
    wanted = request.GET.get("sprog") or (draft.language if draft else "") or "da"
    return wanted if wanted in questionnaire.languages or wanted in d.LANGUAGES else "da"


def _unavailable(request: HttpRequest, reason: str, survey: Survey | None = None) -> HttpResponse:
    language = request.GET.get("sprog") if request.GET.get("sprog") in d.LANGUAGES else "da"
    with translation.override(language):
        return render(request, "surveys/respond/unavailable.html",
                      {"reason": reason, "survey": survey, "language": language},
                      status=UNAVAILABLE_STATUS[reason])


TokenView = Callable[[HttpRequest, str], HttpResponse]


def _limit_link_guessing(view: TokenView) -> TokenView:
    """After too many unknown links from one client, refuse that client every link for a while.

    The check comes before the link is looked up: a refused client learns nothing about which links exist.
    Only unknown links count, so a respondent using a real link is never refused on its own account.
    """

    @functools.wraps(view)
    def limited(request: HttpRequest, token: str) -> HttpResponse:
        client = throttle.client_key(request)
        if throttle.SURVEY_TOKEN.locked(client):
            minutes = settings.SURVEY_TOKEN_LOCKOUT_MINUTES
            response = render(request, "too_many_attempts.html",
                              {"minutes": minutes, "language": translation.get_language()}, status=429)
            response["Retry-After"] = str(minutes * 60)
            return response
        response = view(request, token)
        if response.status_code == UNAVAILABLE_STATUS["unknown"]:
            throttle.SURVEY_TOKEN.failure_record(client)
        return response

    return limited


@never_cache
@_limit_link_guessing
@csrf_protect
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, token: str) -> HttpResponse:
    recipient = Recipient.objects.select_related("survey").filter(token=token).first()
    if recipient is None:
        return _unavailable(request, "unknown")
    try:
        draft = services.draft_for_recipient(recipient=recipient, language=request.GET.get("sprog") or "da")
    except SurveyUnavailable as unavailable:
        return _unavailable(request, unavailable.reason, recipient.survey)
    return _form(request, draft)


@never_cache
@_limit_link_guessing
@csrf_protect
@require_http_methods(["GET", "POST"])
def respond_open(request: HttpRequest, token: str) -> HttpResponse:
    survey = Survey.objects.filter(open_link_token=token).first() if token else None
    if survey is None:
        return _unavailable(request, "unknown")
    browser_key = request.get_signed_cookie(BROWSER_COOKIE + str(survey.pk), default="", salt="evidens.surveys") or ""
    fresh = not browser_key
    if fresh:
        browser_key = secrets.token_urlsafe(24)
    try:
        draft = services.draft_for_browser(survey=survey, browser_key=browser_key,
                                           language=request.GET.get("sprog") or "da")
    except SurveyUnavailable as unavailable:
        return _unavailable(request, unavailable.reason, survey)
    response = _form(request, draft)
    if fresh:
        response.set_signed_cookie(BROWSER_COOKIE + str(survey.pk), browser_key, salt="evidens.surveys",
                                   max_age=180 * 24 * 3600, httponly=True, samesite="Lax",
                                   secure=request.is_secure())
    return response


def _form(request: HttpRequest, draft: ResponseDraft) -> HttpResponse:
    questionnaire = draft.version.questionnaire()
    language = _language(request, draft, questionnaire)
    if language != draft.language:
        ResponseDraft.objects.filter(pk=draft.pk).update(language=language)
        draft.language = language
    with translation.override(language):
        if request.method == "POST":
            return _post(request, draft, questionnaire, language)
        shown = answering.shown_sections(questionnaire, draft.answers)
        index = draft.section if draft.section in shown else (shown[0] if shown else 0)
        return _page(request, draft, questionnaire, index, draft.answers, language)


def _page(request: HttpRequest, draft: ResponseDraft, questionnaire: d.SurveyDefinition, index: int,
          answers: dict[str, Any], language: str, errors: dict[str, str] | None = None,
          notice: str = "") -> HttpResponse:
    page = pages.page_view(questionnaire, index, answers, language, errors)
    return render(request, "surveys/respond/page.html", {
        "survey": draft.survey, "questionnaire": questionnaire, "page": page, "language": language,
        "title": d.text_in(questionnaire.title, language),
        "intro": d.text_in(questionnaire.intro, language) if page.first else "",
        "privacy": d.text_in(questionnaire.privacy, language),
        "languages": [code for code in questionnaire.languages if code in d.LANGUAGES],
        "errors": errors or {}, "notice": notice,
    }, status=422 if errors else 200)


def _post(request: HttpRequest, draft: ResponseDraft, questionnaire: d.SurveyDefinition,
          language: str) -> HttpResponse:
    action = request.POST.get("action", "next")
    try:
        index = int(request.POST.get("section", draft.section))
    except ValueError:
        index = draft.section
    if not 0 <= index < len(questionnaire.sections):
        return redirect(request.get_full_path())
    check_required = action in ("next", "submit")
    result = answering.read_page(questionnaire, index, request.POST, draft.answers,
                                 check_required=check_required, language=language)
    page_keys = {key for question in questionnaire.sections[index].questions for key in answering.answer_keys(question)}
    answers = {key: value for key, value in draft.answers.items() if key not in page_keys} | result.answers
    if action == "visible":  # the form asks which questions its answers show, as they are typed
        section = questionnaire.sections[index]
        return JsonResponse({"shown": [question.name for question in answering.questions_shown(section, answers)]})
    newly_shown = _newly_shown(questionnaire, index, answers, draft, request.POST.get("shown"))
    try:
        if action == "save":  # the page is being left without a button: the browser closing, say
            services.draft_save_page(draft=draft, section=index, page_answers=result.answers, go_to=index)
            return HttpResponse(status=204)
        if not result.valid:
            return _page(request, draft, questionnaire, index, answers, language, result.errors)
        if newly_shown:
            services.draft_save_page(draft=draft, section=index, page_answers=result.answers, go_to=index)
            return _page(request, draft, questionnaire, index, answers, language,
                         notice=_("Your answers opened more questions on this page. "
                                  "Please look at them before you go on."))
        if action == "back":
            go_to = answering.previous_section(questionnaire, answers, index)
            services.draft_save_page(draft=draft, section=index, page_answers=result.answers,
                                     go_to=index if go_to is None else go_to)
            return redirect(request.get_full_path())
        go_to = answering.next_section(questionnaire, answers, index)
        if go_to is not None:
            services.draft_save_page(draft=draft, section=index, page_answers=result.answers, go_to=go_to)
            return redirect(request.get_full_path())
        services.draft_save_page(draft=draft, section=index, page_answers=result.answers, go_to=index)
        missing = answering.missing_required(questionnaire, answers)
        if missing:
            ResponseDraft.objects.filter(pk=draft.pk).update(section=missing[0])
            return redirect(request.get_full_path())
        services.response_submit(draft=draft)
    except SurveyUnavailable as unavailable:
        return _unavailable(request, unavailable.reason, draft.survey)
    return render(request, "surveys/respond/thanks.html", {
        "survey": draft.survey, "language": language,
        "title": d.text_in(questionnaire.title, language),
        "thanks": d.text_in(questionnaire.thanks, language)})


def _newly_shown(questionnaire: d.SurveyDefinition, index: int, answers: dict[str, Any], draft: ResponseDraft,
                 shown: str | None) -> bool:
    """Whether answering this page revealed unanswered questions on it the respondent has not seen.

    The form says which questions it showed; a client that does not say was shown what the saved answers show.
    """
    section = questionnaire.sections[index]
    before = set(shown.split()) if shown is not None else {
        question.name for question in answering.questions_shown(section, draft.answers)}
    now = {question.name for question in answering.questions_shown(section, answers)
           if question.type != d.INFORMATION and d.unanswered(answers.get(question.name))}
    return bool(now - before)  # an answered question has been seen, whatever the form said


@never_cache
@_limit_link_guessing
@csrf_protect
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    recipient = Recipient.objects.select_related("survey").filter(token=token).first()
    if recipient is None:
        return _unavailable(request, "unknown")
    done = request.method == "POST"
    if done:
        services.recipient_unsubscribe(recipient=recipient)
    return render(request, "surveys/respond/unsubscribe.html",
                  {"survey": recipient.survey, "done": done or recipient.unsubscribed_at is not None,
                   "language": "da"})
