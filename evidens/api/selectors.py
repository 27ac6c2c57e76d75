"""Reads the API needs in a shape the other apps' selectors do not give."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, F, Prefetch, QuerySet, Value

from evidens.api.models import ApiToken
from evidens.evidence.models import Assumption, AssumptionFinding
from evidens.evidence.selectors import assumptions
from evidens.processes.models import StrategyProcess
from evidens.stakeholders.models import Person
from evidens.stakeholders.selectors import person_list
from evidens.strategy.models import OptionVersion, StrategyOption
from evidens.strategy.selectors import options


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def people(*, process: StrategyProcess, contact_details: bool) -> QuerySet[Person]:
    """The register's people as the person list shows them. Contact and consent leave the database only for a
    role that sees them on the web (``shown_*``), so a serializer cannot hand them out by mistake."""
    hidden = Value(None, output_field=CharField())
    return person_list(process=process).annotate(
        shown_email=F("email") if contact_details else hidden,
        shown_phone=F("phone") if contact_details else hidden,
        shown_consent=F("consent") if contact_details else hidden,
    )


def assumptions_with_findings(process: StrategyProcess) -> QuerySet[Assumption]:
    return assumptions(process).prefetch_related(
        Prefetch("finding_links", queryset=AssumptionFinding.objects.order_by("id")))


def options_with_versions(process: StrategyProcess) -> QuerySet[StrategyOption]:
    """Options in their order, each with its versions newest first (the first is the latest)."""
    return options(process).order_by("position", "id").prefetch_related(
        Prefetch("versions", queryset=OptionVersion.objects.order_by("-number")))
