"""Assumptions against findings: each rule of the policy in evidens/evidence/analysis.py on cases built by hand.

The rule numbers in the test names are those of the module docstring. Findings are written as a status and a list
of (channel, stance) pairs for their evidence items; the expected weights are counted by hand from those pairs.
"""

from __future__ import annotations

from random import Random

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from evidens.evidence.analysis import (
    APPROVED,
    CHANNELS,
    CONFIRMED,
    CONTEXT,
    CONTRADICTS,
    DRAFT,
    PARTLY,
    REFUTED,
    REVIEWED,
    SUPPORTS,
    UNRESOLVED,
    AssumptionLink,
    EvidenceLink,
    FindingFacts,
    propose_verdict,
    strength,
    strongest,
    triangulation,
    untested_channels,
)


def finding(finding_id: int, *evidence: tuple[str, str], status: str = REVIEWED) -> FindingFacts:
    """A finding citing one evidence item per (channel, stance) pair; item ids are made unique per finding."""
    return FindingFacts(finding_id=finding_id, status=status,
                        evidence=tuple(EvidenceLink(item_id=finding_id * 100 + number, channel=channel, stance=stance)
                                       for number, (channel, stance) in enumerate(evidence)))


def supports(facts: FindingFacts) -> AssumptionLink:
    return AssumptionLink(finding=facts, stance=SUPPORTS)


def contradicts(facts: FindingFacts) -> AssumptionLink:
    return AssumptionLink(finding=facts, stance=CONTRADICTS)


def english_reasons(links: list[AssumptionLink]) -> tuple[str, ...]:
    with translation.override("en"):
        return propose_verdict(links).reasons


# --- Strength -------------------------------------------------------------------------------------------------------


def test_strength_lists_distinct_channels_in_channel_order() -> None:
    # Given out of order and with surveys twice: surveys counts once and comes first, as in CHANNELS.
    facts = finding(1, ("interviews", SUPPORTS), ("surveys", SUPPORTS), ("surveys", SUPPORTS),
                    ("archive", CONTRADICTS), ("webstats", CONTEXT), ("surveys", CONTEXT))
    result = strength(facts)
    assert result.supporting_channels == ("surveys", "interviews")
    assert result.contradicting_channels == ("archive",)
    assert result.context_channels == ("surveys", "webstats")
    assert result.value == 2
    assert not result.single_channel
    assert result.contested


def test_strength_of_a_finding_on_one_channel() -> None:
    # Three survey items are one source seen three times: value 1, single channel, nothing against it.
    result = strength(finding(1, ("surveys", SUPPORTS), ("surveys", SUPPORTS), ("surveys", SUPPORTS)))
    assert (result.value, result.single_channel, result.contested) == (1, True, False)


@pytest.mark.parametrize("evidence", [(), (("archive", CONTEXT),), (("archive", CONTRADICTS),)])
def test_strength_without_supporting_evidence_is_zero(evidence: tuple[tuple[str, str], ...]) -> None:
    # Context or contradicting items give a finding no support; "single channel" means supported by one channel.
    result = strength(finding(1, *evidence))
    assert result.value == 0
    assert result.supporting_channels == ()
    assert not result.single_channel


# --- Checking values ------------------------------------------------------------------------------------------------


def test_unknown_channel_stance_and_status_are_refused() -> None:
    with pytest.raises(ValueError, match="channel"):
        EvidenceLink(item_id=1, channel="newsletter", stance=SUPPORTS)
    with pytest.raises(ValueError, match="evidence stance"):
        EvidenceLink(item_id=1, channel="surveys", stance="maybe")
    with pytest.raises(ValueError, match="finding status"):
        finding(1, status="published")
    # A finding gives an assumption support or contradiction; "context" belongs to evidence items only.
    with pytest.raises(ValueError, match="assumption stance"):
        AssumptionLink(finding=finding(1), stance=CONTEXT)
    with pytest.raises(ValueError, match="assumption stance"):
        strongest([], CONTEXT)
    with pytest.raises(ValueError, match="planned channel"):
        untested_channels(["surveys", "newsletter"], [])


def test_an_item_cited_twice_by_a_finding_is_refused() -> None:
    # The database allows one link per finding and item; twice would count one item twice.
    link = EvidenceLink(item_id=7, channel="surveys", stance=SUPPORTS)
    with pytest.raises(ValueError, match="twice"):
        FindingFacts(finding_id=1, status=REVIEWED, evidence=(link, link))


def test_a_finding_linked_twice_to_the_assumption_is_refused() -> None:
    facts = finding(1, ("surveys", SUPPORTS), ("archive", SUPPORTS))
    for call in (lambda: propose_verdict([supports(facts), contradicts(facts)]),
                 lambda: strongest([supports(facts), supports(facts)], SUPPORTS),
                 lambda: untested_channels(["surveys"], [supports(facts), supports(facts)])):
        with pytest.raises(ValueError, match="more than once"):
            call()


def test_evidence_given_as_a_list_is_kept_as_a_tuple() -> None:
    facts = FindingFacts(finding_id=1, status=REVIEWED,
                         evidence=[EvidenceLink(item_id=1, channel="surveys", stance=SUPPORTS)])  # type: ignore[arg-type]
    assert isinstance(facts.evidence, tuple)
    assert hash(facts) == hash(FindingFacts(finding_id=1, status=REVIEWED, evidence=facts.evidence))


# --- Rule 1: only reviewed and approved findings count --------------------------------------------------------------


def test_rule_1_drafts_are_not_counted_and_are_named() -> None:
    # The draft rests on three channels and would confirm the assumption, but it has not been reviewed.
    draft = finding(1, ("surveys", SUPPORTS), ("archive", SUPPORTS), ("interviews", SUPPORTS), status=DRAFT)
    proposal = propose_verdict([supports(draft)])
    assert proposal.verdict == UNRESOLVED
    assert proposal.counted == ()
    assert (proposal.for_weight, proposal.against_weight) == (0, 0)
    assert english_reasons([supports(draft)]) == (
        "No reviewed finding with evidence behind it is linked to it yet.",
        "1 draft finding is not counted until it is reviewed.",
    )


def test_rule_1_a_draft_contradiction_does_not_spoil_a_confirmation() -> None:
    reviewed = finding(1, ("surveys", SUPPORTS), ("webstats", SUPPORTS))
    drafts = [contradicts(finding(2, ("interviews", SUPPORTS), status=DRAFT)),
              contradicts(finding(3, ("archive", SUPPORTS), status=DRAFT))]
    proposal = propose_verdict([supports(reviewed), *drafts])
    assert proposal.verdict == CONFIRMED
    assert proposal.counted == (1,)
    assert english_reasons([supports(reviewed), *drafts])[-1] == (
        "2 draft findings are not counted until they are reviewed.")


def test_rule_1_approved_counts_like_reviewed() -> None:
    approved = finding(4, ("surveys", SUPPORTS), ("archive", SUPPORTS), status=APPROVED)
    reviewed = finding(2, ("surveys", SUPPORTS), ("archive", SUPPORTS), status=REVIEWED)
    for facts in (approved, reviewed):
        proposal = propose_verdict([supports(facts)])
        assert (proposal.verdict, proposal.for_weight, proposal.counted) == (CONFIRMED, 2, (facts.finding_id,))


# --- Rule 2: a finding's weight is the number of channels supporting it ---------------------------------------------


def test_rule_2_items_from_one_channel_weigh_one() -> None:
    # Four archive items support the finding: one channel, weight 1, so not confirmed (rule 6).
    facts = finding(1, *[("archive", SUPPORTS)] * 4)
    proposal = propose_verdict([supports(facts)])
    assert (proposal.verdict, proposal.for_weight) == (PARTLY, 1)


def test_rule_2_contradicting_and_context_items_do_not_change_the_weight() -> None:
    # Supported by surveys and webstats (2), contradicted by interviews, context from the archive: weight stays 2.
    facts = finding(1, ("surveys", SUPPORTS), ("webstats", SUPPORTS), ("interviews", CONTRADICTS),
                    ("archive", CONTEXT))
    assert propose_verdict([supports(facts)]).for_weight == 2


def test_rule_2_findings_without_supporting_evidence_weigh_nothing_and_are_named() -> None:
    # One cites nothing, one only context, one only evidence against itself: all counted, none with weight.
    links = [supports(finding(1)), supports(finding(2, ("webstats", CONTEXT))),
             contradicts(finding(3, ("interviews", CONTRADICTS)))]
    proposal = propose_verdict(links)
    assert proposal.verdict == UNRESOLVED
    assert proposal.counted == (1, 2, 3)
    assert (proposal.for_weight, proposal.against_weight) == (0, 0)
    assert english_reasons(links) == (
        "No reviewed finding with evidence behind it is linked to it yet.",
        "3 reviewed findings have no evidence behind them and carry no weight.",
    )


def test_rule_2_a_weightless_finding_is_named_beside_a_verdict() -> None:
    links = [contradicts(finding(1, ("surveys", SUPPORTS))), supports(finding(2, ("archive", CONTEXT)))]
    assert propose_verdict(links).verdict == REFUTED
    assert english_reasons(links)[-1] == "1 reviewed finding has no evidence behind it and carries no weight."


# --- Rule 3: the weights on each side are summed --------------------------------------------------------------------


def test_rule_3_weights_are_summed_per_side() -> None:
    # For: 2 (surveys, archive) + 1 (interviews) = 3. Against: 1 (webstats) + 2 (surveys, interviews) = 3.
    links = [supports(finding(1, ("surveys", SUPPORTS), ("archive", SUPPORTS))),
             supports(finding(2, ("interviews", SUPPORTS), ("interviews", SUPPORTS))),
             contradicts(finding(3, ("webstats", SUPPORTS), ("archive", CONTEXT))),
             contradicts(finding(4, ("surveys", SUPPORTS), ("interviews", SUPPORTS), ("webstats", CONTRADICTS)))]
    proposal = propose_verdict(links)
    assert (proposal.for_weight, proposal.against_weight) == (3, 3)
    assert proposal.counted == (1, 2, 3, 4)


# --- Rule 4: nothing counted -----------------------------------------------------------------------------------------


def test_rule_4_no_links_is_unresolved() -> None:
    proposal = propose_verdict([])
    assert (proposal.verdict, proposal.counted, proposal.for_weight, proposal.against_weight) == (
        UNRESOLVED, (), 0, 0)
    assert english_reasons([]) == ("No reviewed finding with evidence behind it is linked to it yet.",)


# --- Rule 5: nothing against, two or more for ------------------------------------------------------------------------


def test_rule_5_two_channels_in_one_finding_confirm() -> None:
    links = [supports(finding(1, ("surveys", SUPPORTS), ("webstats", SUPPORTS)))]
    assert propose_verdict(links).verdict == CONFIRMED
    assert english_reasons(links) == ("1 finding supports it, resting on 2 channels.",
                                      "No reviewed finding with evidence behind it contradicts it.")


def test_rule_5_the_briefs_example_sentence() -> None:
    # Finding 1 rests on surveys and webstats, finding 2 on the archive: 2 findings, 3 channels, weight 3.
    links = [supports(finding(1, ("surveys", SUPPORTS), ("webstats", SUPPORTS))),
             supports(finding(2, ("archive", SUPPORTS)))]
    proposal = propose_verdict(links)
    assert (proposal.verdict, proposal.for_weight) == (CONFIRMED, 3)
    assert english_reasons(links)[0] == "2 findings support it, resting on 3 channels."


def test_rule_5_two_findings_on_the_same_channel_do_not_confirm() -> None:
    # Weight counts distinct channels (rule 3): two survey-only findings are one source seen twice, so the
    # assumption is only partly confirmed until another channel bears it out.
    links = [supports(finding(1, ("surveys", SUPPORTS))), supports(finding(2, ("surveys", SUPPORTS)))]
    proposal = propose_verdict(links)
    assert (proposal.verdict, proposal.for_weight) == (PARTLY, 1)
    assert english_reasons(links) == ("2 findings support it, resting on 1 channel.",
                                      "It rests on one channel only; look for a second source.")
    links.append(supports(finding(3, ("webstats", SUPPORTS))))
    assert propose_verdict(links).verdict == CONFIRMED


# --- Rule 6: nothing against, one channel for ------------------------------------------------------------------------


def test_rule_6_one_channel_is_partly_confirmed() -> None:
    links = [supports(finding(1, ("interviews", SUPPORTS), ("interviews", SUPPORTS), ("archive", CONTEXT)))]
    proposal = propose_verdict(links)
    assert (proposal.verdict, proposal.for_weight, proposal.against_weight) == (PARTLY, 1, 0)
    assert english_reasons(links) == ("1 finding supports it, resting on 1 channel.",
                                      "It rests on one channel only; look for a second source.")


# --- Rule 7: nothing for, something against ---------------------------------------------------------------------------


def test_rule_7_one_contradiction_on_one_channel_refutes() -> None:
    # Weight 1 against and nothing for: refuted, although weight 1 for would only have made it partly confirmed.
    links = [contradicts(finding(1, ("webstats", SUPPORTS)))]
    proposal = propose_verdict(links)
    assert (proposal.verdict, proposal.for_weight, proposal.against_weight) == (REFUTED, 0, 1)
    assert english_reasons(links) == ("1 finding contradicts it, resting on 1 channel.",
                                      "No reviewed finding with evidence behind it supports it.")


def test_rule_7_a_supporting_draft_does_not_save_a_refuted_assumption() -> None:
    links = [contradicts(finding(1, ("surveys", SUPPORTS), ("archive", SUPPORTS))),
             supports(finding(2, ("interviews", SUPPORTS), ("webstats", SUPPORTS), status=DRAFT))]
    assert propose_verdict(links).verdict == REFUTED


# --- Rule 8: both sides -------------------------------------------------------------------------------------------


def test_rule_8_both_sides_are_partly_confirmed_and_named() -> None:
    # For 2 (surveys, webstats) + 1 (archive) = 3 over three channels; against 1 (interviews).
    links = [supports(finding(1, ("surveys", SUPPORTS), ("webstats", SUPPORTS))),
             contradicts(finding(2, ("interviews", SUPPORTS))),
             supports(finding(3, ("archive", SUPPORTS)))]
    proposal = propose_verdict(links)
    assert (proposal.verdict, proposal.for_weight, proposal.against_weight) == (PARTLY, 3, 1)
    assert english_reasons(links) == ("2 findings support it, resting on 3 channels.",
                                      "1 finding contradicts it, resting on 1 channel.",
                                      "The findings point both ways.")


def test_rule_8_a_heavy_majority_does_not_override_a_contradiction() -> None:
    # Four channels for, one against: still only partly confirmed, so the board must weigh the contradiction.
    links = [supports(finding(1, *[(channel, SUPPORTS) for channel in CHANNELS])),
             contradicts(finding(2, ("archive", SUPPORTS)))]
    assert propose_verdict(links).verdict == PARTLY


# --- Triangulation ---------------------------------------------------------------------------------------------------


def test_triangulation_counts_every_channel_and_stance_with_zeros() -> None:
    facts = finding(5, ("archive", SUPPORTS), ("archive", SUPPORTS), ("archive", CONTRADICTS),
                    ("interviews", CONTEXT))
    (row,) = triangulation([facts])
    assert row.finding_id == 5
    assert row.cells == {
        "surveys": {SUPPORTS: 0, CONTRADICTS: 0, CONTEXT: 0},
        "webstats": {SUPPORTS: 0, CONTRADICTS: 0, CONTEXT: 0},
        "archive": {SUPPORTS: 2, CONTRADICTS: 1, CONTEXT: 0},
        "interviews": {SUPPORTS: 0, CONTRADICTS: 0, CONTEXT: 1},
    }
    assert list(row.cells) == list(CHANNELS)
    # Supported by the archive alone: single channel, even though interviews give context.
    assert row.single_channel
    assert not row.no_evidence


def test_triangulation_keeps_the_order_given_and_includes_drafts() -> None:
    rows = triangulation([finding(9, ("surveys", SUPPORTS), ("webstats", SUPPORTS)), finding(2),
                          finding(4, ("webstats", CONTEXT), status=DRAFT)])
    assert [row.finding_id for row in rows] == [9, 2, 4]
    assert [(row.single_channel, row.no_evidence) for row in rows] == [(False, False), (False, True), (False, False)]
    assert all(count == 0 for cell in rows[1].cells.values() for count in cell.values())
    assert rows[2].cells["webstats"] == {SUPPORTS: 0, CONTRADICTS: 0, CONTEXT: 1}


def test_triangulation_cells_are_not_shared_between_rows() -> None:
    rows = triangulation([finding(1, ("surveys", SUPPORTS)), finding(2)])
    assert rows[0].cells["surveys"][SUPPORTS] == 1
    assert rows[1].cells["surveys"][SUPPORTS] == 0


# --- Untested channels -----------------------------------------------------------------------------------------------


def test_untested_channels_are_planned_ones_without_counted_evidence() -> None:
    # Surveys: supporting evidence in a counted finding, tested. Webstats: context only, still tested (any stance).
    # Interviews: only in a draft, untested. Archive: nothing, untested. The result follows CHANNELS order.
    links = [supports(finding(1, ("surveys", SUPPORTS))), contradicts(finding(2, ("webstats", CONTEXT))),
             supports(finding(3, ("interviews", SUPPORTS), status=DRAFT))]
    assert untested_channels(["interviews", "webstats", "archive", "surveys"], links) == ["archive", "interviews"]


def test_untested_channels_ignore_unplanned_channels_and_repeats() -> None:
    links = [supports(finding(1, ("archive", CONTRADICTS)))]
    assert untested_channels(["interviews", "interviews"], links) == ["interviews"]
    assert untested_channels(["archive"], links) == []  # evidence against the finding still tested the archive
    assert untested_channels([], links) == []
    assert untested_channels(["surveys", "webstats"], []) == ["surveys", "webstats"]


# --- Strongest -------------------------------------------------------------------------------------------------------


def test_strongest_is_the_heaviest_counted_finding_on_that_side() -> None:
    heavy_draft = finding(1, *[(channel, SUPPORTS) for channel in CHANNELS], status=DRAFT)
    two = finding(2, ("surveys", SUPPORTS), ("archive", SUPPORTS))
    one = finding(3, ("interviews", SUPPORTS))
    against = finding(4, ("webstats", SUPPORTS), ("surveys", SUPPORTS), ("archive", SUPPORTS))
    links = [supports(heavy_draft), supports(one), supports(two), contradicts(against)]
    # The draft would weigh 4 but does not count; of the counted supporters, 2 beats 1.
    assert strongest(links, SUPPORTS) == supports(two)
    assert strongest(links, CONTRADICTS) == contradicts(against)


def test_strongest_prefers_approved_then_the_lower_id_on_equal_weight() -> None:
    reviewed_low = finding(1, ("surveys", SUPPORTS), ("archive", SUPPORTS))
    approved_high = finding(8, ("webstats", SUPPORTS), ("interviews", SUPPORTS), status=APPROVED)
    approved_low = finding(5, ("surveys", SUPPORTS), ("interviews", SUPPORTS), status=APPROVED)
    # Approved beats reviewed although the reviewed one has the lowest id.
    assert strongest([supports(reviewed_low), supports(approved_high)], SUPPORTS) == supports(approved_high)
    # Between two approved findings of equal weight, the lower id; the order given does not matter.
    assert strongest([supports(approved_high), supports(reviewed_low), supports(approved_low)],
                     SUPPORTS) == supports(approved_low)
    # Weight comes before status: a heavier reviewed finding beats a lighter approved one.
    heavier = finding(9, ("surveys", SUPPORTS), ("webstats", SUPPORTS), ("archive", SUPPORTS))
    assert strongest([supports(approved_low), supports(heavier)], SUPPORTS) == supports(heavier)


def test_strongest_is_none_without_weighty_counted_findings() -> None:
    assert strongest([], SUPPORTS) is None
    # Only a draft, and only a weightless reviewed finding (context evidence): neither is evidence for it.
    links = [supports(finding(1, ("surveys", SUPPORTS), status=DRAFT)), supports(finding(2, ("archive", CONTEXT))),
             contradicts(finding(3, ("webstats", SUPPORTS)))]
    assert strongest(links, SUPPORTS) is None
    assert strongest(links, CONTRADICTS) == contradicts(finding(3, ("webstats", SUPPORTS)))


# --- Properties ------------------------------------------------------------------------------------------------------

evidence_pairs = st.lists(st.tuples(st.sampled_from(CHANNELS), st.sampled_from((SUPPORTS, CONTRADICTS, CONTEXT))),
                          max_size=6)


@st.composite
def link_lists(draw: st.DrawFn) -> list[AssumptionLink]:
    ids = draw(st.lists(st.integers(min_value=1, max_value=50), unique=True, max_size=6))
    return [AssumptionLink(finding=finding(finding_id, *draw(evidence_pairs),
                                           status=draw(st.sampled_from((DRAFT, REVIEWED, APPROVED)))),
                           stance=draw(st.sampled_from((SUPPORTS, CONTRADICTS))))
            for finding_id in ids]


@given(link_lists(), st.randoms(use_true_random=False))
def test_the_proposal_does_not_depend_on_link_order(links: list[AssumptionLink], random: Random) -> None:
    shuffled = list(links)
    random.shuffle(shuffled)
    assert propose_verdict(shuffled) == propose_verdict(links)
    for stance in (SUPPORTS, CONTRADICTS):
        assert strongest(shuffled, stance) == strongest(links, stance)


@given(link_lists(), st.lists(st.sampled_from(CHANNELS), min_size=1, unique=True),
       st.sampled_from((REVIEWED, APPROVED)))
def test_adding_a_supporting_finding_never_weakens_a_confirmation(links: list[AssumptionLink], channels: list[str],
                                                                  status: str) -> None:
    before = propose_verdict(links)
    extra = supports(finding(99, *[(channel, SUPPORTS) for channel in channels], status=status))
    after = propose_verdict([*links, extra])
    # More support can move a verdict up but never to refuted or unresolved, and never away from confirmed.
    assert after.verdict in (CONFIRMED, PARTLY)
    if before.verdict == CONFIRMED:
        assert after.verdict == CONFIRMED
    # The new finding's channels join those already behind the assumption (rule 3: distinct channels).
    supporting = {channel for link in links if link.stance == SUPPORTS and link.finding.status != DRAFT
                  for channel in strength(link.finding).supporting_channels}
    assert after.for_weight == len(supporting | set(channels))
    assert after.against_weight == before.against_weight


@given(link_lists(), evidence_pairs, st.sampled_from((SUPPORTS, CONTRADICTS)))
def test_a_draft_changes_nothing_but_the_note_on_drafts(links: list[AssumptionLink],
                                                        evidence: list[tuple[str, str]], stance: str) -> None:
    before = propose_verdict(links)
    after = propose_verdict([*links, AssumptionLink(finding=finding(99, *evidence, status=DRAFT), stance=stance)])
    assert (after.verdict, after.counted, after.for_weight, after.against_weight) == (
        before.verdict, before.counted, before.for_weight, before.against_weight)


@given(link_lists())
def test_the_triangulation_table_agrees_with_strength(links: list[AssumptionLink]) -> None:
    findings = [link.finding for link in links]
    for facts, row in zip(findings, triangulation(findings), strict=True):
        supported = [channel for channel in CHANNELS if row.cells[channel][SUPPORTS]]
        assert tuple(supported) == strength(facts).supporting_channels
        assert sum(sum(cell.values()) for cell in row.cells.values()) == len(facts.evidence)
