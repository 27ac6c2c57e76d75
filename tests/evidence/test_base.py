"""The evidence base: the board's workshop, findings resting on frozen evidence, verdicts proposed from the
findings and set by a person with a reason, needs, triangulation, the export, and who may do what."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models.deletion import RestrictedError
from django.urls import reverse

from evidens.cli import command_line
from evidens.evidence import selectors, services
from evidens.evidence.models import (
    Assumption,
    AssumptionVerdict,
    Challenge,
    EvidenceItem,
    Finding,
    FindingEvidence,
    SnapshotChanged,
)
from tests.conftest import Cast


def _item(cast: Cast, channel: str, title: str, key: str, rows: list[list[Any]] | None = None) -> EvidenceItem:
    return services.evidence_item_save(process=cast.process, actor=None, channel=channel, title=title,
                                       source_key=key, definition={"filters": []},
                                       result={"headings": ["A", "n"], "rows": rows or [["x", 1]]}, link="/live/")


@pytest.fixture
def base(cast: Cast) -> dict[str, Any]:
    """An assumption about the knowledge bank, a finding that supports it from two channels and one that
    contradicts it from one."""
    survey = _item(cast, "surveys", "Mest brugte tilbud", "surveys:q1")
    weblog = _item(cast, "webstats", "Sidevisninger pr. område", "webstats:areas")
    interview = _item(cast, "interviews", "Citat om netværk", "interviews:quote:1")
    assumption = services.assumption_create(process=cast.process, actor=None,
                                            statement="Medlemmerne bruger mest vidensbanken.",
                                            channels=["surveys", "webstats", "archive"])
    used = services.finding_create(process=cast.process, actor=None, status="reviewed",
                                   statement="Vidensbanken er det mest besøgte område og det mest nævnte tilbud.")
    services.finding_evidence_link(finding=used, actor=None, item=survey, stance="supports")
    services.finding_evidence_link(finding=used, actor=None, item=weblog, stance="supports")
    networks = services.finding_create(process=cast.process, actor=None, status="reviewed",
                                       statement="Netværkene er det tilbud, direktørerne sætter højest.")
    services.finding_evidence_link(finding=networks, actor=None, item=interview, stance="supports")
    return {"assumption": assumption, "used": used, "networks": networks, "survey": survey, "weblog": weblog,
            "interview": interview}


def test_a_cited_snapshot_never_changes_and_a_refresh_is_a_new_version(cast: Cast, base: dict[str, Any]) -> None:
    survey = base["survey"]
    survey.title = "Ændret"
    with pytest.raises(SnapshotChanged):
        survey.save()
    newer = _item(cast, "surveys", "Mest brugte tilbud", "surveys:q1", rows=[["x", 2]])
    assert newer.version == 2 and newer.pk != survey.pk
    # The finding still cites what the board read: version 1 with its numbers.
    cited = FindingEvidence.objects.get(finding=base["used"], item__channel="surveys").item
    assert (cited.pk, cited.version, cited.result["rows"]) == (survey.pk, 1, [["x", 1]])
    assert [link.finding for link in selectors.citing_findings(survey)] == [base["used"]]
    with pytest.raises(RestrictedError):
        EvidenceItem.objects.filter(pk=survey.pk).delete()
    # Deleting the whole process takes the findings and what they cite with it.
    cast.process.delete()
    assert not EvidenceItem.objects.exists() and not Finding.objects.exists()


def test_the_proposal_follows_the_linked_findings(cast: Cast, base: dict[str, Any]) -> None:
    assumption = base["assumption"]
    assert selectors.assumption_review(assumption).proposal.verdict == "unresolved"
    services.assumption_finding_link(assumption=assumption, actor=None, finding=base["used"], stance="supports")
    review = selectors.assumption_review(assumption)
    # Two channels (survey and web log) support it and nothing contradicts it: confirmed.
    assert (review.proposal.verdict, review.proposal.for_weight) == ("confirmed", 2)
    assert review.strongest_for == base["used"] and review.strongest_against is None
    assert review.untested == ["archive"]
    services.assumption_finding_link(assumption=assumption, actor=None, finding=base["networks"],
                                     stance="contradicts")
    review = selectors.assumption_review(assumption)
    assert (review.proposal.verdict, review.strongest_against) == ("partly", base["networks"])


def test_a_draft_finding_does_not_count_until_reviewed(cast: Cast, base: dict[str, Any]) -> None:
    draft = services.finding_create(process=cast.process, actor=None, statement="Små organisationer nås ikke.")
    services.finding_evidence_link(finding=draft, actor=None, item=base["weblog"], stance="supports")
    services.assumption_finding_link(assumption=base["assumption"], actor=None, finding=draft,
                                     stance="contradicts")
    assert selectors.assumption_review(base["assumption"]).proposal.verdict == "unresolved"
    services.finding_update(finding=draft, actor=None, statement=draft.statement, segments=["små"],
                            status="approved")
    assert selectors.assumption_review(base["assumption"]).proposal.verdict == "refuted"


def test_a_verdict_needs_a_reason_and_its_history_is_kept(cast: Cast, base: dict[str, Any]) -> None:
    assumption = base["assumption"]
    with pytest.raises(ValidationError):
        services.verdict_set(assumption=assumption, actor=None, verdict="confirmed", reason=" ", proposed="confirmed")
    services.verdict_set(assumption=assumption, actor=cast.users["board"], verdict="partly",
                         reason="Kun spørgeskemaet.", proposed="unresolved")
    services.verdict_set(assumption=assumption, actor=cast.users["board"], verdict="confirmed",
                         reason="Weblog og spørgeskema peger samme vej.", proposed="confirmed")
    assumption.refresh_from_db()
    assert assumption.verdict == "confirmed"
    assert list(AssumptionVerdict.objects.values_list("verdict", "proposed")) == [
        ("confirmed", "confirmed"), ("partly", "unresolved")]


def test_erasing_a_person_takes_their_quote_out_of_the_findings(cast: Cast, base: dict[str, Any]) -> None:
    assert services.evidence_items_erase(process=cast.process, source_key_prefix="interviews:quote:1") == 1
    assert not FindingEvidence.objects.filter(finding=base["networks"]).exists()
    assert Finding.objects.filter(pk=base["networks"].pk).exists()


def test_triangulation_flags_findings_on_one_channel(cast: Cast, base: dict[str, Any]) -> None:
    rows = {finding.pk: row for finding, row in selectors.triangulation(cast.process)}
    assert rows[base["used"].pk].single_channel is False
    assert rows[base["networks"].pk].single_channel is True
    assert rows[base["used"].pk].cells["webstats"] == {"supports": 1, "contradicts": 0, "context": 0}


def test_the_workshop_spreadsheet_is_imported_whole_or_not_at_all(cast: Cast) -> None:
    bad = ("Udfordring;Antagelse;Vigtighed;Kanaler\n"
           "Medlemmernes brug;Medlemmerne bruger mest vidensbanken;4;spørgeskema, webstatistik\n"
           "Medlemmernes brug;;2;arkiv\n"
           "Økonomi;Kontingentet matcher værdien;9;telefon\n")
    with pytest.raises(ValidationError) as raised:
        services.assumptions_import(process=cast.process, actor=None, content=bad.encode(), filename="a.csv")
    assert raised.value.messages == ["Række 3, Antagelse: Antagelsen mangler.",
                                     "Række 4, Kanaler: »telefon« er ikke en kanal (spørgeskema, webstatistik, "
                                     "arkiv, interviews).",
                                     "Række 4, Vigtighed: »9« er ikke en vigtighed fra 1 til 5."]
    assert not Assumption.objects.exists() and not Challenge.objects.exists()
    good = bad.replace(";;2;arkiv", ";Netværkene er det mest værdsatte tilbud;2;arkiv").replace(";9;telefon", ";5;")
    made = services.assumptions_import(process=cast.process, actor=None, content=good.encode(), filename="a.csv")
    assert [(a.challenge.title if a.challenge else None, a.importance, a.channels) for a in made] == [
        ("Medlemmernes brug", 4, ["surveys", "webstats"]), ("Medlemmernes brug", 2, ["archive"]),
        ("Økonomi", 5, [])]
    assert Challenge.objects.count() == 2


def test_the_export_prints_the_whole_base_as_json(cast: Cast, base: dict[str, Any]) -> None:
    services.assumption_finding_link(assumption=base["assumption"], actor=None, finding=base["used"],
                                     stance="supports")
    services.need_create(process=cast.process, actor=None, segment="Små boligorganisationer",
                         statement="Korte, praktiske vejledninger.", findings=[base["used"]])
    out = io.StringIO()
    call_command(*command_line(["evidence", "export", "--process", cast.process.slug, "--json"]), stdout=out)
    exported = json.loads(out.getvalue())
    assumption = exported["assumptions"][0]
    assert (assumption["statement"], assumption["verdict"], assumption["proposed_verdict"], assumption["findings"]) == (
        "Medlemmerne bruger mest vidensbanken.", "uafklaret", "bekræftet", [base["used"].pk])
    finding = next(row for row in exported["findings"] if row["id"] == base["used"].pk)
    assert [(row["channel"], row["stance"], row["title"]) for row in finding["evidence"]] == [
        ("surveys", "supports", "Mest brugte tilbud"), ("webstats", "supports", "Sidevisninger pr. område")]
    assert exported["needs"] == [{"id": exported["needs"][0]["id"], "segment": "Små boligorganisationer",
                                  "statement": "Korte, praktiske vejledninger.", "findings": [base["used"].pk]}]


# --- pages and roles ---------------------------------------------------------------------------------------------


def _url(name: str, cast: Cast, *args: Any) -> str:
    return reverse(f"evidence:{name}", args=[cast.process.slug, *args])


def test_the_board_enters_assumptions_fast_and_orders_them(cast: Cast, client_for: Any) -> None:
    board = client_for(cast.users["board"])
    for statement in ("Netværkene er det mest værdsatte tilbud.", "Små boligorganisationer nås ikke."):
        response = board.post(_url("workshop", cast), {"quick-statement": statement, "quick-importance": "4"})
        assert response.status_code == 302
    second = Assumption.objects.get(statement__startswith="Små")
    board.post(_url("assumption_move", cast, second.pk), {"direction": "up"})
    page = board.get(_url("workshop", cast)).content.decode()
    assert page.index("Små boligorganisationer") < page.index("Netværkene er")
    assert client_for(cast.users["reader"]).post(_url("workshop", cast), {"quick-statement": "X"}).status_code == 403


def test_who_may_link_evidence_and_set_verdicts(cast: Cast, base: dict[str, Any], client_for: Any) -> None:
    assumption, finding = base["assumption"], base["used"]
    link = {"finding": finding.pk, "stance": "supports"}
    verdict = {"verdict": "confirmed", "reason": "To kanaler peger samme vej."}
    # One test client, logged in as each role in turn.
    assert client_for(cast.users["board"]).post(_url("assumption_link", cast, assumption.pk), link).status_code == 403
    assert client_for(cast.users["analyst"]).post(_url("assumption_link", cast, assumption.pk),
                                                  link).status_code == 302
    assert client_for(cast.users["analyst"]).post(_url("verdict_set", cast, assumption.pk), verdict).status_code == 403
    assert client_for(cast.users["reader"]).post(_url("verdict_set", cast, assumption.pk), verdict).status_code == 403
    assert client_for(cast.users["board"]).post(_url("verdict_set", cast, assumption.pk), verdict).status_code == 302
    reader = client_for(cast.users["reader"])
    page = reader.get(_url("review", cast)).content.decode()
    assert "Medlemmerne bruger mest vidensbanken." in page and "Bekræftet" in page
    assert finding.statement in page  # the strongest finding for it
    assert 'href="/live/"' in page and "dataene (spørgeskema)" in page  # and one click to the data behind it
    detail = reader.get(_url("assumption_detail", cast, assumption.pk)).content.decode()
    assert "To kanaler peger samme vej." in detail and 'data-testid="verdict-form"' not in detail


def test_a_finding_is_built_on_evidence_through_the_pages(cast: Cast, base: dict[str, Any], client_for: Any) -> None:
    analyst = client_for(cast.users["analyst"])
    response = analyst.post(_url("finding_list", cast), {"statement": "Webinarerne når nye organisationer.",
                                                         "status": "draft", "segments_text": "små, mellemstore"})
    finding = Finding.objects.get(statement__startswith="Webinarerne")
    assert response["Location"] == _url("finding_detail", cast, finding.pk) and finding.segments == ["små",
                                                                                                     "mellemstore"]
    analyst.post(_url("finding_link", cast, finding.pk), {"item": base["weblog"].pk, "stance": "supports",
                                                         "note": "Flere nye besøgende efter marts 2020."})
    page = analyst.get(_url("finding_detail", cast, finding.pk)).content.decode()
    assert "Sidevisninger pr. område" in page and "kun én kanal" in page
    triangulation = analyst.get(_url("finding_list", cast)).content.decode()
    assert triangulation.count('data-testid="single-channel"') == 2  # this finding and the networks finding
    item_page = analyst.get(reverse("evidence:item_detail", args=[cast.process.slug, base["weblog"].pk]))
    assert "Webinarerne når nye organisationer." in item_page.content.decode()


def test_the_workshop_import_through_the_page_reports_every_problem(cast: Cast, client_for: Any) -> None:
    board = client_for(cast.users["board"])
    upload = SimpleUploadedFile("antagelser.csv", "Antagelse;Vigtighed\nKontingentet er for højt;7\n".encode())
    page = board.post(_url("assumptions_import", cast), {"file": upload}, follow=True).content.decode()
    assert "Intet blev importeret:" in page and "»7« er ikke en vigtighed fra 1 til 5." in page
    assert not Assumption.objects.exists()


def test_the_board_deletes_an_assumption_and_keeps_its_findings(cast: Cast, base: dict[str, Any],
                                                                client_for: Any) -> None:
    assumption = base["assumption"]
    services.assumption_finding_link(assumption=assumption, actor=None, finding=base["used"], stance="supports")
    url = _url("assumption_delete", cast, assumption.pk)
    assert client_for(cast.users["analyst"]).post(url).status_code == 403
    response = client_for(cast.users["board"]).post(url, follow=True)
    assert "Antagelsen er slettet; dens fund er bevaret." in response.content.decode()
    assert not Assumption.objects.exists() and Finding.objects.filter(pk=base["used"].pk).exists()
