"""Reads of the evidence base."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from evidens.evidence import analysis
from evidens.evidence.models import (
    Assumption,
    AssumptionFinding,
    AssumptionVerdict,
    Challenge,
    Channel,
    EvidenceItem,
    Finding,
    FindingEvidence,
    Need,
    Stance,
    Verdict,
)
from evidens.processes.models import StrategyProcess


def evidence_items(*, process: StrategyProcess, channel: str = "") -> QuerySet[EvidenceItem]:
    items = EvidenceItem.objects.filter(process=process).select_related("created_by")
    if channel:
        items = items.filter(channel=channel)
    return items.order_by("-created_at", "-id")


def counting(item: EvidenceItem) -> list[str]:
    """How the item's numbers were counted: channels write one sentence or a list of them."""
    written = item.definition.get("counting") if isinstance(item.definition, dict) else None
    if isinstance(written, str):
        return [written]
    return [str(sentence) for sentence in written] if isinstance(written, list) else []


def versions_of(item: EvidenceItem) -> QuerySet[EvidenceItem]:
    return EvidenceItem.objects.filter(process=item.process, source_key=item.source_key).order_by("-version")


# ---------------------------------------------------------------------------------------------
# The evidence base: what the board's assumptions meet
# ---------------------------------------------------------------------------------------------


def challenges(process: StrategyProcess) -> QuerySet[Challenge]:
    return process.challenges.prefetch_related(Prefetch(
        "assumptions", queryset=Assumption.objects.select_related("sceptic").order_by("position", "id")))


def assumptions(process: StrategyProcess) -> QuerySet[Assumption]:
    return Assumption.objects.filter(process=process).select_related("challenge", "sceptic").order_by("position",
                                                                                                       "id")


def findings(process: StrategyProcess) -> QuerySet[Finding]:
    return Finding.objects.filter(process=process).prefetch_related(
        Prefetch("links", queryset=FindingEvidence.objects.select_related("item").order_by("id")))


def finding_facts(process: StrategyProcess) -> dict[int, analysis.FindingFacts]:
    """Every finding of the process with its evidence links, as the analysis reads them (two queries)."""
    links: dict[int, list[analysis.EvidenceLink]] = defaultdict(list)
    for finding_id, item_id, channel, stance in FindingEvidence.objects.filter(finding__process=process).order_by(
            "id").values_list("finding_id", "item_id", "item__channel", "stance"):
        links[finding_id].append(analysis.EvidenceLink(item_id, channel, stance))
    return {finding_id: analysis.FindingFacts(finding_id, status, tuple(links[finding_id]))
            for finding_id, status in Finding.objects.filter(process=process).values_list("pk", "status")}


def assumption_links(process: StrategyProcess, facts: dict[int, analysis.FindingFacts] | None = None
                     ) -> dict[int, list[analysis.AssumptionLink]]:
    """assumption id -> its findings with their stance on it."""
    facts = finding_facts(process) if facts is None else facts
    result: dict[int, list[analysis.AssumptionLink]] = defaultdict(list)
    for assumption_id, finding_id, stance in AssumptionFinding.objects.filter(
            assumption__process=process).order_by("id").values_list("assumption_id", "finding_id", "stance"):
        result[assumption_id].append(analysis.AssumptionLink(facts[finding_id], stance))
    return result


@dataclass(frozen=True)
class AssumptionReview:
    """One row of "Antagelser mod fakta": the assumption, what the findings propose, and the strongest for and
    against."""

    assumption: Assumption
    proposal: analysis.Proposal
    strongest_for: Finding | None
    strongest_against: Finding | None
    untested: list[str]

    @property
    def proposal_label(self) -> str:
        return str(Verdict(self.proposal.verdict).label)

    @property
    def untested_labels(self) -> list[str]:
        return [str(Channel(channel).label) for channel in self.untested]


def assumption_reviews(process: StrategyProcess, *, only: Assumption | None = None) -> list[AssumptionReview]:
    """Every assumption's review, or ``only`` that one's."""
    facts = finding_facts(process)
    links = assumption_links(process, facts)
    by_id = {finding.pk: finding for finding in findings(process)}

    def finding_of(link: analysis.AssumptionLink | None) -> Finding | None:
        return by_id[link.finding.finding_id] if link is not None else None

    return [AssumptionReview(
        assumption=assumption, proposal=analysis.propose_verdict(links[assumption.pk]),
        strongest_for=finding_of(analysis.strongest(links[assumption.pk], Stance.SUPPORTS)),
        strongest_against=finding_of(analysis.strongest(links[assumption.pk], Stance.CONTRADICTS)),
        untested=analysis.untested_channels(assumption.channels, links[assumption.pk]))
        for assumption in ([only] if only is not None else assumptions(process))]


def assumption_review(assumption: Assumption) -> AssumptionReview:
    return assumption_reviews(assumption.process, only=assumption)[0]


def assumption_findings(assumption: Assumption) -> QuerySet[AssumptionFinding]:
    return assumption.finding_links.select_related("finding").order_by("stance", "id")


def verdict_history(assumption: Assumption) -> QuerySet[AssumptionVerdict]:
    return assumption.verdicts.select_related("decided_by")


def triangulation(process: StrategyProcess) -> list[tuple[Finding, analysis.TriangulationRow]]:
    facts = finding_facts(process)
    found = list(Finding.objects.filter(process=process).order_by("id"))
    rows = analysis.triangulation([facts[finding.pk] for finding in found])
    return list(zip(found, rows, strict=True))


def finding_strength(finding: Finding) -> analysis.Strength:
    links = tuple(analysis.EvidenceLink(item_id, channel, stance) for item_id, channel, stance in
                  finding.links.order_by("id").values_list("item_id", "item__channel", "stance"))
    return analysis.strength(analysis.FindingFacts(finding.pk, finding.status, links))


def needs(process: StrategyProcess) -> QuerySet[Need]:
    return process.needs.prefetch_related("findings__links__item")


def needs_by_segment(process: StrategyProcess) -> dict[str, list[Need]]:
    grouped: dict[str, list[Need]] = {}
    for need in needs(process):
        grouped.setdefault(need.segment, []).append(need)
    return grouped


def citing_findings(item: EvidenceItem) -> QuerySet[FindingEvidence]:
    """What cites an evidence item: the findings (with the stance) that rest on it."""
    return item.finding_links.select_related("finding").order_by("finding_id")


# The export's fixed verdict words (Danish, as the board uses them), independent of the interface's language.
EXPORT_VERDICTS = {Verdict.CONFIRMED: "bekræftet", Verdict.REFUTED: "afkræftet", Verdict.PARTLY: "delvist",
                   Verdict.UNRESOLVED: "uafklaret"}


def evidence_export(process: StrategyProcess) -> dict[str, Any]:
    """The whole evidence base as plain data: challenges, assumptions with verdicts and findings, findings with
    their evidence, needs with their findings."""
    links = defaultdict(list)
    for assumption_id, finding_id, stance in AssumptionFinding.objects.filter(
            assumption__process=process).order_by("id").values_list("assumption_id", "finding_id", "stance"):
        links[assumption_id].append((finding_id, stance))
    reviews = {review.assumption.pk: review for review in assumption_reviews(process)}
    return {
        "process": process.slug,
        "challenges": [{"id": challenge.pk, "title": challenge.title, "description": challenge.description}
                       for challenge in process.challenges.all()],
        "assumptions": [{
            "id": assumption.pk, "statement": assumption.statement, "challenge": assumption.challenge_id,
            "held_by": assumption.held_by, "importance": assumption.importance,
            "must_be_true": assumption.must_be_true, "channels": assumption.channels,
            "sceptic": assumption.sceptic.get_username() if assumption.sceptic else None,
            "verdict": EXPORT_VERDICTS[Verdict(assumption.verdict)],
            "proposed_verdict": EXPORT_VERDICTS[Verdict(reviews[assumption.pk].proposal.verdict)],
            "findings": [finding_id for finding_id, _stance in links[assumption.pk]],
            "supporting_findings": [finding_id for finding_id, stance in links[assumption.pk]
                                    if stance == Stance.SUPPORTS],
            "contradicting_findings": [finding_id for finding_id, stance in links[assumption.pk]
                                       if stance == Stance.CONTRADICTS]}
            for assumption in assumptions(process)],
        "findings": [{
            "id": finding.pk, "statement": finding.statement, "status": finding.status, "segments": finding.segments,
            "evidence": [{"id": link.item.pk, "channel": link.item.channel, "stance": link.stance,
                          "title": link.item.title, "version": link.item.version, "note": link.note,
                          "content_hash": link.item.content_hash, "link": link.item.link}
                         for link in finding.links.all()]}
            for finding in findings(process)],
        "needs": [{"id": need.pk, "segment": need.segment, "statement": need.statement,
                   "findings": [finding.pk for finding in need.findings.all()]} for need in needs(process)],
    }
