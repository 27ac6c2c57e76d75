from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from evidens.evidence.models import Channel
from evidens.processes.models import StrategyProcess
from evidens.reports.models import Publication, ReportBuild
from evidens.strategy.models import Decision


def builds(process: StrategyProcess) -> QuerySet[ReportBuild]:
    return ReportBuild.objects.filter(process=process).select_related("survey", "job", "created_by")


@dataclass(frozen=True)
class PublicFinding:
    statement: str
    channels: list[str]  # the channels its evidence comes from, in words


@dataclass(frozen=True)
class PublicPage:
    """What members see: no names, no numbers of small groups, only what the secretariat chose."""

    process: StrategyProcess
    intro: str
    findings: list[PublicFinding]
    decision: dict[str, Any] | None  # from the signed decision's frozen record


def public_page(token: str) -> PublicPage | None:
    publication = (Publication.objects.filter(token=token, published=True).select_related("process")
                   .prefetch_related("findings__links__item").first())
    if publication is None:
        return None
    findings = [PublicFinding(finding.statement, sorted({str(Channel(link.item.channel).label)
                                                         for link in finding.links.all()}))
                for finding in publication.findings.order_by("id")]
    decision = None
    if publication.include_decision:
        signed = (Decision.objects.filter(process=publication.process, signed_off_at__isnull=False)
                  .order_by("-decided_on", "-id").first())
        if signed is not None and signed.record:
            record = signed.record
            decision = {"option": record["decision"]["option"], "date": signed.decided_on,
                        "summary": record["option"]["description"].get("summary", ""),
                        "ambition": record["option"]["description"].get("ambition", ""),
                        "rationale": record["decision"]["rationale"],
                        "goals": [{**goal, "deadline": date.fromisoformat(goal["deadline"])}
                                  for goal in record["decision"]["goals"]],
                        "votes": record["decision"]["votes"]}
    return PublicPage(publication.process, publication.intro, findings, decision)
