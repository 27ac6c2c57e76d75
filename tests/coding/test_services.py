"""Writes of qualitative coding through the services: the codebook's edits leave codings where they were, applying and
undoing codings, positions in code points through paste and export, and REFI-QDA round trips and imports.

Positions are counted by hand in the comments (code points of the NFC text with ``\\n`` line breaks). The counts of
the real REFI-QDA files are taken from their ``project.qde`` with ElementTree in the test itself, never from
``refiqda``; the files are described in tests/data/refi-qda/README.md.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET
import pytest
from django.core.exceptions import ValidationError

from evidens.coding import refiqda, selectors, services
from evidens.coding.models import Code, Coding, CodingEvent, Document, DocumentOrigin
from evidens.interviews import services as interview_services
from evidens.processes import services as process_services
from evidens.processes.models import AuditEntry, StrategyProcess
from tests.conftest import Cast

DATA = Path(__file__).resolve().parent.parent / "data" / "refi-qda"
REAL_PROJECTS = ["nvivo-win-12.6_oltas0517.qdpx", "nvivo-mac-15_nvivo_project.qdpx", "qc-1.3.2_demo.qdpx"]
NS = "{urn:QDA-XML:project:1.0}"

TEXT = "Boligerne er for gamle. Vi skal renovere nu. Klimaet betyder meget. Tak for snakken."
OLD = (0, 23)  # "Boligerne er for gamle."
RENOVATE = (24, 44)  # "Vi skal renovere nu."
CLIMATE = (45, 67)  # "Klimaet betyder meget."
THANKS = (68, 84)  # "Tak for snakken."


def text_document(process: StrategyProcess, text: str = TEXT, title: str = "I01", group: str = "member") -> Document:
    return services.document_create(process=process, origin=DocumentOrigin.INTERVIEW, title=title, text=text,
                                    group=group, label=title)


def apply(document: Document, actor: Any, code: Code, span: tuple[int, int]) -> Coding:
    (coding,) = services.coding_apply(document=document, actor=actor, codes=[code], start=span[0], end=span[1])
    return coding


def test_the_hand_counted_spans_of_the_sample_text() -> None:
    assert [TEXT[slice(*span)] for span in (OLD, RENOVATE, CLIMATE, THANKS)] == [
        "Boligerne er for gamle.", "Vi skal renovere nu.", "Klimaet betyder meget.", "Tak for snakken."]


# --- the codebook ---------------------------------------------------------------------------------------------------


def test_codings_survive_renaming_moving_merging_and_deleting_codes(cast: Cast) -> None:
    analyst = cast.users["analyst"]
    document = text_document(cast.process)
    housing = services.code_create(process=cast.process, actor=None, name="Boliger")
    renovation = services.code_create(process=cast.process, actor=None, name="Renovering", parent=housing)
    climate = services.code_create(process=cast.process, actor=None, name="Klima")
    misc = services.code_create(process=cast.process, actor=None, name="Diverse")
    other = services.code_create(process=cast.process, actor=None, name="Andet", parent=misc)
    on_housing = apply(document, analyst, housing, OLD)
    on_renovation = apply(document, analyst, renovation, RENOVATE)
    climate_quote = apply(document, analyst, climate, CLIMATE)
    services.coding_quote_set(coding=climate_quote, actor=analyst, quote=True)
    climate_only = apply(document, analyst, climate, THANKS)
    apply(document, analyst, misc, THANKS)
    code_memo = services.memo_add(process=cast.process, actor=analyst, text="Om klima", code=climate)
    coding_memo = services.memo_add(process=cast.process, actor=analyst, text="Godt citat", coding=climate_quote)

    services.code_update(code=housing, actor=None, name="Boligforhold")
    services.code_update(code=renovation, actor=None, parent=None)
    target = services.code_create(process=cast.process, actor=None, name="Klimaforandringer")
    twin = apply(document, analyst, target, CLIMATE)  # the same text, coder and range as climate_quote
    moved = services.code_merge(source=climate, target=target, actor=None)
    deleted = services.code_delete(code=misc, actor=None)

    # Renamed and moved codes keep their codings with the same range and passage.
    on_housing.refresh_from_db()
    on_renovation.refresh_from_db()
    assert (on_housing.code.name, on_housing.start, on_housing.end, on_housing.passage) == (
        "Boligforhold", 0, 23, "Boligerne er for gamle.")
    assert (on_renovation.code_id, on_renovation.start, on_renovation.end, on_renovation.passage) == (
        renovation.pk, 24, 44, "Vi skal renovere nu.")
    renovation.refresh_from_db()
    assert renovation.parent is None
    # Klima had two codings: CLIMATE has a twin in the target (not doubled, not counted as moved), THANKS moves.
    assert moved == 1
    assert not Code.objects.filter(pk=climate.pk).exists()
    target_codings = Coding.objects.filter(code=target).order_by("start")
    assert [(c.start, c.end, c.quote) for c in target_codings] == [(45, 67, True), (68, 84, False)]
    assert [c.pk for c in target_codings] == [twin.pk, climate_only.pk]
    code_memo.refresh_from_db()
    coding_memo.refresh_from_db()
    assert code_memo.code_id == target.pk
    assert coding_memo.coding_id == twin.pk
    # Diverse had one coding (THANKS); its sub-code Andet moves up to Diverse's parent: the top level.
    assert deleted == 1
    other.refresh_from_db()
    assert other.parent is None
    assert not Coding.objects.filter(code_id=misc.pk).exists()
    assert Coding.objects.filter(document=document).count() == 4  # housing, renovation and the target's two


def test_a_code_cannot_move_under_itself_or_its_own_descendant(cast: Cast) -> None:
    top = services.code_create(process=cast.process, actor=None, name="Økonomi")
    child = services.code_create(process=cast.process, actor=None, name="Kontingent", parent=top)
    grandchild = services.code_create(process=cast.process, actor=None, name="Prisstigning", parent=child)
    for new_parent in (top, child, grandchild):
        with pytest.raises(ValidationError) as refused:
            services.code_update(code=top, actor=None, parent=new_parent)
        assert "parent" in refused.value.message_dict
    top.refresh_from_db()
    assert top.parent is None
    with pytest.raises(ValidationError):
        services.code_merge(source=top, target=grandchild, actor=None)
    assert Code.objects.filter(pk=top.pk).exists()


def test_a_code_of_another_process_is_refused_as_parent_and_merge_target(cast: Cast) -> None:
    here = services.code_create(process=cast.process, actor=None, name="Energi")
    there = services.code_create(process=cast.other_process, actor=None, name="Energi")
    with pytest.raises(ValidationError):
        services.code_create(process=cast.process, actor=None, name="Varme", parent=there)
    with pytest.raises(ValidationError):
        services.code_merge(source=here, target=there, actor=None)


def test_code_names_clash_ignoring_case_danish_letters_included(cast: Cast) -> None:
    services.code_create(process=cast.process, actor=None, name="Kontingent")
    with pytest.raises(ValidationError):
        services.code_create(process=cast.process, actor=None, name="  kontingent ")
    # "Økonomi" and "økonomi" differ only in case as well; SQLite's LIKE (behind __iexact) folds ASCII letters only.
    services.code_create(process=cast.process, actor=None, name="Økonomi")
    with pytest.raises(ValidationError):
        services.code_create(process=cast.process, actor=None, name="økonomi")


# --- applying codings -----------------------------------------------------------------------------------------------


def test_applying_trims_white_space_and_codes_with_several_codes_at_once(cast: Cast) -> None:
    analyst = cast.users["analyst"]
    document = text_document(cast.process)
    first = services.code_create(process=cast.process, actor=None, name="Renovering")
    second = services.code_create(process=cast.process, actor=None, name="Tidsplan")
    # 23–45 is " Vi skal renovere nu. ": the space at 23 and the one at 44 are left out → 24–44.
    created = services.coding_apply(document=document, actor=analyst, codes=[first, second], start=23, end=45)
    assert sorted((c.code.name, c.start, c.end, c.coder_name, c.coder) for c in created) == [
        ("Renovering", 24, 44, "u-analyst", analyst), ("Tidsplan", 24, 44, "u-analyst", analyst)]
    assert {c.passage for c in created} == {"Vi skal renovere nu."}

    # The same code on the same passage again (selected without the spaces this time) is not doubled.
    assert services.coding_apply(document=document, actor=analyst, codes=[first], start=24, end=44) == []
    assert Coding.objects.filter(document=document).count() == 2
    assert CodingEvent.objects.filter(document=document).count() == 2  # nothing to undo for the repeat
    # Another coder's coding of the same passage is their own.
    services.coding_apply(document=document, actor=cast.users["secretariat"], codes=[first], start=24, end=44)
    assert Coding.objects.filter(document=document, code=first).count() == 2


@pytest.mark.parametrize(("start", "end", "message"), [
    (-1, 5, "Markeringen ligger ikke inden for teksten."),
    (80, 85, "Markeringen ligger ikke inden for teksten."),  # the text has 84 code points
    (10, 10, None),  # an empty selection
    (23, 24, "Markér noget tekst at kode."),  # the space between two sentences
])
def test_a_selection_outside_the_text_or_without_text_is_refused(cast: Cast, start: int, end: int,
                                                                 message: str | None) -> None:
    document = text_document(cast.process)
    code = services.code_create(process=cast.process, actor=None, name="Renovering")
    with pytest.raises(ValidationError) as refused:
        services.coding_apply(document=document, actor=cast.users["analyst"], codes=[code], start=start, end=end)
    if message is not None:
        assert refused.value.messages == [message]
    assert not Coding.objects.exists()


def test_a_code_of_another_process_or_no_code_is_refused(cast: Cast) -> None:
    document = text_document(cast.process)
    foreign = services.code_create(process=cast.other_process, actor=None, name="Renovering")
    own = services.code_create(process=cast.process, actor=None, name="Tidsplan")
    with pytest.raises(ValidationError) as refused:
        services.coding_apply(document=document, actor=cast.users["analyst"], codes=[own, foreign], start=24,
                              end=44)
    assert refused.value.messages == ["Koden hører til en anden proces."]
    with pytest.raises(ValidationError):
        services.coding_apply(document=document, actor=cast.users["analyst"], codes=[], start=24, end=44)
    assert not Coding.objects.exists()


# --- undo -----------------------------------------------------------------------------------------------------------


def test_undo_takes_back_an_applied_coding(cast: Cast) -> None:
    analyst = cast.users["analyst"]
    document = text_document(cast.process)
    code = services.code_create(process=cast.process, actor=None, name="Renovering")
    apply(document, analyst, code, RENOVATE)
    event = services.coding_undo(document=document, actor=analyst)
    assert event is not None and (event.action, event.start, event.end) == ("applied", 24, 44)
    assert not Coding.objects.exists()
    assert services.coding_undo(document=document, actor=analyst) is None  # nothing left to undo


def test_undo_of_a_removed_quote_restores_it_as_a_quote(cast: Cast) -> None:
    analyst = cast.users["analyst"]
    document = text_document(cast.process)
    code = services.code_create(process=cast.process, actor=None, name="Renovering")
    coding = apply(document, analyst, code, RENOVATE)
    services.coding_quote_set(coding=coding, actor=analyst, quote=True)
    services.coding_remove(coding=coding, actor=analyst)
    assert not Coding.objects.exists()
    event = services.coding_undo(document=document, actor=analyst)
    assert event is not None and event.action == "removed"
    restored = Coding.objects.get()
    assert (restored.code_id, restored.start, restored.end, restored.quote, restored.coder_name) == (
        code.pk, 24, 44, True, "u-analyst")


def test_undo_takes_back_only_the_actors_own_last_step(cast: Cast) -> None:
    analyst, secretariat = cast.users["analyst"], cast.users["secretariat"]
    document = text_document(cast.process)
    code = services.code_create(process=cast.process, actor=None, name="Renovering")
    apply(document, analyst, code, OLD)
    apply(document, analyst, code, RENOVATE)
    apply(document, secretariat, code, CLIMATE)  # the newest step on the text, but not the analyst's
    services.coding_undo(document=document, actor=analyst)
    assert sorted((c.coder_name, c.start) for c in Coding.objects.all()) == [("u-analyst", 0), ("u-secretariat", 45)]
    assert services.coding_undo(document=document, actor=cast.users["reader"]) is None
    assert Coding.objects.count() == 2


def test_undoing_the_removal_of_another_coders_coding_gives_it_back_to_that_coder(cast: Cast) -> None:
    analyst, secretariat = cast.users["analyst"], cast.users["secretariat"]
    document = text_document(cast.process)
    code = services.code_create(process=cast.process, actor=None, name="Renovering")
    coding = apply(document, analyst, code, RENOVATE)
    # The workspace shows everyone's codings (?coder=*) and lets anyone who may analyse remove one.
    services.coding_remove(coding=coding, actor=secretariat)
    services.coding_undo(document=document, actor=secretariat)
    restored = Coding.objects.get()
    assert (restored.coder_name, restored.coder) == ("u-analyst", analyst)


# --- positions in code points ---------------------------------------------------------------------------------------

# Pasted with CRLF line breaks, an emoji outside the BMP and "får"/"både" with å written as a + U+030A.
PASTED = "Interviewer: Hvad med 👍?\r\nI01: Vi fa\u030ar ba\u030ade grønne køkkener og sæbe.\r\n"
# After NFC and LF, counted by hand:
#   "Interviewer:" 0–11, " " 12, "Hvad" 13–16, " " 17, "med" 18–20, " " 21, "👍" 22 (one code point), "?" 23,
#   "\n" 24 (CR LF is one LF), "I01:" 25–28, " " 29, "Vi" 30–31, " " 32, "får" 33–35 (å composed: one), " " 36,
#   "både" 37–40, " " 41, "grønne" 42–47, " " 48, "køkkener" 49–56, " " 57, "og" 58–59, " " 60, "sæbe." 61–65,
#   "\n" 66: 67 code points. In the pasted string "grønne" starts at 45 (CR, two U+030A); in UTF-16 at 46.
NORMALISED = "Interviewer: Hvad med 👍?\nI01: Vi får både grønne køkkener og sæbe.\n"


def test_positions_are_code_points_of_the_normalised_text_in_the_database_and_the_export(cast: Cast) -> None:
    interview = interview_services.interview_create(process=cast.process, actor=None, label="I01", group="member")
    interview = interview_services.transcript_paste(interview=interview, actor=None, text=PASTED)
    document = interview.document
    assert document is not None
    assert document.text == NORMALISED and len(document.text) == 67
    code = services.code_create(process=cast.process, actor=None, name="Køkken")
    # 41–49 is " grønne " with its spaces: trimmed to 42–48.
    (green,) = services.coding_apply(document=document, actor=cast.users["analyst"], codes=[code], start=41, end=49)
    (both,) = services.coding_apply(document=document, actor=cast.users["analyst"], codes=[code], start=37, end=41)
    assert (green.start, green.end, document.text[42:48]) == (42, 48, "grønne")
    assert (both.start, both.end, document.text[37:41]) == (37, 41, "både")

    data = refiqda.write_qdpx(selectors.qda_project(cast.process))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = SafeET.fromstring(archive.read("project.qde"))
        (source,) = root.iter(f"{NS}TextSource")
        text = archive.read("sources/" + source.get("plainTextPath").removeprefix("internal://")).decode("utf-8")
    positions = sorted((int(s.get("startPosition")), int(s.get("endPosition")))
                       for s in source.iter(f"{NS}PlainTextSelection"))
    assert positions == [(37, 41), (42, 48)]
    assert text == NORMALISED and text[42:48] == "grønne"


# --- REFI-QDA round trips -------------------------------------------------------------------------------------------

EMOJI_TEXT = "Vi sparer på energien 👍 og varmen.\nKøkkenerne i Århus er gamle – både små og store."
PLAIN_TEXT = "Kontingentet er for højt.\nMen netværkene er gode, siger formanden."


def coded_process(cast: Cast) -> StrategyProcess:
    """Two texts (one with an emoji and æøå), codes two levels deep, codings by two coders, one of them a quote."""
    analyst, secretariat = cast.users["analyst"], cast.users["secretariat"]
    process = cast.process
    economy = services.code_create(process=process, actor=None, name="Økonomi", description="Penge og priser.")
    fee = services.code_create(process=process, actor=None, name="Kontingent", parent=economy,
                               description="Hvad medlemskabet koster.")
    energy = services.code_create(process=process, actor=None, name="Energi", parent=economy)
    network = services.code_create(process=process, actor=None, name="Netværk")
    first = text_document(process, EMOJI_TEXT, title="I01, driftschef")
    second = text_document(process, PLAIN_TEXT, title="I02, formand", group="resident_democrat")

    def span(document: Document, passage: str) -> tuple[int, int]:
        start = document.text.index(passage)
        return start, start + len(passage)

    apply(first, analyst, energy, span(first, "sparer på energien"))
    apply(first, secretariat, energy, span(first, "sparer på energien 👍 og varmen"))
    apply(first, analyst, economy, span(first, "Køkkenerne i Århus er gamle"))
    quote = apply(second, analyst, fee, span(second, "Kontingentet er for højt."))
    services.coding_quote_set(coding=quote, actor=analyst, quote=True)
    apply(second, secretariat, network, span(second, "netværkene er gode"))
    apply(second, secretariat, fee, span(second, "Kontingentet"))
    return process


def coding_set(process: StrategyProcess) -> set[tuple[str, str, str | None, int, int, str, str]]:
    return {(c.document.title, c.code.name, c.code.parent.name if c.code.parent else None, c.start, c.end,
             c.coder_name, c.passage)
            for c in Coding.objects.filter(document__process=process).select_related("document", "code__parent")}


def code_set(process: StrategyProcess) -> set[tuple[str, str | None, str, str]]:
    return {(c.name, c.parent.name if c.parent else None, c.description, c.colour)
            for c in Code.objects.filter(process=process).select_related("parent")}


def test_a_project_comes_back_from_its_own_export_unchanged(cast: Cast) -> None:
    original = coded_process(cast)
    expected = coding_set(original)
    assert len(expected) == 6
    data = refiqda.write_qdpx(selectors.qda_project(original))

    target = cast.other_process
    summary = services.project_import(process=target, actor=None, data=data, name="evidens.qdpx")
    assert summary.counts() == {"sources": 2, "codes": 4, "codings": 6}
    assert (summary.merged_codes, sorted(summary.new_codes)) == ([], ["Energi", "Kontingent", "Netværk", "Økonomi"])
    assert coding_set(target) == expected
    assert code_set(target) == code_set(original)
    assert not Coding.objects.filter(document__process=target, quote=True).exists()  # REFI-QDA has no quotes

    again = services.project_import(process=target, actor=None, data=data, name="evidens.qdpx")
    assert sorted(again.merged_codes) == ["Energi", "Kontingent", "Netværk", "Økonomi"] and again.new_codes == []
    assert coding_set(target) == expected
    assert (Document.objects.filter(process=target).count(), Code.objects.filter(process=target).count(),
            Coding.objects.filter(document__process=target).count()) == (2, 4, 6)


def test_an_import_merges_a_code_of_the_same_name_and_reuses_it(cast: Cast) -> None:
    data = refiqda.write_qdpx(selectors.qda_project(coded_process(cast)))
    target = process_services.process_create(slug="third", name="Tredje proces")
    existing = services.code_create(process=target, actor=None, name="netværk")  # another case, the same name
    summary = services.project_import(process=target, actor=None, data=data, name="evidens.qdpx")
    assert summary.merged_codes == ["netværk"]
    assert sorted(summary.new_codes) == ["Energi", "Kontingent", "Økonomi"]
    assert Code.objects.filter(process=target).count() == 4
    # The one Netværk coding of the export ("netværkene er gode" by the secretariat) is now on the existing code.
    assert [(c.code_id, c.coder_name) for c in Coding.objects.filter(document__process=target)
            if c.passage == "netværkene er gode"] == [(existing.pk, "u-secretariat")]


def test_a_codebook_comes_back_from_its_own_qdc(cast: Cast) -> None:
    original = coded_process(cast)
    data = refiqda.write_qdc(selectors.qda_codes(original))
    summary = services.codebook_import(process=cast.other_process, actor=None, data=data)
    assert summary.counts() == {"sources": 0, "codes": 4, "codings": 0}
    assert code_set(cast.other_process) == code_set(original)

    again = services.codebook_import(process=cast.other_process, actor=None, data=data)
    assert len(again.merged_codes) == 4 and again.new_codes == []
    assert Code.objects.filter(process=cast.other_process).count() == 4

    target = process_services.process_create(slug="third", name="Tredje proces")
    existing = services.code_create(process=target, actor=None, name="ØKONOMI")
    merged = services.codebook_import(process=target, actor=None, data=data)
    assert merged.merged_codes == ["ØKONOMI"]
    # Økonomi's sub-codes hang under the code that was already there.
    assert set(Code.objects.filter(process=target, parent=existing).values_list("name", flat=True)) == {
        "Kontingent", "Energi"}


# --- importing real files -------------------------------------------------------------------------------------------


def counted_from_xml(data: bytes) -> dict[str, Any]:
    """What project.qde holds, read with ElementTree: text sources, codes, the codings of known codes with their
    coders' names, and the distinct codings (text, range, code name ignoring case, coder)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = SafeET.fromstring(archive.read("project.qde"))
    codes = {code.get("guid"): code.get("name").strip().casefold() for code in root.iter(f"{NS}Code")}
    users = {user.get("guid"): user.get("name") for user in root.iter(f"{NS}User")}
    sources = list(root.iter(f"{NS}TextSource"))
    codings: list[tuple[str, str, str, str, str]] = []
    for source in sources:
        for selection in source.iter(f"{NS}PlainTextSelection"):
            for coding in selection.iter(f"{NS}Coding"):
                target = coding.find(f"{NS}CodeRef").get("targetGUID")
                if target in codes:
                    user = coding.get("creatingUser") or selection.get("creatingUser")
                    codings.append((source.get("guid"), selection.get("startPosition"),
                                    selection.get("endPosition"), codes[target], users.get(user, user)))
    return {"sources": len(sources), "codes": len(codes), "codings": len(codings),
            "distinct_codings": len(set(codings)), "coders": {coding[4] for coding in codings}}


@pytest.mark.parametrize("name", REAL_PROJECTS)
def test_a_real_project_is_imported_whole(cast: Cast, name: str) -> None:
    data = (DATA / name).read_bytes()
    expected = counted_from_xml(data)
    summary = services.project_import(process=cast.process, actor=None, data=data, name=name)
    assert summary.counts() == {key: expected[key] for key in ("sources", "codes", "codings")}
    codings = Coding.objects.filter(document__process=cast.process)
    assert Document.objects.filter(process=cast.process, origin=DocumentOrigin.IMPORTED).count() == expected["sources"]
    assert codings.count() == expected["distinct_codings"]
    assert set(codings.values_list("coder_name", flat=True)) == expected["coders"]
    # Every code of the file is either a new code or one merged by name.
    assert Code.objects.filter(process=cast.process).count() + len(summary.merged_codes) == expected["codes"]


def test_the_nvivo_windows_project_by_hand() -> None:
    # From tests/data/refi-qda/README.md: 2 text sources, 152 codes, 303 selections. Two users are listed, but
    # grep 'creatingUser' on the <Coding> elements finds only 29518289-…, the user named Gergo, 303 times.
    expected = counted_from_xml((DATA / "nvivo-win-12.6_oltas0517.qdpx").read_bytes())
    assert (expected["sources"], expected["codes"], expected["codings"], expected["distinct_codings"]) == (
        2, 152, 303, 303)
    assert expected["coders"] == {"Gergo"}


def test_an_import_into_an_empty_codebook_reports_no_code_as_merged(cast: Cast) -> None:
    # The qc demo repeats nine names under different parents (citizenship three times): 262 codes, 252 names. None of
    # them was "already in the codebook", which is what the command line says of merged_codes.
    summary = services.project_import(process=cast.process, actor=None, data=(DATA / "qc-1.3.2_demo.qdpx").read_bytes(),
                                      name="demo.qdpx")
    assert summary.merged_codes == []


def minimal_project(selections: str) -> bytes:
    """A project with one code and one text source "Hej verden" whose selections are given as XML."""
    code, source = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"
    qde = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="t">'
           f'<CodeBook><Codes><Code guid="{code}" name="Hilsen" isCodable="true"/></Codes></CodeBook>'
           f'<Sources><TextSource guid="{source}" name="Tekst" plainTextPath="internal://{source}.txt">'
           f'{selections.replace("CODE", code)}</TextSource></Sources></Project>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr(f"sources/{source}.txt", "Hej verden")
    return buffer.getvalue()


def selection(start: int, end: int) -> str:
    return (f'<PlainTextSelection guid="33333333-3333-4333-8333-33333333333{start}" startPosition="{start}" '
            f'endPosition="{end}"><Coding guid="44444444-4444-4444-8444-44444444444{start}"><CodeRef '
            f'targetGUID="CODE"/></Coding></PlainTextSelection>')


def assert_nothing_stored(process: StrategyProcess) -> None:
    assert not Code.objects.filter(process=process).exists()
    assert not Document.objects.filter(process=process).exists()
    assert not Coding.objects.filter(document__process=process).exists()


def zip_without_project() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("sources/a.txt", "Hej")
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "danish"), [
    (b"PK not really a zip", "den er ikke et zip-arkiv"),
    (zip_without_project(), "Filen har ingen project.qde"),
])
def test_a_file_that_is_not_a_project_is_refused_in_danish(cast: Cast, data: bytes, danish: str) -> None:
    with pytest.raises(ValidationError) as refused:
        services.project_import(process=cast.process, actor=None, data=data, name="x.qdpx")
    assert danish in " ".join(refused.value.messages)
    assert_nothing_stored(cast.process)
    assert not AuditEntry.objects.filter(process=cast.process, message__startswith="REFI-QDA").exists()


def test_an_import_that_fails_at_the_end_leaves_nothing_behind(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    record = services.audit_record

    def failing_last_step(**values: Any) -> Any:
        if values["message"].startswith("REFI-QDA project imported"):  # after every code, text and coding
            raise ValidationError("the disk is full")
        return record(**values)

    monkeypatch.setattr(services, "audit_record", failing_last_step)
    with pytest.raises(ValidationError):
        services.project_import(process=cast.process, actor=None, data=minimal_project(selection(0, 3)),
                                name="x.qdpx")
    assert_nothing_stored(cast.process)


def test_an_empty_selection_in_a_file_does_not_break_the_import(cast: Cast) -> None:
    # 0–3 is "Hej"; 4–4 selects nothing, which a Coding row cannot hold (start < end). It is left out.
    summary = services.project_import(process=cast.process, actor=None,
                                      data=minimal_project(selection(0, 3) + selection(4, 4)), name="x.qdpx")
    assert [(c.start, c.end, c.passage) for c in Coding.objects.all()] == [(0, 3, "Hej")]
    assert summary.sources == 1
