"""Testing the board's assumptions against findings: pure functions over plain dataclasses, no ORM.

    strength(finding)                    -> Strength             which channels a finding rests on
    propose_verdict(links)               -> Proposal             the verdict the evidence points to, with reasons
    triangulation(findings)              -> list[TriangulationRow]   evidence per finding × channel × stance
    untested_channels(planned, links)    -> list[str]            planned channels no counted finding draws on
    strongest(links, stance)             -> AssumptionLink | None    the weightiest finding for or against

A finding rests on evidence items, each handed over by one of the four channels and each supporting the finding,
contradicting it or giving context. A finding in turn supports or contradicts an assumption. The verdict is only a
proposal: a person sets the verdict, with a reason, and may depart from it.

**The policy** (each rule is pinned by a test in ``tests/evidence/test_analysis.py``):

1. Only findings with status reviewed or approved count. Draft findings are named in the reasons as not counted, so
   the board sees that more is on its way; a draft has not been checked by a second person and may still change.
2. A finding's weight is its strength: the number of distinct channels whose evidence supports it. Two items from
   the same channel are one source seen twice, not two independent sources. A counted finding without supporting
   evidence items carries no weight, and the reasons say so.
3. ``for_weight`` is the number of distinct channels behind the counted findings that support the assumption (the
   union of their supporting channels, so two survey findings are still one channel), ``against_weight`` the same
   for those that contradict it.
4. Nothing counted (both weights 0): unresolved.
5. Nothing against, for ≥ 2: confirmed.
6. Nothing against, for = 1: partly confirmed, because the assumption rests on one channel only and a second source
   should be sought.
7. Nothing for, against > 0: refuted. One well-founded contradiction is enough, while one supporting channel is not
   enough to confirm: a strategy built on an assumption that the only reviewed evidence contradicts would be built
   on something the board has reason to believe false, and calling it "unresolved" would hide the one thing that is
   known. Confirming asks more, because support from a single source may reflect that source's angle.
8. Both for > 0 and against > 0: partly confirmed, and the reasons name both sides.

A finding is *counted* when its status is reviewed or approved (rule 1), whatever its weight; ``untested_channels``
and ``strongest`` use the same meaning. ``strongest`` passes over weightless findings: a finding that carries no
weight in the verdict is not shown as the strongest evidence for or against.

Values are checked when the dataclasses are built and when functions take a stance or channels; a wrong value is a
programming error and raises ``ValueError`` with an English message.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SUPPORTS, CONTRADICTS, CONTEXT = "supports", "contradicts", "context"
CONFIRMED, REFUTED, PARTLY, UNRESOLVED = "confirmed", "refuted", "partly", "unresolved"
DRAFT, REVIEWED, APPROVED = "draft", "reviewed", "approved"
CHANNELS = ("surveys", "webstats", "archive", "interviews")

EVIDENCE_STANCES = (SUPPORTS, CONTRADICTS, CONTEXT)
ASSUMPTION_STANCES = (SUPPORTS, CONTRADICTS)
STATUSES = (DRAFT, REVIEWED, APPROVED)
COUNTED_STATUSES = (REVIEWED, APPROVED)


def _check(value: str, allowed: Sequence[str], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(allowed)}, not {value!r}")


@dataclass(frozen=True)
class EvidenceLink:
    """An evidence item cited by a finding: which channel handed it over and how it bears on the finding."""

    item_id: int
    channel: str
    stance: str

    def __post_init__(self) -> None:
        _check(self.channel, CHANNELS, "channel")
        _check(self.stance, EVIDENCE_STANCES, "evidence stance")


@dataclass(frozen=True)
class FindingFacts:
    """What the analysis needs to know of a finding: its status and the evidence items it cites."""

    finding_id: int
    status: str
    evidence: tuple[EvidenceLink, ...]

    def __post_init__(self) -> None:
        _check(self.status, STATUSES, "finding status")
        # A list is accepted too; stored as a tuple so the facts stay frozen and hashable.
        object.__setattr__(self, "evidence", tuple(self.evidence))
        item_ids = [link.item_id for link in self.evidence]
        if len(set(item_ids)) != len(item_ids):
            raise ValueError(f"finding {self.finding_id} cites an evidence item twice")


@dataclass(frozen=True)
class AssumptionLink:
    """A finding brought to bear on an assumption: it supports or contradicts it."""

    finding: FindingFacts
    stance: str

    def __post_init__(self) -> None:
        _check(self.stance, ASSUMPTION_STANCES, "assumption stance")


@dataclass(frozen=True)
class Strength:
    supporting_channels: tuple[str, ...]
    contradicting_channels: tuple[str, ...]
    context_channels: tuple[str, ...]

    @property
    def value(self) -> int:
        """The finding's weight: the number of independent channels supporting it."""
        return len(self.supporting_channels)

    @property
    def single_channel(self) -> bool:
        return self.value == 1

    @property
    def contested(self) -> bool:
        return bool(self.contradicting_channels)


@dataclass(frozen=True)
class Proposal:
    verdict: str
    reasons: tuple[str, ...]
    counted: tuple[int, ...]  # ids of the counted findings, ascending
    for_weight: int
    against_weight: int


@dataclass(frozen=True)
class TriangulationRow:
    finding_id: int
    cells: dict[str, dict[str, int]]  # channel → stance → number of evidence items; every channel and stance present
    single_channel: bool  # supporting evidence from exactly one channel, as in ``Strength``
    no_evidence: bool  # no evidence items at all, of any stance


def _in_channel_order(channels: Iterable[str]) -> tuple[str, ...]:
    present = set(channels)
    return tuple(channel for channel in CHANNELS if channel in present)


def strength(finding: FindingFacts) -> Strength:
    """The distinct channels of the finding's supporting, contradicting and context evidence, in ``CHANNELS`` order.

    ``value`` is the number of supporting channels; ``single_channel`` is true when that number is exactly 1;
    ``contested`` when any evidence item contradicts the finding.
    """

    def channels(stance: str) -> tuple[str, ...]:
        return _in_channel_order(link.channel for link in finding.evidence if link.stance == stance)

    return Strength(supporting_channels=channels(SUPPORTS), contradicting_channels=channels(CONTRADICTS),
                    context_channels=channels(CONTEXT))


def _weight(link: AssumptionLink) -> int:
    return strength(link.finding).value


def _counted(links: Sequence[AssumptionLink]) -> list[AssumptionLink]:
    """The links whose finding counts (rule 1); a finding linked twice would be counted twice, so it is refused."""
    finding_ids = [link.finding.finding_id for link in links]
    if len(set(finding_ids)) != len(finding_ids):
        raise ValueError("a finding is linked to the assumption more than once")
    return [link for link in links if link.finding.status in COUNTED_STATUSES]


def _side_reason(weighty: list[AssumptionLink], stance: str) -> str:
    channel_count = len(_in_channel_order(channel for link in weighty
                                          for channel in strength(link.finding).supporting_channels))
    # Translators: fills %(channels)s in “… finding supports it, resting on %(channels)s.” and its siblings.
    channels = ngettext("%(count)s channel", "%(count)s channels", channel_count) % {"count": channel_count}
    values = {"count": len(weighty), "channels": channels}
    if stance == SUPPORTS:
        # Translators: “it” is the assumption (antagelse) throughout the reasons of a proposed verdict.
        return ngettext("%(count)s finding supports it, resting on %(channels)s.",
                        "%(count)s findings support it, resting on %(channels)s.", len(weighty)) % values
    return ngettext("%(count)s finding contradicts it, resting on %(channels)s.",
                    "%(count)s findings contradict it, resting on %(channels)s.", len(weighty)) % values


def propose_verdict(links: Sequence[AssumptionLink]) -> Proposal:
    """The verdict the counted findings point to, by rules 1–8 of the module docstring, with plain reasons.

    The reasons are sentences in the active language: the side(s) with weight, why the verdict follows, then what
    was left out (weightless findings, drafts). The result does not depend on the order of ``links``.
    """
    counted = _counted(links)
    weighty = {stance: [link for link in counted if link.stance == stance and _weight(link)]
               for stance in ASSUMPTION_STANCES}
    for_weight, against_weight = (len({channel for link in weighty[stance]
                                        for channel in strength(link.finding).supporting_channels})
                                   for stance in ASSUMPTION_STANCES)
    reasons = [_side_reason(weighty[stance], stance) for stance in ASSUMPTION_STANCES if weighty[stance]]

    if not for_weight and not against_weight:
        verdict = UNRESOLVED
        reasons.append(_("No reviewed finding with evidence behind it is linked to it yet."))
    elif not against_weight:
        if for_weight >= 2:
            verdict = CONFIRMED
            reasons.append(_("No reviewed finding with evidence behind it contradicts it."))
        else:
            verdict = PARTLY
            reasons.append(_("It rests on one channel only; look for a second source."))
    elif not for_weight:
        verdict = REFUTED
        reasons.append(_("No reviewed finding with evidence behind it supports it."))
    else:
        verdict = PARTLY
        reasons.append(_("The findings point both ways."))

    weightless = sum(1 for link in counted if not _weight(link))
    if weightless:
        reasons.append(ngettext("%(count)s reviewed finding has no evidence behind it and carries no weight.",
                                "%(count)s reviewed findings have no evidence behind them and carry no weight.",
                                weightless) % {"count": weightless})
    drafts = len(links) - len(counted)
    if drafts:
        reasons.append(ngettext("%(count)s draft finding is not counted until it is reviewed.",
                                "%(count)s draft findings are not counted until they are reviewed.",
                                drafts) % {"count": drafts})

    return Proposal(verdict=verdict, reasons=tuple(reasons),
                    counted=tuple(sorted(link.finding.finding_id for link in counted)),
                    for_weight=for_weight, against_weight=against_weight)


def triangulation(findings: Sequence[FindingFacts]) -> list[TriangulationRow]:
    """One row per finding, in the order given: the number of evidence items per channel and stance (zeros included,
    every channel of ``CHANNELS`` and every stance present), whether the finding rests on a single channel (as in
    ``strength``) and whether it cites no evidence at all. Drafts are included: the table shows the work in progress.
    """
    rows = []
    for finding in findings:
        cells = {channel: dict.fromkeys(EVIDENCE_STANCES, 0) for channel in CHANNELS}
        for link in finding.evidence:
            cells[link.channel][link.stance] += 1
        rows.append(TriangulationRow(finding_id=finding.finding_id, cells=cells,
                                     single_channel=strength(finding).single_channel,
                                     no_evidence=not finding.evidence))
    return rows


def untested_channels(planned: Sequence[str], links: Sequence[AssumptionLink]) -> list[str]:
    """The channels the board planned to test the assumption with that no counted linked finding has evidence from,
    of any stance, in ``CHANNELS`` order. A draft's evidence does not count: the draft may still change.
    """
    for channel in planned:
        _check(channel, CHANNELS, "planned channel")
    used = {evidence.channel for link in _counted(links) for evidence in link.finding.evidence}
    return [channel for channel in _in_channel_order(planned) if channel not in used]


def strongest(links: Sequence[AssumptionLink], stance: str) -> AssumptionLink | None:
    """The counted link with that stance whose finding weighs most; of equal weights an approved finding before a
    reviewed one, then the lower finding id. None when no counted finding with that stance carries weight.
    """
    _check(stance, ASSUMPTION_STANCES, "assumption stance")
    weighty = [link for link in _counted(links) if link.stance == stance and _weight(link)]
    if not weighty:
        return None
    return min(weighty, key=lambda link: (-_weight(link), link.finding.status != APPROVED, link.finding.finding_id))
