"""Text, title and date from archive files of every format, and the refusals.

Every file is made by the test itself, so the expected text is what the test wrote: Word with python-docx, Excel
with openpyxl, PowerPoint with python-pptx, OpenDocument assembled the way LibreOffice writes it (``mimetype``
first and stored, ``META-INF/manifest.xml``, ``content.xml``, ``meta.xml``), e-mail with the standard library's
EmailMessage, and PDF written by hand (a Type 1 Helvetica text object in WinAnsiEncoding, so æ, ø and å are single
bytes the reader must map back). Broken and hostile variants are made from those files at test time.
"""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage

import docx
import openpyxl
import pptx
import pypdf
import pytest
from docx.oxml import parse_xml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pptx.util import Inches

import evidens.text.extract as extract_module
from evidens.text.extract import (
    ERROR_CODES,
    MAX_FILE_BYTES,
    NOTE_CODES,
    SUFFIXES,
    Extracted,
    ExtractError,
    Limits,
    UnsafeXml,
    extract,
)

# --- making files ----------------------------------------------------------------------------------------------------


def pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding (for text shown in Helvetica) or PDFDocEncoding (for the info
    dictionary): the two agree on æ ø å Æ Ø Å, which are written as octal escapes."""
    written = bytearray(b"(")
    for byte in text.encode("cp1252"):
        if byte in b"()\\":
            written += b"\\" + bytes([byte])
        elif 32 <= byte < 127:
            written.append(byte)
        else:
            written += b"\\%03o" % byte
    return bytes(written + b")")


def pdf_file(pages: list[list[str]], info: dict[str, str] | None = None) -> bytes:
    """A PDF 1.4 file with one page per list of lines, each line shown in Helvetica 16 points below the one before.
    A page without lines fills a rectangle instead: like a scan's picture, it shows something but has no text."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               b"/Encoding /WinAnsiEncoding >>"]
    kids = []
    for lines in pages:
        shown = b" ".join(pdf_string(line) + b" Tj 0 -16 Td" for line in lines)
        stream = b"BT /F1 12 Tf 72 720 Td " + shown + b" ET" if lines else b"0.5 g 72 72 468 648 re f"
        kids.append(len(objects) + 1)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>" % (len(objects) + 2))
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % kid for kid in kids), len(kids))
    if info:
        objects.append(b"<< " + b" ".join(b"/" + key.encode() + b" " + pdf_string(value)
                                          for key, value in info.items()) + b" >>")
    written = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(written))
        written += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(written)
    written += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    written += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    info_entry = b" /Info %d 0 R" % len(objects) if info else b""
    written += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, info_entry, xref)
    return bytes(written)


def encrypted_pdf(plain: bytes, *, user_password: str, algorithm: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(plain)))
    writer.encrypt(user_password=user_password, owner_password="ejer-kodeord", algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def saved(document: docx.document.Document | pptx.presentation.Presentation | openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
)
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
    'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>{encryption}'
    '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
# What LibreOffice writes for a part saved with a password.
ENCRYPTION_DATA = (
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml" manifest:size="1234">'
    '<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" '
    'manifest:checksum="AAAA"><manifest:algorithm '
    'manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAA"/>'
    "</manifest:encryption-data></manifest:file-entry>"
)


def odt_content(body: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ODF_NAMESPACES} office:version="1.3">'
            f"<office:body><office:text>{body}</office:text></office:body></office:document-content>").encode()


def odt_meta(meta: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {ODF_NAMESPACES} office:version="1.3">'
            f"<office:meta>{meta}</office:meta></office:document-meta>").encode()


def odt_file(content: bytes, meta: bytes | None = None, *, encryption: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", b"application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", MANIFEST.format(encryption=encryption), zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        if meta is not None:
            archive.writestr("meta.xml", meta, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezipped(members: dict[str, bytes], changes: dict[str, bytes] | None = None) -> bytes:
    """The members again, in their order, mimetype stored (as ODF wants), the rest deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in {**members, **(changes or {})}.items():
            archive.writestr(name, content, zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# --- PDF ---------------------------------------------------------------------------------------------------------


def test_pdf() -> None:
    data = pdf_file([["Bæredygtig renovering i Århus", "Rapport, 24. november 2020"], ["Side to: ØKONOMI (2021)"]],
                    info={"Title": "Renovering af almene boliger i Århus", "CreationDate": "D:20190102120000+01'00'"})
    assert extract(data, "rapport.pdf") == Extracted(
        text="Bæredygtig renovering i Århus\nRapport, 24. november 2020\n\nSide to: ØKONOMI (2021)",
        title="Renovering af almene boliger i Århus",
        date=date(2020, 11, 24),  # written near the top: before the creation date
        kind="pdf",
        pages=2,
        notes=(),
    )


def test_pdf_metadata_when_the_text_says_nothing() -> None:
    data = pdf_file([["Bæredygtig renovering i Århus"]],
                    info={"Title": "Microsoft Word - rapport_v3.docx", "CreationDate": "D:20190102120000+01'00'",
                          "ModDate": "D:20200301080000Z"})
    extracted = extract(data, "rapport.PDF")
    assert extracted.title == "Bæredygtig renovering i Århus"  # Acrobat's printed file name is no title
    assert extracted.date == date(2019, 1, 2)  # created, not modified


def test_pdf_metadata_that_cannot_be_read_is_left_out() -> None:
    data = pdf_file([["Bæredygtig renovering i Århus"]],
                    info={"Title": "Renoveringsrapport", "CreationDate": "D:2019ab", "ModDate": "D:20200301"})
    extracted = extract(data, "a.pdf")
    assert (extracted.title, extracted.date) == ("Renoveringsrapport", date(2020, 3, 1))


def test_a_scanned_pdf_is_kept_with_a_note() -> None:
    data = pdf_file([[], []], info={"CreationDate": "D:20180615"})
    assert extract(data, "scan.pdf") == Extracted(text="", title="", date=date(2018, 6, 15), kind="pdf", pages=2,
                                                  notes=("no_text_layer",))


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_a_pdf_that_needs_a_password(algorithm: str) -> None:
    plain = pdf_file([["Fortroligt referat"]])
    with pytest.raises(ExtractError) as refused:
        extract(encrypted_pdf(plain, user_password="hemmelig", algorithm=algorithm), "a.pdf")
    assert refused.value.code == "encrypted"


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_a_pdf_restricted_only_by_an_owner_password_is_read(algorithm: str) -> None:
    plain = pdf_file([["Bæredygtig renovering i Århus"]])
    assert extract(encrypted_pdf(plain, user_password="", algorithm=algorithm), "a.pdf").text == (
        "Bæredygtig renovering i Århus")


@pytest.mark.parametrize("keep", [0.2, 0.5, 0.9])
def test_a_truncated_pdf_is_damaged(keep: float) -> None:
    data = pdf_file([["Bæredygtig renovering i Århus"]])
    with pytest.raises(ExtractError) as refused:
        extract(data[:int(len(data) * keep)], "a.pdf")
    assert refused.value.code == "damaged"


@pytest.mark.parametrize("data", [b"not a PDF at all", b"%PDF-1.4\n%%EOF\n", b"%PDF-1.7\n" + bytes(range(256)) * 4])
def test_not_a_pdf(data: bytes) -> None:
    with pytest.raises(ExtractError) as refused:
        extract(data, "a.pdf")
    assert refused.value.code == "damaged"


# --- Word --------------------------------------------------------------------------------------------------------


def word_sample() -> bytes:
    document = docx.Document()
    document.core_properties.created = datetime(2019, 5, 2, 10, 0, tzinfo=UTC)
    document.add_heading("Referat af bestyrelsesmøde", level=1)
    document.add_paragraph("Mødet blev holdt 24. nov. 2020 i Århus.  ")
    paragraph = document.add_paragraph("Første linje")
    paragraph.add_run().add_break()
    paragraph.add_run("Anden linje")
    document.add_paragraph("")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Sted"
    table.cell(0, 1).text = "Fælleshuset"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "Flettet celle"
    document.add_paragraph("Slut.")
    return saved(document)


def test_word_document() -> None:
    assert extract(word_sample(), "Referat.DOCX") == Extracted(
        text=("Referat af bestyrelsesmøde\n\nMødet blev holdt 24. nov. 2020 i Århus.\n\nFørste linje\nAnden linje\n\n"
              "Sted\n\nFælleshuset\n\nFlettet celle\n\nSlut."),
        title="Referat af bestyrelsesmøde",
        date=date(2020, 11, 24),
        kind="docx",
        pages=None,
        notes=(),
    )


def test_word_core_properties() -> None:
    document = docx.Document()
    document.core_properties.title = "Bestyrelsesreferat, maj"
    document.core_properties.created = datetime(2019, 5, 2, 10, 0, tzinfo=UTC)
    document.add_heading("Dagsorden", level=0)  # the Title style
    document.add_paragraph("Punkt 1: økonomi")
    extracted = extract(saved(document), "a.docx")
    assert (extracted.title, extracted.date) == ("Bestyrelsesreferat, maj", date(2019, 5, 2))

    document.core_properties.title = ""
    assert extract(saved(document), "a.docx").title == "Dagsorden"


def test_word_text_left_out_gets_a_note() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Det var ")
    paragraph._p.append(parse_xml(
        '<w:ins xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:id="1" w:author="Anne">'
        "<w:r><w:t>rigtig </w:t></w:r></w:ins>"))
    paragraph.add_run("godt.")
    extracted = extract(saved(document), "a.docx")
    assert (extracted.text, extracted.notes) == ("Det var godt.", ("text_left_out",))


def test_a_word_document_without_text() -> None:
    document = docx.Document()
    document.core_properties.created = datetime(2017, 3, 9, 12, 0, tzinfo=UTC)
    document.add_paragraph("")
    assert extract(saved(document), "tom.docx") == Extracted(text="", title="", date=date(2017, 3, 9), kind="docx",
                                                            pages=None, notes=("no_text",))


# --- OpenDocument --------------------------------------------------------------------------------------------------

ODT_BODY = (
    '<text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Illustration"/>'
    "</text:sequence-decls>"
    '<text:h text:style-name="P1" text:outline-level="1">Nyhedsbrev <text:span>fra</text:span> AlmenNet</text:h>'
    '<text:p text:style-name="Standard">Udsendt 2020-11-24.<office:annotation><dc:creator>Anne</dc:creator>'
    "<text:p>En kommentar</text:p></office:annotation></text:p>"
    "<text:p>Bæredygtig<text:s text:c=\"2\"/>renovering<text:tab/>i Århus<text:line-break/>næste linje"
    '<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body>'
    "<text:p>Fodnote</text:p></text:note-body></text:note></text:p>"
    '<text:list><text:list-item><text:p>første punkt</text:p></text:list-item></text:list>'
    '<table:table table:name="T"><table:table-column/><table:table-row><table:table-cell>'
    "<text:p>Celle</text:p></table:table-cell></table:table-row></table:table>"
)
ODT_META = ("<dc:title>Nyhedsbrev nr. 4</dc:title><meta:creation-date>2020-11-20T09:15:00</meta:creation-date>"
            "<dc:date>2020-12-01T16:40:12.345</dc:date>")


def test_opendocument_text() -> None:
    assert extract(odt_file(odt_content(ODT_BODY), odt_meta(ODT_META)), "nyhedsbrev.odt") == Extracted(
        text="Nyhedsbrev fra AlmenNet\n\nUdsendt 2020-11-24.\n\nBæredygtig  renovering\ti Århus\nnæste linje\n\n"
             "første punkt\n\nCelle",
        title="Nyhedsbrev nr. 4",
        date=date(2020, 11, 24),
        kind="odt",
        pages=None,
        notes=(),
    )


def test_opendocument_metadata_order() -> None:
    body = odt_content('<text:h text:outline-level="1">Vejledning</text:h><text:p>Uden dato.</text:p>')
    both = extract(odt_file(body, odt_meta(ODT_META)), "a.odt")
    assert (both.title, both.date) == ("Nyhedsbrev nr. 4", date(2020, 11, 20))  # created before modified
    modified_only = extract(odt_file(body, odt_meta("<dc:date>2020-12-01T16:40:12</dc:date>")), "a.odt")
    assert (modified_only.title, modified_only.date) == ("Vejledning", date(2020, 12, 1))  # the first heading
    unreadable_meta = extract(odt_file(body, b"<office:document-meta"), "a.odt")  # metadata only feeds guesses
    assert (unreadable_meta.text, unreadable_meta.title, unreadable_meta.date) == ("Vejledning\n\nUden dato.",
                                                                                   "Vejledning", None)


def test_an_encrypted_opendocument_text() -> None:
    data = odt_file(odt_content("<text:p>Hemmeligt</text:p>"), encryption=ENCRYPTION_DATA)
    with pytest.raises(ExtractError) as refused:
        extract(data, "a.odt")
    assert refused.value.code == "encrypted"


# --- PowerPoint --------------------------------------------------------------------------------------------------


def powerpoint_sample(core_title: str = "") -> bytes:
    presentation = pptx.Presentation()
    presentation.core_properties.title = core_title
    first = presentation.slides.add_slide(presentation.slide_layouts[0])  # title and subtitle
    first.shapes.title.text = "Strategi 2030 for AlmenNet"
    first.placeholders[1].text = "Bestyrelsesseminar 24. november 2020"
    second = presentation.slides.add_slide(presentation.slide_layouts[1])  # title and content
    second.shapes.title.text = "Bæredygtig renovering"
    second.placeholders[1].text = "Første punkt\nAndet punkt"
    second.shapes.add_textbox(Inches(1), Inches(5), Inches(4), Inches(1)).text_frame.text = "Fri tekst i Århus"
    group = second.shapes.add_group_shape()
    group.shapes.add_textbox(Inches(5), Inches(5), Inches(2), Inches(1)).text_frame.text = "I en gruppe"
    table = second.shapes.add_table(2, 2, Inches(1), Inches(6), Inches(4), Inches(1)).table
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(0, 0).text = "Flettet overskrift"
    table.cell(1, 0).text = "Sted"
    table.cell(1, 1).text = "Fælleshuset\nblok 3"
    return saved(presentation)


def test_powerpoint() -> None:
    assert extract(powerpoint_sample(), "seminar.pptx") == Extracted(
        text=("Strategi 2030 for AlmenNet\n\nBestyrelsesseminar 24. november 2020\n\nBæredygtig renovering\n\n"
              "Første punkt\nAndet punkt\n\nFri tekst i Århus\n\nI en gruppe\n\nFlettet overskrift\nSted\t"
              "Fælleshuset blok 3"),
        title="Strategi 2030 for AlmenNet",
        date=date(2020, 11, 24),
        kind="pptx",
        pages=2,
        notes=(),
    )


@pytest.mark.parametrize(("core_title", "title"), [
    ("Seminar om strategi", "Seminar om strategi"),
    ("PowerPoint-præsentation", "Strategi 2030 for AlmenNet"),  # PowerPoint's placeholder is no title
])
def test_powerpoint_title(core_title: str, title: str) -> None:
    assert extract(powerpoint_sample(core_title), "a.pptx").title == title


def test_a_deck_of_pictures() -> None:
    presentation = pptx.Presentation()
    presentation.core_properties.created = datetime(2016, 10, 3, 8, 0, tzinfo=UTC)
    presentation.slides.add_slide(presentation.slide_layouts[6])  # blank
    assert extract(saved(presentation), "a.pptx") == Extracted(text="", title="", date=date(2016, 10, 3),
                                                               kind="pptx", pages=1, notes=("no_text",))


# --- Excel ---------------------------------------------------------------------------------------------------------


def excel_sample() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.properties.title = "Deltagerliste 2020"
    workbook.properties.created = datetime(2020, 1, 15, 9, 0, tzinfo=UTC)
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Deltagere"
    sheet.append(["Navn", "Kommune", "Dato"])
    sheet.append(["Åse Ørsted", "Århus", datetime(2020, 11, 24)])  # noqa: DTZ001 - Excel has no time zones
    sheet.append([])
    sheet.append([None, "tom første celle", None, None])
    sheet.append(["Linje\nskift", 3.5, datetime(2020, 11, 24, 18, 30)])  # noqa: DTZ001
    workbook.create_sheet("Noter").append(["Bæredygtig renovering"])
    workbook.create_sheet("Tom")
    return saved(workbook)


def test_excel() -> None:
    assert extract(excel_sample(), "deltagere.xlsx") == Extracted(
        text=("Navn\tKommune\tDato\nÅse Ørsted\tÅrhus\t2020-11-24\n\ttom første celle\nLinje skift\t3.5\t"
              "2020-11-24 18:30:00\n\nBæredygtig renovering"),
        title="Deltagerliste 2020",
        date=date(2020, 11, 24),
        kind="xlsx",
        pages=3,
        notes=(),
    )


def test_excel_cells_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    # 3 + 3 cells, the empty row counts as 1, and the fourth row's two or more do not fit.
    monkeypatch.setattr(extract_module, "MAX_CELLS", 8)
    extracted = extract(excel_sample(), "a.xlsx")
    assert (extracted.text, extracted.notes) == ("Navn\tKommune\tDato\nÅse Ørsted\tÅrhus\t2020-11-24",
                                                 ("truncated",))


def test_an_excel_sheet_that_claims_to_be_huge() -> None:
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<dimension ref="A1:XFD1048576"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Første</t></is></c>'
        '<c r="XFD1" t="inlineStr"><is><t>yderst</t></is></c></row>'
        '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>sidst</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    data = rezipped(members_of(excel_sample()), {"xl/worksheets/sheet1.xml": sheet})
    extracted = extract(data, "a.xlsx")
    # The first row is 16,384 cells wide; the million empty rows before the last use up the cells that may be read.
    assert (extracted.text, extracted.notes) == ("Første" + "\t" * 16383 + "yderst", ("truncated",))


# --- HTML --------------------------------------------------------------------------------------------------------

HTML_PAGE = """<!DOCTYPE html>
<html lang="da"><head><meta charset="utf-8"><title>
  Nyhedsbrev
  november </title><style>p { color: red }</style><script>var nyhed = "ikke tekst";</script></head>
<body><nav><a href="/">Forside</a> <a href="/om">Om os</a></nav>
<h1>Bæredygtig renovering i Århus</h1>
<p>Udsendt 24/11-2020 af <b>sekretariatet</b>&nbsp;&amp; styregruppen.<br>Næste   linje
   fortsætter her.</p><!-- en kommentar -->
<ul><li>Første punkt</li><li>Andet <em>punkt</em></li></ul>
<table><tr><td>Sted</td><td>Fælleshuset</td></tr></table>
<div>Tekst i en div<p>med et afsnit indeni</p>og tekst efter</div>
<noscript>Slå JavaScript til</noscript>
</body></html>"""


def test_html_page() -> None:
    assert extract(HTML_PAGE.encode(), "nyhedsbrev.html") == Extracted(
        text=("Bæredygtig renovering i Århus\n\nUdsendt 24/11-2020 af sekretariatet\u00a0& styregruppen.\n"
              "Næste linje fortsætter her.\n\nFørste punkt\n\nAndet punkt\n\nSted\n\nFælleshuset\n\n"
              "Tekst i en div\n\nmed et afsnit indeni\n\nog tekst efter"),
        title="Nyhedsbrev november",
        date=date(2020, 11, 24),
        kind="html",
        pages=None,
        notes=(),
    )


@pytest.mark.parametrize(("head", "encoded"), [
    ('<meta charset="iso-8859-1">', "cp1252"),  # browsers read Latin-1 as Windows-1252: “ ” are 0x93 0x94
    ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', "cp1252"),
    ("", "cp1252"),  # not UTF-8: Windows-1252, with a note
    ('<meta charset="utf-8">', "utf-8"),
    ("", "utf-8"),
    ('<meta charset="no-such-charset">', "utf-8"),
])
def test_html_encodings(head: str, encoded: str) -> None:
    page = f"<html><head>{head}</head><body><h2>Årsmøde</h2><p>“Grøn” omstilling</p></body></html>"
    extracted = extract(page.encode(encoded), "a.htm")
    assert (extracted.text, extracted.title) == ("Årsmøde\n\n“Grøn” omstilling", "Årsmøde")
    assert extracted.notes == (("read_as_windows_1252",) if encoded == "cp1252" and not head else ())


def test_xhtml_with_an_xml_declaration() -> None:
    page = ('<?xml version="1.0" encoding="iso-8859-1"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">'
            "<head><title>Vejledning</title></head><body><p>Bæredygtig renovering</p></body></html>")
    extracted = extract(page.encode("latin-1"), "a.html")
    assert (extracted.text, extracted.title, extracted.notes) == ("Bæredygtig renovering", "Vejledning", ())


def test_html_nested_too_deep_is_damaged() -> None:
    with pytest.raises(ExtractError) as refused:
        extract(b"<div>" * 5000 + b"dybt", "a.html")
    assert refused.value.code == "damaged"


def test_html_without_text() -> None:
    assert extract(b"<html><body><img src=a.png><script>x()</script></body></html>", "a.html").notes == ("no_text",)


# --- plain text ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "notes"), [
    ("Årsberetning 2020\nGrøn omstilling".encode(), ()),
    ("\ufeffÅrsberetning 2020\nGrøn omstilling".encode(), ()),
    ("Årsberetning 2020\nGrøn omstilling".encode("utf-16"), ()),  # with its byte-order mark
    ("\ufeffÅrsberetning 2020\nGrøn omstilling".encode("utf-16-be"), ()),
    ("Årsberetning 2020\nGrøn omstilling".encode("cp1252"), ("read_as_windows_1252",)),
], ids=["utf-8", "utf-8 with mark", "utf-16 le", "utf-16 be", "windows-1252"])
def test_text_encodings(data: bytes, notes: tuple[str, ...]) -> None:
    assert extract(data, "a.txt") == Extracted(text="Årsberetning 2020\nGrøn omstilling", title="Årsberetning 2020",
                                               date=None, kind="text", pages=None, notes=notes)


def test_text_is_tidied() -> None:
    raw = "\n  \nOverskrift  \r\n\r\n\r\n \t\r\nLinje 1\rLinje 2\x0cSide 2\u2028og e\u0301n klokke\x07\t\n\n\n"
    assert extract(raw.encode(), "a.txt").text == "Overskrift\n\nLinje 1\nLinje 2\n\nSide 2\nog én klokke"


def test_markdown() -> None:
    data = b"## Vejledning om renovering ##\n\nSkrevet 3. marts 2021.\n\n* punkt"
    extracted = extract(data, "vejledning.markdown")
    assert (extracted.text, extracted.title, extracted.date) == (
        "## Vejledning om renovering ##\n\nSkrevet 3. marts 2021.\n\n* punkt", "Vejledning om renovering",
        date(2021, 3, 3))


@pytest.mark.parametrize(("text", "title"), [
    ("Kort første linje\nResten", "Kort første linje"),
    ("\n\n   Indrykket   titel  \n", "Indrykket titel"),
    ("#hashtag er ingen overskrift", "#hashtag er ingen overskrift"),
    ("####### syv er for mange", "####### syv er for mange"),
    ("x" * 150 + "\nnæste", "x" * 150),
    ("x" * 151 + "\nnæste", ""),  # a first line that long is a paragraph, not a title
])
def test_title_from_the_first_line(text: str, title: str) -> None:
    assert extract(text.encode(), "a.md").title == title


def test_a_title_is_one_line_of_at_most_300_characters() -> None:
    page = "<title>" + "ord " * 200 + "</title><p>x</p>"
    assert extract(page.encode(), "a.html").title == ("ord " * 75).strip()


def test_text_with_nul_characters_is_damaged() -> None:
    with pytest.raises(ExtractError) as refused:
        extract("Årsberetning".encode("utf-16-le"), "a.txt")  # UTF-16 without its byte-order mark
    assert refused.value.code == "damaged"


def test_utf16_that_is_not() -> None:
    with pytest.raises(ExtractError) as refused:
        extract(b"\xff\xfeabc", "a.txt")  # an odd number of bytes
    assert refused.value.code == "damaged"


# --- dates ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Referat af mødet 24. november 2020", date(2020, 11, 24)),
    ("Mødet 24. nov. 2020 kl. 17", date(2020, 11, 24)),
    ("24 nov 2020", date(2020, 11, 24)),
    ("den 24.november 2020", date(2020, 11, 24)),
    ("d. 1. MAJ 2019", date(2019, 5, 1)),
    ("3. marts 2021 og 4. mar. 2021", date(2021, 3, 3)),
    ("4. mar. 2021", date(2021, 3, 4)),
    ("7. sept. 2018", date(2018, 9, 7)),
    ("Dato: 2020-11-24", date(2020, 11, 24)),
    ("2020-1-5", date(2020, 1, 5)),
    ("Aarhus, 24/11-2020", date(2020, 11, 24)),
    ("24/11/2020", date(2020, 11, 24)),
    ("24.11.2020", date(2020, 11, 24)),
    ("1.2.2020", date(2020, 2, 1)),
    ("24-11-2020", date(2020, 11, 24)),
    ("31. februar 2020, rettet 1. marts 2020", date(2020, 3, 1)),  # no 31 February: the next date
    ("11/24/2020", None),  # month before day is not Danish: no 24th month
    ("Nyhedsbrev marts 2020", None),  # a month without a day
    ("24. novelle 2020", None),
    ("version 1.2.3 og telefon 12345678", None),
    ("20201124", None),
    ("124.11.2020 og 24.11.20201", None),  # part of longer numbers
    ("24. november 1899", None),  # outside 1901–2100
    ("1. januar 1900", None),
    ("x" * 990 + " 24. november 2020", None),  # past the first 1,000 characters
])
def test_date_written_near_the_top(text: str, expected: date | None) -> None:
    assert extract(text.encode(), "a.txt").date == expected


# --- e-mail ------------------------------------------------------------------------------------------------------


def test_email_with_an_attachment() -> None:
    message = EmailMessage()
    message["From"] = "Sekretariatet <post@almennet.dk>"
    message["To"] = "bestyrelsen@almennet.dk"
    message["Subject"] = "Referat fra mødet om grøn omstilling"
    message["Date"] = "Tue, 24 Nov 2020 23:30:00 +0100"  # already 25 November in UTC: the sender's day counts
    message.set_content("Kære alle\n\nHer er referatet fra 20. november 2020.\nVenlig hilsen\nÅse")
    message.add_attachment(b"%PDF-1.4 ...", maintype="application", subtype="pdf", filename="referat.pdf")
    assert extract(bytes(message), "mail.eml") == Extracted(
        text="Kære alle\n\nHer er referatet fra 20. november 2020.\nVenlig hilsen\nÅse",
        title="Referat fra mødet om grøn omstilling",
        date=date(2020, 11, 24),  # the Date header before a date in the text
        kind="eml",
        pages=None,
        notes=("attachments_skipped",),
    )


def test_email_in_html_only() -> None:
    message = EmailMessage()
    message["From"] = "post@almennet.dk"
    message["Subject"] = "Nyhedsbrev"
    message.set_content("<html><body><h1>Nyt fra Århus</h1><p>Læs <b>mere</b> her</p><style>p{}</style></body></html>",
                        subtype="html")
    extracted = extract(bytes(message), "a.eml")
    assert (extracted.text, extracted.title, extracted.date, extracted.notes) == (
        "Nyt fra Århus\n\nLæs mere her", "Nyhedsbrev", None, ())


def test_email_prefers_the_plain_text_part() -> None:
    message = EmailMessage()
    message["Subject"] = "Invitation"
    message.set_content("Velkommen til årsmødet")
    message.add_alternative("<p>Velkommen til <b>årsmødet</b> i HTML</p>", subtype="html")
    assert extract(bytes(message), "a.eml").text == "Velkommen til årsmødet"


def test_email_with_only_an_attachment() -> None:
    message = EmailMessage()
    message["Subject"] = "Bilag"
    message.add_attachment(b"data", maintype="application", subtype="octet-stream", filename="bilag.bin")
    extracted = extract(bytes(message), "a.eml")
    assert (extracted.text, extracted.title, extracted.notes) == ("", "Bilag", ("attachments_skipped", "no_text"))


def test_email_with_an_unknown_charset_and_a_bad_date() -> None:
    data = (b"Subject: =?utf-8?q?M=C3=B8de?=\nDate: the day after tomorrow\n"
            b"Content-Type: text/plain; charset=x-no-such-charset\n\nH\xc3\xb8ringssvar")
    extracted = extract(data, "a.eml")
    assert (extracted.text, extracted.title, extracted.date) == ("Høringssvar", "Møde", None)


def test_not_an_email() -> None:
    with pytest.raises(ExtractError) as refused:
        extract(b"\x00\x01 no headers here", "a.eml")
    assert refused.value.code == "damaged"


# --- refusals common to all formats ---------------------------------------------------------------------------------


@pytest.mark.parametrize("filename", ["referat.doc", "regneark.xls", "slides.ppt", "a.rtf", "README", "a.pdf.exe",
                                      "arkiv.zip"])
def test_unsupported_file_types(filename: str) -> None:
    with pytest.raises(ExtractError) as refused:
        extract(b"anything", filename)
    assert refused.value.code == "unsupported"


def test_suffixes() -> None:
    assert SUFFIXES == {".pdf": "pdf", ".docx": "docx", ".odt": "odt", ".pptx": "pptx", ".xlsx": "xlsx",
                        ".htm": "html", ".html": "html", ".txt": "text", ".md": "text", ".markdown": "text",
                        ".eml": "eml"}


def test_too_large() -> None:
    with pytest.raises(ExtractError) as refused:
        extract(b"a" * (MAX_FILE_BYTES + 1), "a.txt")
    assert refused.value.code == "too_large"


@pytest.mark.parametrize(("data", "filename"), [
    (b"", "a.pdf"), (b"", "a.docx"), (b" \r\n\t", "a.txt"), (b"\n\n", "a.html"), ("\ufeff \n".encode(), "a.md"),
    ("\ufeff\n".encode("utf-16"), "a.txt"),
])
def test_empty(data: bytes, filename: str) -> None:
    with pytest.raises(ExtractError) as refused:
        extract(data, filename)
    assert refused.value.code == "empty"


def test_codes_are_listed() -> None:
    assert set(ERROR_CODES) == {"unsupported", "encrypted", "damaged", "too_large", "empty"}
    assert set(NOTE_CODES) == {"no_text_layer", "no_text", "attachments_skipped", "truncated", "text_left_out",
                               "read_as_windows_1252"}


# --- broken and hostile zip formats ------------------------------------------------------------------------------

ZIP_SAMPLES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "docx": ("word/document.xml", word_sample),
    "pptx": ("ppt/slides/slide1.xml", powerpoint_sample),
    "xlsx": ("xl/workbook.xml", excel_sample),  # without a worksheet's part openpyxl reads the other sheets
    "odt": ("content.xml", lambda: odt_file(odt_content(ODT_BODY), odt_meta(ODT_META))),
}
ENTITY_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<root>&d;</root>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE root [<!ENTITY secret SYSTEM "file:///etc/passwd">]><root>&secret;</root>"""


@functools.cache
def zip_sample(kind: str) -> bytes:
    return ZIP_SAMPLES[kind][1]()


@pytest.mark.parametrize("kind", ZIP_SAMPLES)
@pytest.mark.parametrize("breakage", ["not a zip", "cut short", "another zip", "broken xml", "main part missing"])
def test_damaged_zip_formats(kind: str, breakage: str) -> None:
    main_part, _make = ZIP_SAMPLES[kind]
    sample = zip_sample(kind)
    members = members_of(sample)
    data = {
        "not a zip": b"PK\x03\x04 this is not a zip",
        "cut short": sample[:len(sample) // 2],
        "another zip": rezipped({"readme.txt": b"hej"}),
        "broken xml": rezipped(members, {main_part: members[main_part][:-40]}),
        "main part missing": rezipped({name: content for name, content in members.items() if name != main_part}),
    }[breakage]
    with pytest.raises(ExtractError) as refused:
        extract(data, f"a.{kind}")
    assert refused.value.code == "damaged"


@pytest.mark.parametrize("kind", ZIP_SAMPLES)
@pytest.mark.parametrize("xml", [ENTITY_BOMB, EXTERNAL_ENTITY], ids=["entity expansion", "external entity"])
def test_a_document_type_declaration_is_refused(kind: str, xml: bytes) -> None:
    main_part, _make = ZIP_SAMPLES[kind]
    with pytest.raises(UnsafeXml) as refused:
        extract(rezipped(members_of(zip_sample(kind)), {main_part: xml}), f"a.{kind}")
    assert refused.value.code == "damaged"


@pytest.mark.parametrize("kind", ZIP_SAMPLES)
def test_zip_bomb(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract_module, "LIMITS", Limits(members=100, unpacked_bytes=2 * 1024 * 1024,
                                                         characters=1000))
    bomb = rezipped(members_of(zip_sample(kind)), {"media/zeros.bin": bytes(3 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024
    with pytest.raises(ExtractError) as refused:
        extract(bomb, f"bomb.{kind}")
    assert refused.value.code == "too_large"


def test_zip_bomb_at_the_real_limit() -> None:
    buffer = io.BytesIO(zip_sample("docx"))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("word/media/zeros.bin", "w", force_zip64=True) as member:
        zeros = bytes(1024 * 1024)
        for _megabyte in range(201):
            member.write(zeros)
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(ExtractError) as refused:
        extract(buffer.getvalue(), "bomb.docx")
    assert refused.value.code == "too_large"


@pytest.mark.parametrize("kind", ["docx", "xlsx", "pptx"])
def test_password_protected_office_files(kind: str) -> None:
    # Office wraps a protected file in an OLE compound file with an "EncryptedPackage" stream; this is only the
    # signature and the stream's name in the directory (UTF-16), which is what the check looks at.
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    with pytest.raises(ExtractError) as refused:
        extract(header + "EncryptedPackage".encode("utf-16-le") + bytes(100), f"a.{kind}")
    assert refused.value.code == "encrypted"
    with pytest.raises(ExtractError) as refused:
        extract(header + "WordDocument".encode("utf-16-le") + bytes(100), f"a.{kind}")  # an old .doc renamed
    assert refused.value.code == "damaged"


# --- long texts ----------------------------------------------------------------------------------------------------


def test_text_over_ten_million_characters_is_cut() -> None:
    extracted = extract(("ord " * 3_000_000).encode(), "a.txt")
    assert len(extracted.text) == 10_000_000 - 1  # cut inside the last word's trailing space, then stripped
    assert extracted.notes == ("truncated",)


SMALL_FILES: dict[str, Callable[[], bytes]] = {
    "a.pdf": lambda: pdf_file([["Første side med tekst"], ["Anden side med mere tekst"]]),
    "a.docx": word_sample,
    "a.odt": lambda: zip_sample("odt"),
    "a.pptx": powerpoint_sample,
    "a.xlsx": excel_sample,
    "a.html": lambda: HTML_PAGE.encode(),
    "a.txt": lambda: ("Første linje\n" * 10).encode(),
}


@pytest.mark.parametrize("filename", SMALL_FILES)
def test_every_reader_stops_at_the_character_limit(filename: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = SMALL_FILES[filename]()
    whole = extract(data, filename).text
    monkeypatch.setattr(extract_module, "LIMITS", Limits(members=10_000, unpacked_bytes=10**8, characters=30))
    cut = extract(data, filename)
    assert cut.notes == ("truncated",)
    assert len(cut.text) <= 30
    assert whole.startswith(cut.text[:20])  # the start; the cut end may differ in white space


# --- any bytes at all --------------------------------------------------------------------------------------------


@functools.cache
def valid_sample(suffix: str) -> bytes:
    message = EmailMessage()
    message["Subject"] = "Møde"
    message["Date"] = "Tue, 24 Nov 2020 10:00:00 +0100"
    message.set_content("Tekst")
    message.add_alternative("<p>Tekst</p>", subtype="html")
    message.add_attachment(b"x", maintype="application", subtype="pdf", filename="a.pdf")
    samples: dict[str, Callable[[], bytes]] = {
        ".pdf": lambda: pdf_file([["Bæredygtig renovering i Århus"]], info={"Title": "Rapport"}),
        ".docx": lambda: zip_sample("docx"), ".odt": lambda: zip_sample("odt"), ".pptx": lambda: zip_sample("pptx"),
        ".xlsx": lambda: zip_sample("xlsx"), ".htm": HTML_PAGE.encode, ".html": HTML_PAGE.encode,
        ".txt": "24. nov. 2020 Tekst\r\n".encode, ".md": "# Titel\n\nTekst".encode, ".markdown": "# Titel".encode,
        ".eml": lambda: bytes(message),
    }
    return samples[suffix]()


def mutated(data: bytes, edits: list[tuple[int, int]], keep: float) -> bytes:
    changed = bytearray(data)
    for position, byte in edits:
        changed[position % len(changed)] = byte
    return bytes(changed[:max(1, int(len(changed) * keep))])


EDITS = st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=8)
KEEP = st.sampled_from([1.0, 1.0, 0.99, 0.9, 0.5, 0.1])


@settings(max_examples=400, deadline=timedelta(seconds=10), suppress_health_check=[HealthCheck.too_slow])
@given(suffix=st.sampled_from(sorted(SUFFIXES)), how=st.sampled_from(["random", "mutated", "mutated part"]),
       random_bytes=st.binary(max_size=2000), part=st.integers(min_value=0), edits=EDITS, keep=KEEP)
def test_any_bytes_give_text_or_an_extract_error(suffix: str, how: str, random_bytes: bytes, part: int,
                                                 edits: list[tuple[int, int]], keep: float) -> None:
    """Random bytes, and valid files with a few bytes changed or cut off; for a zip format also a sound zip with one
    part's XML changed, so the library's own parsing is reached."""
    if how == "random":
        data = random_bytes
    elif how == "mutated part" and suffix in {".docx", ".odt", ".pptx", ".xlsx"}:
        members = members_of(valid_sample(suffix))
        name = sorted(members)[part % len(members)]
        data = rezipped(members, {name: mutated(members[name], edits, keep)})
    else:
        data = mutated(valid_sample(suffix), edits, keep)
    try:
        extracted = extract(data, f"fil{suffix}")
    except ExtractError as error:
        assert error.code in ERROR_CODES
        return
    assert extracted.kind == SUFFIXES[suffix]
    assert set(extracted.notes) <= set(NOTE_CODES)
    assert "\r" not in extracted.text and "\n\n\n" not in extracted.text
    assert all(line == line.rstrip() for line in extracted.text.split("\n"))  # indentation may stay
    assert not extracted.text.startswith("\n") and not extracted.text.endswith("\n")
    assert "\n" not in extracted.title and len(extracted.title) <= 300
