"""Transcripts from text, Word and OpenDocument files: normalisation, speaker turns and refusals.

Expected positions are code points counted by hand in the comments, or taken by slicing the known text in the test
with ``str.index`` — never from the module's output. Word files are made with python-docx, OpenDocument files are
assembled in tmp_path the way LibreOffice writes them (``mimetype`` first and stored, ``META-INF/manifest.xml``,
``content.xml``). The committed samples are described in tests/data/transcripts/README.md.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from django.utils import translation
from docx.oxml import parse_xml
from hypothesis import given
from hypothesis import strategies as st

from evidens.interviews.transcripts import (
    MAX_CHARACTERS,
    MAX_FILE_BYTES,
    Transcript,
    TranscriptError,
    Turn,
    normalise,
    read_transcript,
    split_turns,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "transcripts"

# The committed sample, as written in tests/data/transcripts/README.md.
SAMPLE = (
    "Interview med afdelingsformand, 12. marts 2025\n"
    "Interviewer: Hvad betyder grøn omstilling for jeres afdeling?\n"
    "I09: Det er klart: vi skal spare på energien. 👍\n"
    "Renoveringen af blok 3 er i gang, og beboerne er med.\n"
    "Interviewer: Hvordan har I inddraget beboerne?\n"
    "I09: Vi holdt to møder i fælleshuset.\n"
    "Mange kom, også de ældre.\n"
    "Altså: det tog tid."
)

ENTITY_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>
<text:p>&f;</text:p></office:text></office:body></office:document-content>"""


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Notes and messages are checked in English (the Danish catalogue is written from the final report)."""
    with translation.override("en"):
        yield


def expected_turn(text: str, speaker: str, utterance: str, after: int = 0) -> Turn:
    start = text.index(utterance, after)
    return Turn(speaker, start, start + len(utterance))


def utterances(transcript: Transcript) -> list[tuple[str, str]]:
    return [(turn.speaker, transcript.text[turn.start:turn.end]) for turn in transcript.turns]


# --- normalise ---------------------------------------------------------------------------------------------------


def test_normalise_changes_only_what_it_says() -> None:
    text, notes = normalise("\ufeffInterviewer:  Hej  \r\nI07:\tgod\u00a0dag\rØh 👍 \t\nslut")
    assert text == "Interviewer:  Hej\nI07:\tgod\u00a0dag\nØh 👍\nslut"
    assert notes == [
        "A byte-order mark at the start of the text was removed.",
        "1 Windows line break (CR LF) was converted to LF.",
        "1 line break written as CR alone was converted to LF.",
        "Spaces at the end of 2 lines were removed.",
    ]


def test_normalise_composes_characters_and_counts_them() -> None:
    # "e" + combining acute, "A" + combining ring, and the ANGSTROM SIGN (a singleton that NFC maps to Å):
    # three characters change, the text gets one code point shorter for each of the first two.
    decomposed = "Se\u0301bastian, A\u030aby og 3 \u212b"
    text, notes = normalise(decomposed)
    assert text == "Sébastian, Åby og 3 Å"
    assert len(decomposed) - len(text) == 2
    assert notes == ["3 characters were changed by Unicode normalisation (NFC)."]


def test_normalise_leaves_normal_text_alone() -> None:
    text = "Mette Holm: Det er klart – vi »skal« spare.\n\n\tI07: 👍\n"
    assert normalise(text) == (text, [])


def test_normalise_counts_windows_line_breaks() -> None:
    assert normalise("a\r\nb\r\nc\r\n") == ("a\nb\nc\n", ["3 Windows line breaks (CR LF) were converted to LF."])


# --- split_turns -------------------------------------------------------------------------------------------------


def test_positions_are_code_points() -> None:
    text = "I07: Hej 👍\nR2: Øh, ja."
    # "I07: " is 5 code points; "Hej 👍" is H, e, j, space and one emoji: 5..10. The line break is at 10, so
    # the second line starts at 11, "R2: " takes 4 and "Øh, ja." 7: 15..22. (In UTF-16 the emoji would count 2.)
    assert split_turns(text) == [Turn("I07", 5, 10), Turn("R2", 15, 22)]
    assert text[5:10] == "Hej 👍"
    assert text[15:22] == "Øh, ja."


def test_the_sample_turns() -> None:
    turns = split_turns(SAMPLE)
    assert turns == [
        expected_turn(SAMPLE, "Interviewer", "Hvad betyder grøn omstilling for jeres afdeling?"),
        expected_turn(SAMPLE, "I09", "Det er klart: vi skal spare på energien. 👍\n"
                                     "Renoveringen af blok 3 er i gang, og beboerne er med."),
        expected_turn(SAMPLE, "Interviewer", "Hvordan har I inddraget beboerne?"),
        # "Altså:" opens one line only and is no participant code, so its line belongs to the turn before.
        expected_turn(SAMPLE, "I09", "Vi holdt to møder i fælleshuset.\nMange kom, også de ældre.\n"
                                     "Altså: det tog tid."),
    ]
    # The heading before the first turn belongs to no turn: the first turn starts on the second line,
    # 47 code points in ("Interview med afdelingsformand, 12. marts 2025" is 46 plus the line break) + 13.
    assert turns[0].start == 60


def test_a_label_that_recurs_is_a_speaker() -> None:
    text = "Mette Holm: Ja.\nAfdelingsformand (I09): Nej.\nmette  holm: Måske.\nAltså: to gange.\nAltså: så."
    assert [(turn.speaker, text[turn.start:turn.end]) for turn in split_turns(text)] == [
        ("Mette Holm", "Ja."),
        ("Afdelingsformand (I09)", "Nej."),  # once, but ends in a participant code
        ("mette holm", "Måske."),  # the same speaker: case and repeated spaces do not count
        ("Altså", "to gange."),  # the rule's known cost: a word that opens two lines is taken for a speaker
        ("Altså", "så."),
    ]


@pytest.mark.parametrize("line", [
    "Det er klart: vi skal spare.",  # three words, but opens only one line
    "Hr. Jensen: en punktum er ikke med i et navn.",
    "Ja, altså: et komma heller ikke.",
    "2019: et årstal er ingen taler.",
    "En taler med fem ord: nej.",
    "Kl. 10:30 startede vi.",
    "Interviewer:uden mellemrum efter kolon.",
    "A" * 41 + ": for langt navn.",
    "Ab_1: understregning.",
])
def test_not_a_speaker(line: str) -> None:
    text = f"I07: Første replik.\n{line}\nI07: Anden replik."
    turns = split_turns(text)
    assert turns == [expected_turn(text, "I07", f"Første replik.\n{line}"),
                     expected_turn(text, "I07", "Anden replik.")]


@pytest.mark.parametrize("label", ["I07", "IP3", "R2", "Interviewer", "Mette Holm", "Afdelingsformand (I09)",
                                   "Anne-Marie O’Brien", "Formand og næstformand", "A" * 40])
def test_a_speaker_label(label: str) -> None:
    text = f"{label}: Hej.\n{label}: Igen."
    assert [turn.speaker for turn in split_turns(text)] == [label, label]


def test_a_turn_can_start_on_the_next_line_or_be_empty() -> None:
    text = "Interviewer:\n\n   Hvad tænker du?\nI08:\nInterviewer: Tak.\n"
    assert split_turns(text) == [
        expected_turn(text, "Interviewer", "Hvad tænker du?"),
        # "Interviewer:\n\n" is 14 code points and "   Hvad tænker du?\n" 19, so "I08:" runs 33..37: an empty
        # turn right after its colon.
        Turn("I08", 37, 37),
        expected_turn(text, "Interviewer", "Tak."),
    ]
    assert text[33:37] == "I08:"


def test_no_turns() -> None:
    assert split_turns("") == []
    assert split_turns("Bare tekst uden talere.\nOgså: en linje med kolon.") == []


# --- plain text files --------------------------------------------------------------------------------------------


def test_crlf_text_positions_are_in_the_normalised_text() -> None:
    transcript = read_transcript("I07: Hej\r\nR2: Då 👍\r\n".encode(), "interview.TXT")
    assert transcript.text == "I07: Hej\nR2: Då 👍\n"
    # "I07: Hej" is 8 code points and the LF is at 8; "R2: " starts at 9 and "Då 👍" runs 13..17.
    assert transcript.turns == [Turn("I07", 5, 8), Turn("R2", 13, 17)]
    assert transcript.notes == [
        "The file was read as UTF-8.",
        "2 Windows line breaks (CR LF) were converted to LF.",
        "2 speaker turns were found (I07, R2).",
    ]


def test_utf8_with_byte_order_mark() -> None:
    transcript = read_transcript(b"\xef\xbb\xbf" + SAMPLE.encode(), "sample.md")
    assert transcript.text == SAMPLE
    assert transcript.notes[:2] == ["The file was read as UTF-8.",
                                    "A byte-order mark at the start of the text was removed."]


@pytest.mark.parametrize(("codec", "name"), [("utf-16-le", "UTF-16 LE"), ("utf-16-be", "UTF-16 BE")])
def test_utf16_with_byte_order_mark(codec: str, name: str) -> None:
    transcript = read_transcript(("\ufeff" + SAMPLE).encode(codec), "sample.txt")
    assert transcript.text == SAMPLE
    assert transcript.notes[:2] == [f"The file was read as {name}.",
                                    "A byte-order mark at the start of the text was removed."]
    assert utterances(transcript)[0] == ("Interviewer", "Hvad betyder grøn omstilling for jeres afdeling?")


def test_windows_1252_text() -> None:
    text = "Ærø: “Søen” er blå – 25 €.\nÆrø: Så."
    transcript = read_transcript(text.encode("cp1252"), "gammel.txt")
    assert transcript.text == text
    assert transcript.notes[0] == ("The file is not valid UTF-8, so it was read as Windows-1252 (Western European). "
                                   "Check that æ, ø and å look right.")
    assert utterances(transcript) == [("Ærø", "“Søen” er blå – 25 €."), ("Ærø", "Så.")]


def test_text_in_no_known_encoding() -> None:
    # 0x81 is neither valid UTF-8 on its own nor defined in Windows-1252.
    with pytest.raises(TranscriptError, match="encoding cannot be recognised"):
        read_transcript(b"Hej \x81", "a.txt")


def test_utf16_without_byte_order_mark_is_refused() -> None:
    with pytest.raises(TranscriptError, match="NUL characters"):
        read_transcript("I07: Hej".encode("utf-16-le"), "a.txt")


def test_damaged_utf16() -> None:
    with pytest.raises(TranscriptError, match="UTF-16"):
        read_transcript(b"\xff\xfeI\x00\x00\xd8", "a.txt")  # ends inside a surrogate pair


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b" \r\n\t\r\n"])
def test_empty_text(data: bytes) -> None:
    with pytest.raises(TranscriptError, match="empty"):
        read_transcript(data, "a.txt")


@pytest.mark.parametrize("filename", ["interview.pdf", "interview.doc", "interview", "interview.txt.zip"])
def test_unknown_file_type(filename: str) -> None:
    with pytest.raises(TranscriptError) as refused:
        read_transcript(b"I07: Hej", filename)
    assert str(refused.value) == (f"The file “{filename}” cannot be read as a transcript: "
                                  "use .docx, .odt, .txt or .md.")


def test_too_large_file_and_too_long_text() -> None:
    with pytest.raises(TranscriptError, match="at most 20 MB"):
        read_transcript(b"a" * (MAX_FILE_BYTES + 1), "a.txt")
    with pytest.raises(TranscriptError, match="at most 5 million characters"):
        read_transcript(b"a" * (MAX_CHARACTERS + 1), "a.txt")
    assert len(read_transcript(b"a" * MAX_CHARACTERS, "a.txt").text) == MAX_CHARACTERS


# --- Word ----------------------------------------------------------------------------------------------------------


def word_file(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_document() -> None:
    document = docx.Document()
    document.add_heading("Interview 3", level=1)
    paragraph = document.add_paragraph("Interviewer: Hvad med ")
    paragraph.add_run("grøn").bold = True
    paragraph.add_run(" omstilling?  ")  # trailing spaces: removed with a note
    paragraph = document.add_paragraph("Mette Holm: Det er vigtigt.")
    run = paragraph.add_run()
    run.add_break()  # a line break inside the paragraph stays a line break
    run.add_text("Også\tfor økonomien 👍")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Sted"
    table.cell(0, 1).text = "Århus"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "Flettet celle"
    document.add_paragraph("Interviewer: Tak.")
    document.add_paragraph("Mette Holm: Selv tak.")

    transcript = read_transcript(word_file(document), "Interview.DOCX")

    text = ("Interview 3\n"
            "Interviewer: Hvad med grøn omstilling?\n"
            "Mette Holm: Det er vigtigt.\nOgså\tfor økonomien 👍\n"
            "Sted\nÅrhus\nFlettet celle\n"
            "Interviewer: Tak.\n"
            "Mette Holm: Selv tak.")
    assert transcript.text == text
    assert transcript.turns == [
        expected_turn(text, "Interviewer", "Hvad med grøn omstilling?"),
        expected_turn(text, "Mette Holm", "Det er vigtigt.\nOgså\tfor økonomien 👍\nSted\nÅrhus\nFlettet celle"),
        expected_turn(text, "Interviewer", "Tak."),
        expected_turn(text, "Mette Holm", "Selv tak."),
    ]
    assert transcript.notes == ["Spaces at the end of 1 line were removed.",
                                "4 speaker turns were found (Interviewer, Mette Holm)."]


def test_word_document_with_a_vertically_merged_cell() -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).merge(table.cell(2, 0)).text = "Lodret"
    for row, word in enumerate(["en", "to", "tre"]):
        table.cell(row, 1).text = word
    assert read_transcript(word_file(document), "a.docx").text == "Lodret\nen\nto\ntre"


def test_word_text_that_python_docx_leaves_out_gets_a_note() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("I07: Det var ")
    # A tracked insertion, as Word writes it: <w:ins w:id=".." w:author=".."><w:r><w:t>..</w:t></w:r></w:ins>.
    inserted = parse_xml(
        '<w:ins xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:id="1" w:author="Anne">'
        "<w:r><w:t>rigtig </w:t></w:r></w:ins>")
    paragraph._p.append(inserted)
    paragraph.add_run("godt.")
    transcript = read_transcript(word_file(document), "a.docx")
    assert transcript.text == "I07: Det var godt."
    assert transcript.notes == [
        "Text inside tracked changes or content controls was left out: accept all changes in Word and save the "
        "document again to include it.",
        "1 speaker turn was found (I07).",
    ]


def members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezipped(members: dict[str, bytes], extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in {**members, **(extra or {})}.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_word_zip_bomb() -> None:
    sample = (DATA / "interview-sample.docx").read_bytes()
    bomb = rezipped(members_of(sample), {"word/media/zeros.bin": bytes(101 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(TranscriptError, match="too large to unpack"):
        read_transcript(bomb, "bomb.docx")


def test_word_entity_expansion() -> None:
    sample = members_of((DATA / "interview-sample.docx").read_bytes())
    with pytest.raises(TranscriptError, match="document type declaration"):
        read_transcript(rezipped(sample, {"word/document.xml": ENTITY_BOMB}), "lol.docx")


@pytest.mark.parametrize("data", [
    b"not a zip at all",
    (DATA / "interview-sample.docx").read_bytes()[:5000],
    rezipped({"readme.txt": b"hej"}),
    rezipped(members_of((DATA / "interview-sample.docx").read_bytes()), {"word/document.xml": b"<w:document"}),
], ids=["not a zip", "cut short", "another zip", "broken xml"])
def test_damaged_word_document(data: bytes) -> None:
    with pytest.raises(TranscriptError) as refused:
        read_transcript(data, "a.docx")
    assert str(refused.value) == "The Word document (.docx) cannot be read: it is damaged or not a Word document."


# --- OpenDocument ------------------------------------------------------------------------------------------------

ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
)
MANIFEST = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    b'manifest:version="1.3">\n <manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
    b'manifest:media-type="application/vnd.oasis.opendocument.text"/>\n'
    b' <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>\n'
    b"</manifest:manifest>\n"
)


def content_xml(body: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ODF_NAMESPACES} '
            f'office:version="1.3"><office:body><office:text><text:sequence-decls><text:sequence-decl '
            f'text:display-outline-level="0" text:name="Illustration"/></text:sequence-decls>{body}'
            f"</office:text></office:body></office:document-content>").encode()


def odt_file(path: Path, content: bytes, *, mimetype: bytes = b"application/vnd.oasis.opendocument.text",
             extra: dict[str, bytes] | None = None) -> bytes:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return path.read_bytes()


def test_opendocument_text(tmp_path: Path) -> None:
    body = (
        '<text:h text:style-name="P1" text:outline-level="1">Interview <text:span>med</text:span> I07</text:h>'
        # text:s makes spaces (c of them, else 1), text:tab a tab; plain spaces and line feeds in the XML collapse
        # to one space and vanish at the paragraph's start and end.
        '<text:p text:style-name="Standard">I07: Det<text:s text:c="3"/>er<text:tab/>'
        '<text:span text:style-name="T1">grøn <text:span text:style-name="T2">omstilling</text:span></text:span>'
        '<office:annotation><dc:creator>Anne</dc:creator><text:p>En kommentar</text:p></office:annotation>'
        '  og\n   renovering.<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
        "<text:note-body><text:p>Fodnote</text:p></text:note-body></text:note> </text:p>"
        '<text:p>  <text:s/>Indrykket<text:line-break/>næste linje 👍</text:p>'
        '<text:list text:style-name="L1"><text:list-item><text:p>første punkt</text:p></text:list-item>'
        "<text:list-item><text:list><text:list-item><text:p>indre punkt</text:p></text:list-item></text:list>"
        "</text:list-item></text:list>"
        '<table:table table:name="T"><table:table-column/><table:table-row><table:table-cell>'
        "<text:p>Celle</text:p></table:table-cell></table:table-row></table:table>"
        "<text:p>I07: Slut.</text:p>"
    )
    transcript = read_transcript(odt_file(tmp_path / "interview.odt", content_xml(body)), "interview.odt")
    text = ("Interview med I07\n"
            "I07: Det   er\tgrøn omstilling og renovering.\n"
            " Indrykket\nnæste linje 👍\n"
            "første punkt\nindre punkt\nCelle\n"
            "I07: Slut.")
    assert transcript.text == text
    assert transcript.turns == [
        expected_turn(text, "I07", "Det   er\tgrøn omstilling og renovering.\n Indrykket\nnæste linje 👍\n"
                                   "første punkt\nindre punkt\nCelle"),
        expected_turn(text, "I07", "Slut."),
    ]


def test_the_committed_samples_agree() -> None:
    for name in ("interview-sample.txt", "interview-sample.docx", "interview-sample.odt"):
        transcript = read_transcript((DATA / name).read_bytes(), name)
        assert transcript.text.rstrip("\n") == SAMPLE, name
        assert transcript.turns == split_turns(SAMPLE), name
        assert transcript.notes[-1] == "4 speaker turns were found (Interviewer, I09).", name


def test_opendocument_zip_bomb(tmp_path: Path) -> None:
    path = tmp_path / "bomb.odt"
    odt_file(path, content_xml("<text:p>I07: Hej</text:p>"))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("Pictures/zeros.png", "w", force_zip64=True) as member:
        zeros = bytes(1024 * 1024)
        for _megabyte in range(101):
            member.write(zeros)
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(TranscriptError, match="too large to unpack"):
        read_transcript(path.read_bytes(), "bomb.odt")


def test_opendocument_entity_expansion(tmp_path: Path) -> None:
    with pytest.raises(TranscriptError) as refused:
        read_transcript(odt_file(tmp_path / "lol.odt", ENTITY_BOMB), "lol.odt")
    assert str(refused.value) == ("The document contains an XML document type declaration (DTD), "
                                  "which is refused for safety.")


@pytest.mark.parametrize("body", [
    '<text:p>a<text:s text:c="3000000"/></text:p><text:p><text:s text:c="3000000"/></text:p>',
    '<text:p><text:s text:c="999999999999"/></text:p>',  # a terabyte of spaces if they were made first
])
def test_opendocument_asking_for_too_many_spaces(tmp_path: Path, body: str) -> None:
    with pytest.raises(TranscriptError, match="too long"):
        read_transcript(odt_file(tmp_path / "spaces.odt", content_xml(body)), "spaces.odt")


def test_opendocument_nested_too_deep(tmp_path: Path) -> None:
    body = "<text:p>" + "<text:span>" * 5000 + "I07: Hej" + "</text:span>" * 5000 + "</text:p>"
    with pytest.raises(TranscriptError, match="damaged"):
        read_transcript(odt_file(tmp_path / "deep.odt", content_xml(body)), "deep.odt")


def test_opendocument_with_a_bad_space_count(tmp_path: Path) -> None:
    content = content_xml('<text:p>a<text:s text:c="many"/>b<text:s text:c="-4"/>c</text:p>')
    assert read_transcript(odt_file(tmp_path / "a.odt", content), "a.odt").text == "a b c"


def test_damaged_opendocument(tmp_path: Path) -> None:
    damaged = "The OpenDocument text (.odt) cannot be read: it is damaged or not an OpenDocument text."
    good = content_xml("<text:p>I07: Hej</text:p>")
    spreadsheet = odt_file(tmp_path / "a.ods", good, mimetype=b"application/vnd.oasis.opendocument.spreadsheet")
    no_text = (b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">'
               b"<office:body><office:spreadsheet/></office:body></office:document-content>")
    without_content = rezipped({"mimetype": b"application/vnd.oasis.opendocument.text"})
    for data in (b"PK\x03\x04 cut", odt_file(tmp_path / "b.odt", good)[:100], spreadsheet, without_content,
                 odt_file(tmp_path / "c.odt", b"<office:document-content"),
                 odt_file(tmp_path / "d.odt", no_text)):
        with pytest.raises(TranscriptError) as refused:
            read_transcript(data, "a.odt")
        assert str(refused.value) == damaged


# --- properties ----------------------------------------------------------------------------------------------------

LINE_PIECES = st.one_of(
    st.sampled_from(["Interviewer: ", "I07: ", "Mette Holm: ", "Afdelingsformand (I09): ", "Altså: ", "R2:",
                     "Det er klart: vi", "  ", "\t", "\r\n", "\r", "\n", "\ufeff", "e\u0301", "\u212b", "👍", "æøå",
                     ".", ":"]),
    st.text(max_size=8),
)
TEXTS = st.lists(LINE_PIECES, max_size=30).map("".join)


@given(TEXTS)
def test_normalise_and_split_turns_properties(raw: str) -> None:
    text, notes = normalise(raw)
    assert "\r" not in text
    assert not text.startswith("\ufeff")
    assert unicodedata.is_normalized("NFC", text)
    assert all(line == line.rstrip() for line in text.split("\n"))
    assert normalise(text) == (text, [])
    nfc_notes = [note for note in notes if "Unicode normalisation" in note]
    assert bool(nfc_notes) == (unicodedata.normalize("NFC", raw) != raw)
    assert not any(note.startswith("0 ") for note in nfc_notes)

    turns = split_turns(text)
    previous_end = 0
    for turn in turns:
        assert previous_end <= turn.start <= turn.end <= len(text)
        utterance = text[turn.start:turn.end]
        assert utterance == utterance.strip()
        assert turn.speaker and turn.speaker == " ".join(turn.speaker.split())
        previous_end = turn.end


@given(st.text())
def test_split_turns_never_fails_on_any_text(text: str) -> None:
    for turn in split_turns(text):
        assert 0 <= turn.start <= turn.end <= len(text)
