"""The JSON API: read-only views of a process for the holder of a personal token, with the web's role checks."""

# No ``from __future__ import annotations`` here: ninja reads a paginated operation's annotations in the namespace
# of its pagination decorator, where string annotations such as "Channel | None" cannot be resolved.

from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.text import slugify
from ninja import Field, NinjaAPI, Path, Query, Schema, Swagger
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from evidens.api import schemas, selectors
from evidens.api.auth import TokenAuth, process_for
from evidens.evidence import selectors as evidence_selectors
from evidens.evidence.models import Assumption, Channel, EvidenceItem, Finding
from evidens.processes import selectors as process_selectors
from evidens.processes.access import Permission
from evidens.processes.audit import personal_data_listed
from evidens.processes.models import Membership
from evidens.stakeholders import selectors as stakeholder_selectors
from evidens.stakeholders.models import Organisation, Person
from evidens.strategy.models import StrategyOption
from evidens.surveys import exporting
from evidens.surveys import selectors as survey_selectors
from evidens.surveys import services as survey_services
from evidens.surveys.models import Survey

# Slugs as the web's URLs take them; ids within what every database column holds.
Slug = Path(..., pattern=r"^[-a-zA-Z0-9_]+$", max_length=60)
Id = Path(..., ge=1, le=2**31 - 1)


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(50, ge=1, le=200)
        offset: int = Field(0, ge=0, le=10**9)


api = NinjaAPI(
    title="Evidens",
    version="1",
    description="Read-only access to the processes you are a member of. Authenticate with a personal token "
                "(`Authorization: Bearer <token>`), made on the page /api/tokens/.",
    auth=TokenAuth(),
    urls_namespace="evidens-api",
    # Swagger UI from ninja's own static files ("ninja" is an installed app), and no online validator badge:
    # the page makes no request outside this installation.
    docs=Swagger(settings={"validatorUrl": None}),
)


@api.get("/processes/", response=list[schemas.ProcessSummary], tags=["processes"])
@paginate(Pagination)
def process_list(request: HttpRequest) -> QuerySet[Membership]:
    return process_selectors.processes_for_user(request.auth)  # type: ignore[attr-defined]


@api.get("/processes/{slug}/", response=schemas.ProcessDetail, tags=["processes"])
def process_detail(request: HttpRequest, slug: str = Slug) -> Membership:
    return process_for(request, slug).membership


@api.get("/processes/{slug}/organisations/", response=list[schemas.OrganisationOut], tags=["stakeholders"])
@paginate(Pagination)
def organisation_list(request: HttpRequest, slug: str = Slug) -> QuerySet[Organisation]:
    return stakeholder_selectors.organisation_list(process=process_for(request, slug).process)


@api.get("/processes/{slug}/people/", response=list[schemas.PersonOut], tags=["stakeholders"],
         description="E-mail, phone and consent are null unless your role analyses or manages the register.")
@paginate(Pagination)
def person_list(request: HttpRequest, slug: str = Slug) -> QuerySet[Person]:
    access = process_for(request, slug)
    personal_data_listed(process=access.process, actor=request.auth, model=Person)  # type: ignore[attr-defined]
    return selectors.people(process=access.process, contact_details=access.sees_contact_details)


@api.get("/processes/{slug}/surveys/", response=list[schemas.SurveyOut], tags=["surveys"])
@paginate(Pagination)
def survey_list(request: HttpRequest, slug: str = Slug) -> QuerySet[Survey]:
    return survey_selectors.survey_list(process=process_for(request, slug).process)


@api.get("/processes/{slug}/surveys/{survey_id}/responses", tags=["surveys"],
         summary="Export the responses",
         description="The web page's export file (the same columns, the same anonymity rules; recorded in the "
                     "audit trail). Needs a role that analyses.",
         openapi_extra={"responses": {200: {"description": "The export file", "content": {
             exporting.CONTENT_TYPES[name]: {"schema": {"type": "string", "format": "binary"}}
             for name in ("csv", "xlsx", "sav")}}}})
def survey_responses(request: HttpRequest, slug: str = Slug, survey_id: int = Id,
                     file_format: Literal["csv", "xlsx", "sav"] = Query("csv", alias="format")) -> HttpResponse:
    access = process_for(request, slug, Permission.ANALYSE)
    survey = Survey.objects.filter(process=access.process, pk=survey_id).first()
    if survey is None:
        raise HttpError(404, "Not Found")
    try:
        content = survey_services.survey_export(survey=survey, actor=request.auth,  # type: ignore[attr-defined]
                                                file_format=file_format, language=translation.get_language() or "da")
    except exporting.ExportError as error:
        raise HttpError(409, str(error)) from error
    stem = slugify(survey.title.translate(exporting.DANISH_LETTERS)) or "survey"
    response = HttpResponse(content, content_type=exporting.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{file_format}"'
    return response


@api.get("/processes/{slug}/evidence/", response=list[schemas.EvidenceItemOut], tags=["evidence"])
@paginate(Pagination)
def evidence_item_list(request: HttpRequest, slug: str = Slug,
                       channel: Channel | None = None) -> QuerySet[EvidenceItem]:
    return evidence_selectors.evidence_items(process=process_for(request, slug).process, channel=channel or "")


@api.get("/processes/{slug}/findings/", response=list[schemas.FindingOut], tags=["evidence"])
@paginate(Pagination)
def finding_list(request: HttpRequest, slug: str = Slug) -> QuerySet[Finding]:
    return evidence_selectors.findings(process_for(request, slug).process).order_by("id")


@api.get("/processes/{slug}/assumptions/", response=list[schemas.AssumptionOut], tags=["evidence"])
@paginate(Pagination)
def assumption_list(request: HttpRequest, slug: str = Slug) -> QuerySet[Assumption]:
    return selectors.assumptions_with_findings(process_for(request, slug).process)


@api.get("/processes/{slug}/options/", response=list[schemas.OptionOut], tags=["strategy"])
@paginate(Pagination)
def option_list(request: HttpRequest, slug: str = Slug) -> QuerySet[StrategyOption]:
    return selectors.options_with_versions(process_for(request, slug).process)
