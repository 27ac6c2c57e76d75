"""REFI-QDA exchange against three real exports, the official schemas and hand-made projects.

Counts come from the shared data README and from grep on each ``project.qde`` (``<Code `` 152/262/262,
``<Coding `` 303/0/205, ``<TextSource `` 2/2/2). The NVivo spans were read by hand from the unpacked files
(``unzip -p``), slicing the UTF-16 text the way NVivo counts.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
import xmlschema
from django.utils import translation

from evidens.coding.refiqda import (
    Code,
    Coding,
    Project,
    RefiError,
    Source,
    read_qdc,
    read_qdpx,
    write_qdc,
    write_qdpx,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "refi-qda"
NVIVO_WIN = DATA / "nvivo-win-12.6_oltas0517.qdpx"
NVIVO_MAC = DATA / "nvivo-mac-15_nvivo_project.qdpx"
QC_DEMO = DATA / "qc-1.3.2_demo.qdpx"
SOURCE_A = "ddbebe1b-306f-4271-acdd-ae1da7c06fcd"
SOURCE_B = "68bbdc14-c361-4432-b4dd-ae1dbfc12890"
CODE_1 = "11111111-1111-4111-8111-111111111111"
CODE_2 = "22222222-2222-4222-8222-222222222222"
SOURCE_GUID = "33333333-3333-4333-8333-333333333333"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The import notes are checked in English; test_a_refusal_speaks_danish checks the Danish."""
    with translation.override("en"):
        yield



@cache
def project_of(path: Path) -> Project:
    return read_qdpx(path.read_bytes())


def depth(code: Code, by_guid: dict[str, Code]) -> int:
    return 1 if code.parent is None else 1 + depth(by_guid[code.parent], by_guid)


def is_word_boundary(text: str, position: int) -> bool:
    if position in (0, len(text)):
        return True
    return not (text[position - 1].isalnum() and text[position].isalnum())


@pytest.mark.parametrize(("path", "codes", "levels", "sources", "codings"), [
    (NVIVO_WIN, 152, 4, 2, 303), (NVIVO_MAC, 262, 7, 2, 0), (QC_DEMO, 262, 7, 2, 205)])
def test_real_exports_counts(path: Path, codes: int, levels: int, sources: int, codings: int) -> None:
    project = project_of(path)
    by_guid = {code.guid: code for code in project.codes}
    assert len(project.codes) == codes
    assert max(depth(code, by_guid) for code in project.codes) == levels
    assert len(project.sources) == sources
    assert len(project.codings) == codings


def test_qc_demo_selections_and_bare_paths() -> None:
    project = project_of(QC_DEMO)
    # 158 PlainTextSelections, each its own span; the nameless TextSource is named after its file.
    assert len({(c.source, c.start, c.end) for c in project.codings}) == 158
    assert sorted(source.name for source in project.sources) == ["admin-1.txt", "board_2017.txt"]
    assert project.users == {"39633935-3331-3962-6632-373436373264": "cp"}
    assert {coding.coder for coding in project.codings} == {"cp"}
    assert "205 of 205" in project.notes[0]


def test_nvivo_mac_sources_are_one_line_break() -> None:
    project = project_of(NVIVO_MAC)
    assert [source.text for source in project.sources] == ["\n", "\n"]
    assert project.notes == []


def test_nvivo_windows_descriptions_and_users() -> None:
    project = project_of(NVIVO_WIN)
    by_name = {code.name: code for code in project.codes}
    assert by_name["2. Attitűd szint az oltáshoz"].description.startswith("Erősen szkeptikus (piros)\n")
    assert by_name["piros"].parent == by_name["2. Attitűd szint az oltáshoz"].guid
    assert project.users == {"29518289-d0e3-447b-b7dd-ae1d8cd880a0": "Gergo",
                             "eaac2cd0-f7f0-415a-abdd-ae1d8f6762de": "floriansipos"}


def test_nvivo_windows_offsets_are_converted_from_utf16_units() -> None:
    project = project_of(NVIVO_WIN)
    texts = {source.guid: source.text for source in project.sources}
    assert not any(text.startswith("\ufeff") or "\r" in text for text in texts.values())
    on_words = sum(is_word_boundary(texts[c.source], c.start) and is_word_boundary(texts[c.source], c.end)
                   for c in project.codings)
    assert on_words >= 290
    assert "UTF-16" in project.notes[0] and "303 codings" in project.notes[0]

    spans = {(c.source, texts[c.source][c.start:c.end]) for c in project.codings}
    # 52 emoji and 1214 CRLF before it in the file.
    assert (SOURCE_B, "Kaptak fejenként 5 millát, a kisember mennyit kap?") in spans
    assert (SOURCE_B, "A. HAZUGSÁG FOLYIK 👍👍👍👍") in spans
    assert (SOURCE_B, "@@szilagyitamas2823 És milyen igazad lett!☝️👌👍👍👍\n") in spans
    start_a = {text for source, text in spans if source == SOURCE_B and text.startswith("Senkit nem lehet kötelezni")}
    assert len(start_a) == 1 and start_a.pop().endswith("hozhat aki nem szaporodhat és nem élhet.")


def test_nvivo_windows_every_selection_matches_the_utf16_slice() -> None:
    """Reference: slice the file's text as UTF-16 (NVivo's count), then normalise; compare in document order."""
    with zipfile.ZipFile(NVIVO_WIN) as archive:
        qde = archive.read("project.qde").decode("utf-8")
        raw = {guid: archive.read(f"Sources/{guid}.txt").decode("utf-8-sig").encode("utf-16-le")
               for guid in (SOURCE_A, SOURCE_B)}
    expected = []
    source = ""
    for match in re.finditer(r'<TextSource guid="([^"]+)"|startPosition="(\d+)" endPosition="(\d+)"', qde):
        if match[1]:
            source = match[1]
            continue
        piece = raw[source][2 * int(match[2]):2 * int(match[3])].decode("utf-16-le")
        expected.append((source, unicodedata.normalize("NFC", piece.replace("\r\n", "\n"))))
    project = project_of(NVIVO_WIN)
    texts = {s.guid: s.text for s in project.sources}
    assert [(c.source, texts[c.source][c.start:c.end]) for c in project.codings] == expected


def spans_of(project: Project) -> set[tuple[str, str, str, str]]:
    texts = {source.guid: source.text for source in project.sources}
    return {(c.source, texts[c.source][c.start:c.end], c.code, c.coder) for c in project.codings}


@pytest.mark.parametrize("path", [NVIVO_WIN, NVIVO_MAC, QC_DEMO])
def test_round_trip_keeps_codes_and_codings(path: Path) -> None:
    original = project_of(path)
    again = read_qdpx(write_qdpx(original))
    assert again.codes == original.codes
    assert [(s.guid, s.name, s.text) for s in again.sources] == [(s.guid, s.name, s.text) for s in original.sources]
    assert len(again.codings) == len(original.codings)
    assert spans_of(again) == spans_of(original)
    assert again.users == original.users


@pytest.mark.parametrize("path", [NVIVO_WIN, QC_DEMO])
def test_written_files_validate_against_the_schemas(path: Path) -> None:
    project = project_of(path)
    with zipfile.ZipFile(io.BytesIO(write_qdpx(project))) as archive:
        xmlschema.XMLSchema(DATA / "Project-mrt2019.xsd").validate(io.BytesIO(archive.read("project.qde")))
    xmlschema.XMLSchema(DATA / "Codebook.xsd").validate(io.BytesIO(write_qdc(project.codes)))


def test_codebook_round_trip_with_colour_description_and_nesting() -> None:
    codes = [Code(guid=CODE_1, name="Vidensdeling", description="Når medlemmer deler »viden«", colour="#1F77B4"),
             Code(guid=CODE_2, name="Netværk & møder", parent=CODE_1)]
    data = write_qdc(codes)
    xmlschema.XMLSchema(DATA / "Codebook.xsd").validate(io.BytesIO(data))
    assert read_qdc(data) == codes


def test_codebook_from_any_code_guid_and_cycle() -> None:
    codes = [Code(guid="kode-a", name="A", parent="kode-b"), Code(guid="kode-b", name="B", parent="kode-a")]
    data = write_qdc(codes)
    xmlschema.XMLSchema(DATA / "Codebook.xsd").validate(io.BytesIO(data))
    read = read_qdc(data)
    assert [code.name for code in read] == ["A", "B"]
    assert read[0].parent is None and read[1].parent == read[0].guid


def hand_made(text: bytes, selections: list[tuple[int, int]], folder: str = "sources") -> bytes:
    selection_xml = "".join(
        f'<PlainTextSelection guid="4444444{i}-4444-4444-8444-444444444444" startPosition="{start}" '
        f'endPosition="{end}"><Coding guid="5555555{i}-5555-4555-8555-555555555555">'
        f'<CodeRef targetGUID="{CODE_1}"/></Coding></PlainTextSelection>'
        for i, (start, end) in enumerate(selections))
    qde = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="t">'
           f'<CodeBook><Codes><Code guid="{CODE_1}" name="Tema" isCodable="true" color="#FF0000">'
           f'<Description>Beskrivelse</Description></Code></Codes></CodeBook>'
           f'<Sources><TextSource guid="{SOURCE_GUID}" name="Interview" plainTextPath="internal://{SOURCE_GUID}.txt">'
           f'{selection_xml}</TextSource></Sources></Project>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr(f"{folder}/{SOURCE_GUID}.txt", text)
    return buffer.getvalue()


# Converted text "Hej æøå\nSmil 😀 verden\nSlut": æøå 4–7, 😀 13–14, verden 15–21, Slut 22–26 (counted by hand).
EXPECTED_SPANS = [(4, 7), (13, 14), (15, 21), (22, 26)]
EXPECTED_TEXT = "Hej æøå\nSmil 😀 verden\nSlut"


def test_hand_made_standard_offsets() -> None:
    project = read_qdpx(hand_made(EXPECTED_TEXT.encode(), EXPECTED_SPANS))
    assert project.sources[0].text == EXPECTED_TEXT
    assert [(c.start, c.end) for c in project.codings] == EXPECTED_SPANS
    assert project.codes == [Code(guid=CODE_1, name="Tema", description="Beskrivelse", colour="#FF0000")]
    assert "4 of 4" in project.notes[0] and "Unicode code points" in project.notes[0]


def test_hand_made_nvivo_style_bom_crlf_utf16() -> None:
    # Units: H0 … å6, CR7 LF8, S9 … l12, space13, 😀14–15, space16, verden 17–23, CR23 LF24, Slut 25–29.
    raw = "\ufeffHej æøå\r\nSmil 😀 verden\r\nSlut".encode()
    project = read_qdpx(hand_made(raw, [(4, 7), (14, 16), (17, 23), (25, 29)], folder="Sources"))
    text = project.sources[0].text
    assert text == EXPECTED_TEXT
    assert [(c.start, c.end) for c in project.codings] == EXPECTED_SPANS
    assert [text[c.start:c.end] for c in project.codings] == ["æøå", "😀", "verden", "Slut"]
    assert "UTF-16" in project.notes[0]


def test_hand_made_crlf_counted_as_two_code_points() -> None:
    # Code points with CRLF kept: 😀 14, space 15, verden 16–22, CR22 LF23, Slut 24–28.
    project = read_qdpx(hand_made("Hej æøå\r\nSmil 😀 verden\r\nSlut".encode(), [(4, 7), (14, 15), (16, 22), (24, 28)]))
    assert [(c.start, c.end) for c in project.codings] == EXPECTED_SPANS


def test_hand_made_decomposed_text_becomes_nfc() -> None:
    # "Blå bog" with å as a + ring above: b-o-g at 5–8 in the file, 4–7 after NFC.
    project = read_qdpx(hand_made("Bla\u030a bog".encode(), [(5, 8)]))
    assert project.sources[0].text == "Blå bog"
    assert [(c.start, c.end) for c in project.codings] == [(4, 7)]


def test_written_hand_made_project_is_valid_and_uses_code_points() -> None:
    project = Project(codes=[Code(guid=CODE_1, name="Tema")],
                      sources=[Source(guid=SOURCE_GUID, name="Interview", text=EXPECTED_TEXT)],
                      codings=[Coding(SOURCE_GUID, 15, 21, CODE_1, coder="Anne"),
                               Coding(SOURCE_GUID, 13, 14, CODE_1, coder="Bo")],
                      users={}, notes=[])
    data = write_qdpx(project)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        qde = archive.read("project.qde")
        assert archive.read(f"sources/{SOURCE_GUID}.txt") == EXPECTED_TEXT.encode()
    xmlschema.XMLSchema(DATA / "Project-mrt2019.xsd").validate(io.BytesIO(qde))
    assert b'startPosition="15" endPosition="21"' in qde
    again = read_qdpx(data)
    assert {(c.start, c.end, c.coder) for c in again.codings} == {(15, 21, "Anne"), (13, 14, "Bo")}
    assert sorted(again.users.values()) == ["Anne", "Bo"]


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


ENTITY_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&d;"/>"""


@pytest.mark.parametrize("data", [
    pytest.param(b"PK but not a zip", id="not a zip"),
    pytest.param(zipped({"readme.txt": b"hej"}), id="no project.qde"),
    pytest.param(zipped({"project.qde": ENTITY_BOMB}), id="entity bomb"),
    pytest.param(zipped({"project.qde": b"<Project"}), id="broken xml"),
    pytest.param(zipped({"project.qde": b"<CodeBook xmlns='urn:QDA-XML:codebook:1.0'/>"}), id="not a project"),
    pytest.param(hand_made(b"Kort tekst", [(0, 1000)]), id="selection outside its text"),
    pytest.param(hand_made(b"\xff\xfe\xfd not utf-8 \x80", [(0, 1)]), id="text not utf-8"),
])
def test_broken_projects_raise_refi_error(data: bytes) -> None:
    with pytest.raises(RefiError) as raised:
        read_qdpx(data)
    assert str(raised.value)


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", b"<Project xmlns='urn:QDA-XML:project:1.0' name='x'/>")
        with archive.open("sources/zeros.txt", "w", force_zip64=True) as member:
            zeros = bytes(1024 * 1024)
            for _megabyte in range(201):
                member.write(zeros)
    assert bomb.stat().st_size < 1024 * 1024
    with pytest.raises(RefiError):
        read_qdpx(bomb.read_bytes())


def test_broken_codebooks_raise_refi_error() -> None:
    with pytest.raises(RefiError):
        read_qdc(ENTITY_BOMB)
    with pytest.raises(RefiError):
        read_qdc(b"<Project xmlns='urn:QDA-XML:project:1.0' name='x'/>")
    with pytest.raises(RefiError):
        write_qdc([])


def test_a_refusal_speaks_danish() -> None:
    with pytest.raises(RefiError) as refused, translation.override("da"):
        read_qdpx(b"PK but not a zip")
    assert str(refused.value) == "Filen er ikke et REFI-QDA-projekt (.qdpx): den er ikke et zip-arkiv."
