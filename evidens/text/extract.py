"""The text of an archive document, with a guessed title and date.

    extract(data, filename) -> Extracted     PDF, Word, OpenDocument text, PowerPoint, Excel, HTML, text, e-mail
    read_docx(data, limits) -> Contents      the paragraphs of a Word document (interviews.transcripts reads them)
    read_odt(data, limits) -> Contents       the paragraphs of an OpenDocument text (likewise)

The module knows nothing of Django. A file that cannot be read raises ``ExtractError`` with a code from
``ERROR_CODES`` and a technical detail for the log; ``Extracted.notes`` are codes from ``NOTE_CODES``. The Django
layer words both.

**Which reader** follows the file name's suffix (``SUFFIXES``), never the content: a ``.docx`` that is really a PDF
is "damaged". Old binary Office files (``.doc``, ``.xls``, ``.ppt``) are "unsupported".

**The text** is NFC, with "\\n" line breaks, no white space at the end of a line, no control characters, and the
paragraphs separated by one blank line. A PDF gives one paragraph per page, a slide one per shape, a spreadsheet
one per sheet (its rows as tab-separated lines, empty rows left out, at most ``MAX_CELLS`` cells read in all), a
Word document one per paragraph and table cell (python-docx's reading: text inside tracked insertions and content
controls is left out, with the note ``text_left_out``), an OpenDocument text one per paragraph and heading (ODF's
white-space rules; comments, footnotes, text boxes and tracked deletions left out), an HTML page one per block
element (``script``, ``style``, ``nav``, ``noscript``, ``template`` and the head left out; white space collapsed,
``pre`` included), an e-mail its text/plain part or else its HTML part (attachments never read: note
``attachments_skipped``). Plain text is UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark,
or else Windows-1252 (note ``read_as_windows_1252``: check æ, ø and å); an HTML page's declared charset is obeyed.

**Empty, unreadable, scanned.** "empty" is only a file with no bytes or nothing but white space (for text, after
decoding): there is nothing to keep. A file that opens but has no text is returned with empty text and a note, so
the archive keeps the original: ``no_text_layer`` for a PDF (a scan; OCR would be needed), ``no_text`` otherwise
(a deck of pictures, an e-mail with only attachments). A PDF that needs a password is "encrypted" (one that opens
with the empty password, restricted only by an owner password, is read), so is a password-protected Office file
(an OLE container with an ``EncryptedPackage``) and an encrypted OpenDocument file.

**Title**, the first that is there: the file's own title (PDF info, OOXML core properties, OpenDocument meta, HTML
``<title>``, e-mail Subject; PowerPoint's placeholder "PowerPoint Presentation" and the "Microsoft Word - file.doc"
Acrobat writes do not count); the first heading (Word's Title and Heading styles, ``text:h``, ``h1``–``h6``, a slide's
title placeholder, a Markdown ``#`` line at the top of a text file); the first line of the text if it is at most
``MAX_TITLE_LINE`` characters; else "". White space is collapsed to single spaces and the title is at most
``MAX_TITLE_CHARACTERS`` long.

**Date**, the first that is there: an e-mail's Date header (the sender's calendar day); the first date written in
the first ``DATE_SEARCH_CHARACTERS`` characters of the text ("24. november 2020", "24. nov. 2020", "24 nov 2020",
"2020-11-24", "24/11-2020", "24/11/2020", "24.11.2020", "24-11-2020"; Danish month names, day before month;
a month without a day is not a date); the file's metadata creation date; its modification date; else None. Only
years 1901–2100 count, so the zero dates programs write (1601, 1899, 1900) are ignored. Metadata dates are taken
as written (OOXML writes UTC, so a document saved late in the evening can be a day ahead).

**Limits.** At most ``MAX_FILE_BYTES`` in; a zip format at most ``LIMITS.unpacked_bytes`` unpacked and
``LIMITS.members`` members (a zip bomb is "too_large"); text beyond ``LIMITS.characters`` characters is cut off
(note ``truncated``). An XML part with a document type declaration (the door to entity expansion and external
entities) is refused as "damaged". pypdf applies its own limits to streams and page trees. No regular expression
here can backtrack catastrophically: every repetition is bounded or over disjoint characters.
"""

from __future__ import annotations

import codecs
import email
import email.errors
import email.message
import email.policy
import io
import re
import struct
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import PurePath
from typing import TypeVar
from xml.etree.ElementTree import Element, ParseError
from xml.parsers import expat

import defusedxml.ElementTree as SafeET
import docx
import docx.opc.exceptions
import lxml.html
import openpyxl
import pptx
import pptx.exc
import pypdf
import pypdf.errors
from defusedxml import DefusedXmlException
from docx.enum.style import WD_STYLE_TYPE
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree
from openpyxl.utils.exceptions import InvalidFileException
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.shapes.autoshape import Shape
from pptx.shapes.base import BaseShape
from pptx.shapes.graphfrm import GraphicFrame
from pptx.shapes.group import GroupShape

from evidens.text.ziparchive import NotAZip, ZipDamaged, ZipTooLarge, read_members

MAX_FILE_BYTES = 50 * 1024 * 1024
# Spreadsheet cells read in all, a row counting at least one (a sheet can claim a million empty rows cheaply, or
# widen a row to 16,384 cells with one cell at its end). openpyxl reads about 30,000 cells a second.
MAX_CELLS = 1_000_000
MAX_TITLE_LINE = 150
MAX_TITLE_CHARACTERS = 300
DATE_SEARCH_CHARACTERS = 1_000

_T = TypeVar("_T")

ERROR_CODES = ("unsupported", "encrypted", "damaged", "too_large", "empty")
NOTE_CODES = ("no_text_layer", "no_text", "attachments_skipped", "truncated", "text_left_out", "read_as_windows_1252")

SUFFIXES: dict[str, str] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".odt": "odt",
    ".pptx": "pptx",
    ".xlsx": "xlsx",
    ".htm": "html",
    ".html": "html",
    ".txt": "text",
    ".md": "text",
    ".markdown": "text",
    ".eml": "eml",
}


@dataclass(frozen=True, slots=True)
class Limits:
    members: int  # files in a zip format
    unpacked_bytes: int  # a zip format unpacked
    characters: int  # text kept


LIMITS = Limits(members=10_000, unpacked_bytes=200 * 1024 * 1024, characters=10_000_000)


@dataclass(frozen=True, slots=True)
class Extracted:
    text: str
    title: str
    date: date | None
    kind: str
    pages: int | None  # PDF pages, PPTX slides, XLSX sheets
    notes: tuple[str, ...]


class ExtractError(ValueError):
    """The file cannot be read. ``code`` is one of ERROR_CODES; ``detail`` is technical, for the log."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


class UnsafeXml(ExtractError):
    """An XML part with a document type declaration: "damaged", but a caller may say why."""

    def __init__(self, detail: str) -> None:
        super().__init__("damaged", detail)


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph (or a page, sheet, shape) as the reader found it, before tidying."""

    text: str
    heading: bool = False


@dataclass(frozen=True, slots=True)
class Contents:
    """What a reader found: the blocks in order and the file's own metadata."""

    blocks: list[Block]
    title: str = ""
    sent: date | None = None  # an e-mail's Date header
    created: date | None = None
    modified: date | None = None
    pages: int | None = None
    notes: tuple[str, ...] = ()


def extract(data: bytes, filename: str) -> Extracted:
    """The text, title and date of the file, read by the suffix of its name; the module's docstring says how."""
    suffix = PurePath(filename).suffix.lower()
    kind = SUFFIXES.get(suffix)
    if kind is None:
        raise ExtractError("unsupported", f"files ending {suffix or '(nothing)'!r} are not read")
    if len(data) > MAX_FILE_BYTES:
        raise ExtractError("too_large", f"{len(data)} bytes, at most {MAX_FILE_BYTES}")
    if not data.strip():
        raise ExtractError("empty", f"{len(data)} bytes of white space")
    contents = _READERS[kind](data, LIMITS)
    text = _tidy("\n\n".join(block.text for block in contents.blocks))
    notes = list(contents.notes)
    if len(text) > LIMITS.characters:
        text = text[:LIMITS.characters].rstrip()
        notes.append("truncated")
    if not text:
        notes.append("no_text_layer" if kind == "pdf" else "no_text")
    return Extracted(
        text=text,
        title=_guess_title(contents, text),
        date=contents.sent or _date_near_top(text) or contents.created or contents.modified,
        kind=kind,
        pages=contents.pages,
        notes=tuple(dict.fromkeys(notes)),
    )


# --- text and title ----------------------------------------------------------------------------------------------

# Line and paragraph separators become "\n" and "\n\n"; every other control character goes, and so does U+FEFF
# (a byte-order mark, or a zero-width no-break space that only hinders search).
_SEPARATORS = {"\r": "\n", "\x0b": "\n", "\x85": "\n", "\u2028": "\n", "\x0c": "\n\n", "\u2029": "\n\n"}
_CONTROL_CHARACTERS: dict[int, str | None] = {
    **{code: None for code in [*range(0x20), *range(0x7f, 0xa0)] if chr(code) not in "\t\n"},
    **{ord(character): replacement for character, replacement in _SEPARATORS.items()},
    0xfeff: None,
}
_ANY_CONTROL_CHARACTER = re.compile(f"[{re.escape(''.join(map(chr, _CONTROL_CHARACTERS)))}]")
_PLACEHOLDER_TITLES = frozenset({"powerpoint presentation", "powerpoint-præsentation"})


def _without_control_characters(text: str) -> str:
    text = text.replace("\r\n", "\n")
    if _ANY_CONTROL_CHARACTER.search(text):  # translate() is slow on a long text: only when there is work
        text = text.translate(_CONTROL_CHARACTERS)
    return text


def _tidy(text: str) -> str:
    """NFC, "\\n" line breaks, no control characters, no white space at the end of a line, at most one blank line
    in a row and none at either end."""
    lines = unicodedata.normalize("NFC", _without_control_characters(text)).split("\n")
    kept: list[str] = []
    for line in lines:
        line = line.rstrip()
        if line or (kept and kept[-1]):
            kept.append(line)
    if kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept)


def _one_line(text: str) -> str:
    return " ".join(_tidy(text).split())[:MAX_TITLE_CHARACTERS].rstrip()


def _guess_title(contents: Contents, text: str) -> str:
    own_title = _one_line(contents.title)
    if own_title and own_title.casefold() not in _PLACEHOLDER_TITLES:
        return own_title
    for block in contents.blocks:
        if block.heading and (heading := _one_line(block.text)):
            return heading
    first_line = text.split("\n", 1)[0].strip()
    return _one_line(first_line) if len(first_line) <= MAX_TITLE_LINE else ""


def _take(blocks: Iterable[Block], max_characters: int) -> tuple[list[Block], bool]:
    """The blocks up to ``max_characters`` characters in all, the last one cut to fit; whether any were cut.
    Stops reading the iterable there, so a lazy reader reads no further."""
    taken: list[Block] = []
    room = max_characters
    for block in blocks:
        if len(block.text) > room:
            taken.append(Block(block.text[:room], block.heading))
            return taken, True
        taken.append(block)
        room -= len(block.text)
    return taken, False


def _truncated(cut: bool) -> tuple[str, ...]:
    return ("truncated",) if cut else ()


# --- dates -------------------------------------------------------------------------------------------------------

_MONTHS = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "marts": 3, "mar": 3, "april": 4, "apr": 4, "maj": 5,
    "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))  # the longest first: "marts" before "mar"
_WRITTEN_DATE = re.compile(
    r"(?<![0-9])(?:"
    r"(?P<iso_year>[0-9]{4})-(?P<iso_month>[0-9]{1,2})-(?P<iso_day>[0-9]{1,2})"
    rf"|(?P<day>[0-9]{{1,2}})\.?[ \u00a0]{{0,2}}(?P<month_name>{_MONTH_NAMES})(?![^\W\d_])\.?[ \u00a0]{{0,2}}"
    r"(?P<year>[0-9]{4})"
    r"|(?P<numeric_day>[0-9]{1,2})[./-](?P<numeric_month>[0-9]{1,2})[./-](?P<numeric_year>[0-9]{4})"
    r")(?![0-9])",
    re.IGNORECASE,
)


def _plausible(value: date | None) -> date | None:
    return value if value is not None and 1901 <= value.year <= 2100 else None


def _date_near_top(text: str) -> date | None:
    """The first valid date written in the first DATE_SEARCH_CHARACTERS characters."""
    for match in _WRITTEN_DATE.finditer(text, 0, DATE_SEARCH_CHARACTERS):
        if match["iso_year"]:
            parts = (match["iso_year"], match["iso_month"], match["iso_day"])
        elif match["month_name"]:
            parts = (match["year"], str(_MONTHS[match["month_name"].lower()]), match["day"])
        else:
            parts = (match["numeric_year"], match["numeric_month"], match["numeric_day"])
        try:
            written = date(*(int(part) for part in parts))
        except ValueError:  # 31 February
            continue
        if _plausible(written):
            return written
    return None


def _metadata_date(value: str | None) -> date | None:
    """The calendar day of a W3CDTF/ISO 8601 timestamp ("2020-11-24T10:03:00Z"), as written."""
    try:
        return _plausible(date.fromisoformat((value or "").strip()[:10]))
    except ValueError:
        return None


# --- plain text and HTML -----------------------------------------------------------------------------------------

_UTF16_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _decode(data: bytes, declared: str | None = None) -> tuple[str, tuple[str, ...]]:
    """By the byte-order mark; else by the charset an HTML page declares; else UTF-8; else Windows-1252 with a
    note. Bytes Windows-1252 leaves undefined become U+FFFD."""
    if data.startswith(_UTF16_MARKS):
        try:
            return data.decode("utf-16"), ()
        except UnicodeDecodeError as error:
            raise ExtractError("damaged", f"not UTF-16 despite its byte-order mark: {error.reason}") from error
    if declared and not data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode(declared, errors="replace"), ()
        except (LookupError, ValueError):  # a charset Python does not know, or one that is not for text
            pass
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), ("read_as_windows_1252",)


def _read_text(data: bytes, limits: Limits) -> Contents:
    text, notes = _decode(data)
    if not text.replace("\ufeff", "").strip():
        raise ExtractError("empty", "nothing but white space")
    if "\x00" in text:
        raise ExtractError("damaged", "NUL characters: not a text file (UTF-16 without a byte-order mark?)")
    blocks, cut = _take([Block(text)], limits.characters)
    return Contents(blocks, title=_markdown_heading(text), notes=(*notes, *_truncated(cut)))


def _markdown_heading(text: str) -> str:
    """The text of the first line if it is a Markdown heading ("# Title", "## Title ##")."""
    first_line = text.lstrip("\ufeff \t\r\n").split("\n", 1)[0]
    marks = len(first_line) - len(first_line.lstrip("#"))
    if not 1 <= marks <= 6 or not first_line[marks:marks + 1].isspace():
        return ""
    return first_line[marks:].strip().rstrip("#").strip()


# A charset declared in the first bytes: <meta charset="…">, <meta http-equiv=… content="…; charset=…"> or an XHTML
# page's <?xml … encoding="…"?>.
_DECLARED_CHARSET = re.compile(
    rb"(?:<meta[^>]{0,500}?charset|<\?xml[^>]{0,100}?encoding)[ \t\r\n]{0,5}=[ \t\r\n\"']{0,5}([a-z0-9_.:-]{1,40})",
    re.IGNORECASE)
_HTML_LEFT_OUT = ("script", "style", "nav", "noscript", "template", "head")
_HTML_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HTML_BLOCKS = _HTML_HEADINGS | frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "header", "hr", "li", "main", "ol", "p", "pre", "section", "summary",
    "table", "td", "th", "tr", "ul",
})
_HTML_SPACES = re.compile(r"[ \t\r\f]+")  # HTML's white space but the line feed, which is made a space first


def _read_html(data: bytes, limits: Limits) -> Contents:
    declared = _DECLARED_CHARSET.search(data, 0, 4096)
    markup, notes = _decode(data, _html_charset(declared[1].decode("ascii")) if declared else None)
    title, blocks = _html_blocks(markup)
    taken, cut = _take(blocks, limits.characters)
    return Contents(taken, title=title, notes=(*notes, *_truncated(cut)))


def _html_charset(label: str) -> str:
    # As browsers do (WHATWG Encoding): a page labelled Latin-1 or ASCII is read as Windows-1252.
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return label
    return "cp1252" if name in {"iso8859-1", "ascii"} else name


def _html_blocks(markup: str) -> tuple[str, list[Block]]:
    """The ``<title>`` and the text of the block elements of an HTML page, in order."""
    # The markup is handed over as UTF-8 with the encoding named, which overrides any declaration inside it.
    # huge_tree lifts libxml2's 10 MB limit on one text node (the input is capped) and nests 2,048 deep, not 256.
    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True,
                                  huge_tree=True)
    # libxml2 keeps control characters in the text, but lxml refuses them when the tree is changed below.
    markup = _without_control_characters(markup)
    try:
        root = lxml.html.document_fromstring(markup.encode("utf-8", "replace"), parser=parser)
    except etree.ParserError:  # no elements at all
        return "", []
    except (etree.LxmlError, ValueError) as error:
        raise ExtractError("damaged", f"HTML: {error}") from error
    # The parser mends bad markup with errors; a fatal error (nesting too deep) left the rest of the page out.
    fatal = next((entry for entry in parser.error_log if entry.level_name == "FATAL"), None)
    if fatal is not None:
        raise ExtractError("damaged", f"HTML: {fatal.message}")
    title = root.findtext(".//title") or ""
    for element in list(root.iter(*_HTML_LEFT_OUT)):
        element.drop_tree()  # keeps the text that follows the element
    blocks: list[Block] = []
    pieces: list[str] = []

    def end_block(heading: bool) -> None:
        if not pieces:
            return
        text = _HTML_SPACES.sub(" ", "".join(pieces))
        if "\n" in text:  # only from <br>: the line feeds in the markup were made spaces
            text = "\n".join(line.strip() for line in text.split("\n"))
        if text := text.strip():
            blocks.append(Block(text, heading))
        pieces.clear()

    # A walk without recursion, as the tree can be 2,048 deep.
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _HTML_BLOCKS:
                end_block(heading=False)
            if tag == "br":
                pieces.append("\n")
            if element.text:
                pieces.append(element.text.replace("\n", " "))
        else:
            if tag in _HTML_BLOCKS:
                end_block(heading=tag in _HTML_HEADINGS)
            if element.tail:
                pieces.append(element.tail.replace("\n", " "))
    end_block(heading=False)
    return title, blocks


# --- e-mail ------------------------------------------------------------------------------------------------------


def _read_eml(data: bytes, limits: Limits) -> Contents:
    """Subject, Date and the text/plain part, else the HTML part; attachments are never opened."""
    message = email.message_from_bytes(data, policy=email.policy.default)  # never fails: it notes defects
    if not message.keys():
        raise ExtractError("damaged", "no header: not an e-mail")
    try:
        subject = str(message.get("Subject") or "")
        sent = getattr(message.get("Date"), "datetime", None)
        body = message.get_body(preferencelist=("plain", "html"))
        has_attachments = any(True for _attachment in message.iter_attachments())
        content = _email_text(body) if isinstance(body, email.message.EmailMessage) else ""
        html = body is not None and body.get_content_subtype() == "html"
    # The header parser's errors can quote the header: the detail names the error only.
    except (email.errors.MessageError, ArithmeticError, AttributeError, LookupError, TypeError, ValueError) as error:
        raise ExtractError("damaged", f"e-mail: {type(error).__name__}") from error
    blocks = _html_blocks(content)[1] if html else [Block(content)]
    taken, cut = _take(blocks, limits.characters)
    notes = ("attachments_skipped",) if has_attachments else ()
    return Contents(taken, title=subject, sent=_plausible(sent.date()) if isinstance(sent, datetime) else None,
                    notes=(*notes, *_truncated(cut)))


def _email_text(part: email.message.EmailMessage) -> str:
    try:
        content = part.get_content()
    except LookupError:  # a charset Python does not know
        payload = part.get_payload(decode=True)
        return payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


# --- failures of the libraries ----------------------------------------------------------------------------------

# A broken file can make a parser fail in many ways; these are the ways of a file, not of a bug here (MemoryError
# and KeyboardInterrupt pass).
_MALFORMED = (ArithmeticError, AssertionError, AttributeError, EOFError, LookupError, NotImplementedError, OSError,
              RuntimeError, TypeError, ValueError, ParseError, struct.error, zlib.error, zipfile.BadZipFile,
              etree.LxmlError)


@contextmanager
def _reading(label: str, *library_errors: type[Exception]) -> Iterator[None]:
    """Any way the library fails on a malformed file is "damaged"; an ExtractError raised inside passes as it is."""
    try:
        yield
    except ExtractError:
        raise
    except (*library_errors, *_MALFORMED) as error:
        raise ExtractError("damaged", f"{label}: {type(error).__name__}: {error}"[:300]) from error


def _quietly(read: Callable[[], _T]) -> _T | None:
    """What ``read`` returns, or None when the file makes it fail: for metadata, which only feeds guesses."""
    try:
        return read()
    except (pypdf.errors.PyPdfError, *_MALFORMED):
        return None


# --- PDF ---------------------------------------------------------------------------------------------------------

# Acrobat's printer driver writes "Microsoft Word - <file name>" as the title: a file name, not a title.
_PRINTED_FILE_NAME = "Microsoft Word - "


def _read_pdf(data: bytes, limits: Limits) -> Contents:
    with _reading("PDF", pypdf.errors.PyPdfError):
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _opens_without_password(reader):
            raise ExtractError("encrypted", "the PDF needs a password to open")
        pages = len(reader.pages)
        blocks, cut = _take((Block(page.extract_text()) for page in reader.pages), limits.characters)
        title, created, modified = _pdf_metadata(reader)
    return Contents(blocks, title="" if title.startswith(_PRINTED_FILE_NAME) else title, created=created,
                    modified=modified, pages=pages, notes=_truncated(cut))


def _opens_without_password(reader: pypdf.PdfReader) -> bool:
    try:
        return reader.decrypt("") != pypdf.PasswordType.NOT_DECRYPTED
    except pypdf.errors.DependencyError:  # AES without the cryptography package: cannot tell
        return False


def _pdf_metadata(reader: pypdf.PdfReader) -> tuple[str, date | None, date | None]:
    metadata = _quietly(lambda: reader.metadata)
    if metadata is None:
        return "", None, None
    created = _quietly(lambda: metadata.creation_date)
    modified = _quietly(lambda: metadata.modification_date)
    return (str(_quietly(lambda: metadata.title) or ""), _plausible(created.date()) if created else None,
            _plausible(modified.date()) if modified else None)


# --- zip formats: Office Open XML and OpenDocument ----------------------------------------------------------------

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # the stream name in the OLE directory
_DC_NS = "http://purl.org/dc/elements/1.1/"
_DCTERMS_NS = "http://purl.org/dc/terms/"


def _unpack(data: bytes, limits: Limits) -> dict[str, bytes]:
    if data.startswith(_OLE_SIGNATURE):
        # Office keeps a password-protected .docx/.xlsx/.pptx in an OLE container; without the stream it is most
        # likely an old .doc/.xls/.ppt given the new name.
        if _ENCRYPTED_PACKAGE in data:
            raise ExtractError("encrypted", "an Office file protected by a password")
        raise ExtractError("damaged", "an OLE file (old binary Office format?), not a zip")
    try:
        return read_members(data, max_members=limits.members, max_bytes=limits.unpacked_bytes)
    except ZipTooLarge as error:
        raise ExtractError("too_large", str(error)) from error
    # read_members lets two of zipfile's failures through: NotImplementedError (an unknown zip version) on opening
    # and ValueError (a negative seek) on reading.
    except (NotAZip, ZipDamaged, NotImplementedError, ValueError) as error:
        raise ExtractError("damaged", f"zip: {error}") from error


def _refuse_document_types(members: dict[str, bytes]) -> None:
    """Every XML part is well-formed and has no document type declaration, before a library parses it. expat runs
    with no handlers but the refusal, the check defusedxml makes, without building a tree of a 100 MB sheet."""

    def refuse(*_declaration: object) -> None:
        raise UnsafeXml("an XML document type declaration (DTD)")

    for name, content in members.items():
        if name.endswith((".xml", ".rels")):
            parser = expat.ParserCreate()
            parser.StartDoctypeDeclHandler = refuse
            try:
                parser.Parse(content, True)
            except (expat.ExpatError, LookupError) as error:  # LookupError: an encoding Python does not know
                raise ExtractError("damaged", f"{name}: {error}") from error


def _ooxml_properties(members: dict[str, bytes]) -> tuple[str, date | None, date | None]:
    """Title, created and modified from docProps/core.xml, where every Office writer puts the core properties.
    Read directly: python-docx and python-pptx make up defaults ("Word Document", now) when the part is missing."""
    core = _parse_metadata(members.get("docProps/core.xml"))
    if core is None:
        return "", None, None
    return (core.findtext(f"{{{_DC_NS}}}title") or "", _metadata_date(core.findtext(f"{{{_DCTERMS_NS}}}created")),
            _metadata_date(core.findtext(f"{{{_DCTERMS_NS}}}modified")))


def _parse_metadata(content: bytes | None) -> Element | None:
    """A metadata part, or None when it is missing or unreadable: metadata only feeds guesses."""
    if content is None:
        return None
    try:
        return SafeET.fromstring(content, forbid_dtd=True)
    except (DefusedXmlException, ParseError, LookupError):
        return None


# --- Word --------------------------------------------------------------------------------------------------------

_WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# python-docx leaves out the text inside tracked insertions and moves and inside content controls.
_DOCX_SKIPPED = tuple(f"{{{_WORD_NS}}}{tag}" for tag in ("ins", "moveTo", "sdt"))


def read_docx(data: bytes, limits: Limits = LIMITS) -> Contents:
    """The body's paragraphs in order, those in table cells included (a merged cell once); a line break inside a
    paragraph is "\\n". Empty paragraphs are kept. Headings are paragraphs in Word's Title and Heading styles."""
    members = _unpack(data, limits)
    _refuse_document_types(members)
    with _reading("Word", docx.opc.exceptions.OpcError):
        document = docx.Document(io.BytesIO(data))
        # Word stores the English names of built-in styles whatever its language ("heading 1", shown as
        # "Overskrift 1"); python-docx gives them as "Heading 1".
        headings = {style.style_id for style in document.styles
                    if style.type == WD_STYLE_TYPE.PARAGRAPH and (style.name or "").startswith(("Heading", "Title"))}
        blocks, cut = _take(_docx_blocks(document.iter_inner_content(), headings), limits.characters)
        left_out = next(document.element.iter(*_DOCX_SKIPPED), None) is not None
    title, created, modified = _ooxml_properties(members)
    notes = ("text_left_out",) if left_out else ()
    return Contents(blocks, title=title, created=created, modified=modified, notes=(*notes, *_truncated(cut)))


def _docx_blocks(blocks: Iterator[Paragraph | Table], headings: set[str]) -> Iterator[Block]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield Block(block.text, block._p.style in headings)
            continue
        # A merged cell appears once for every grid column and row it spans; its text is read once. The set holds
        # the cell elements themselves (not their id()): lxml makes a new proxy object when an old one is gone.
        seen: set[object] = set()
        for row in block.rows:
            for cell in row.cells:
                if cell._tc not in seen:
                    seen.add(cell._tc)
                    yield from _docx_blocks(cell.iter_inner_content(), headings)


# --- OpenDocument text ----------------------------------------------------------------------------------------------

_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_DRAW_NS = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_META_NS = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"


def read_odt(data: bytes, limits: Limits = LIMITS) -> Contents:
    """The paragraphs and headings of the text body in document order (lists, tables and sections included);
    comments, footnotes, drawings and tracked deletions left out; a ``text:line-break`` is "\\n"."""
    members = _unpack(data, limits)
    if members.get("mimetype", _ODT_MIMETYPE).strip() != _ODT_MIMETYPE or "content.xml" not in members:
        raise ExtractError("damaged", "not an OpenDocument text")
    if b"encryption-data" in members.get("META-INF/manifest.xml", b""):  # the manifest's mark of an encrypted part
        raise ExtractError("encrypted", "an OpenDocument file protected by a password")
    try:
        root = SafeET.fromstring(members["content.xml"], forbid_dtd=True)
    except DefusedXmlException as error:
        raise UnsafeXml(f"content.xml: {type(error).__name__}") from error
    except (ParseError, LookupError) as error:
        raise ExtractError("damaged", f"content.xml: {error}") from error
    body = root.find(f"{{{_OFFICE_NS}}}body/{{{_OFFICE_NS}}}text")
    if body is None:
        raise ExtractError("damaged", "content.xml has no text body")
    paragraphs = _OdtParagraphs(limits.characters)
    try:
        paragraphs.add_blocks(body)
    except _TextLimitReached:
        pass
    except RecursionError as error:  # elements nested hundreds deep: no word processor writes that
        raise ExtractError("damaged", "content.xml nested too deep") from error
    meta = _parse_metadata(members.get("meta.xml"))
    if meta is None:
        return Contents(paragraphs.blocks, notes=_truncated(paragraphs.cut))
    return Contents(paragraphs.blocks, title=meta.findtext(f"{{{_OFFICE_NS}}}meta/{{{_DC_NS}}}title") or "",
                    created=_metadata_date(meta.findtext(f"{{{_OFFICE_NS}}}meta/{{{_META_NS}}}creation-date")),
                    modified=_metadata_date(meta.findtext(f"{{{_OFFICE_NS}}}meta/{{{_DC_NS}}}date")),
                    notes=_truncated(paragraphs.cut))


class _TextLimitReached(Exception):
    pass


class _OdtParagraphs:
    """Collects paragraphs with ODF's white-space rule (ODF 1.2 part 1, 6.1.2): spaces, tabs and line feeds in the
    XML collapse to one space and are dropped at a paragraph's start and end; ``text:s``, ``text:tab`` and
    ``text:line-break`` are real characters. Counts characters as it goes: one ``<text:s text:c="…"/>`` can ask for
    billions of spaces. Past the limit it stops with ``cut`` set, leaving out the paragraph that crossed it."""

    _PARAGRAPHS = frozenset({f"{{{_TEXT_NS}}}p", f"{{{_TEXT_NS}}}h"})
    _COLLAPSIBLE = re.compile(r"[ \t\r\n]+")

    def __init__(self, max_characters: int) -> None:
        self.blocks: list[Block] = []
        self.cut = False
        self._room = max_characters
        self._pieces: list[str] = []
        self._after_collapsible_space = True

    def add_blocks(self, element: Element) -> None:
        for child in element:
            if child.tag in self._PARAGRAPHS:
                self._add_paragraph(child)
            elif not _odt_left_out(child):
                self.add_blocks(child)

    def _add_paragraph(self, paragraph: Element) -> None:
        self._pieces = []
        self._after_collapsible_space = True
        self._add_inline(paragraph)
        if self._after_collapsible_space and self._pieces and self._pieces[-1].endswith(" "):
            self._pieces[-1] = self._pieces[-1][:-1]
        self.blocks.append(Block("".join(self._pieces), heading=paragraph.tag == f"{{{_TEXT_NS}}}h"))

    def _add_inline(self, element: Element) -> None:
        self._add_character_data(element.text)
        for child in element:
            if child.tag == f"{{{_TEXT_NS}}}s":
                self._add_literal(" " * self._space_count(child))
            elif child.tag == f"{{{_TEXT_NS}}}tab":
                self._add_literal("\t")
            elif child.tag == f"{{{_TEXT_NS}}}line-break":
                self._add_literal("\n")
            elif not _odt_left_out(child):
                self._add_inline(child)
            self._add_character_data(child.tail)

    def _add_character_data(self, data: str | None) -> None:
        if not data:
            return
        collapsed = self._COLLAPSIBLE.sub(" ", data)
        if self._after_collapsible_space and collapsed.startswith(" "):
            collapsed = collapsed[1:]
        if collapsed:
            self._append(collapsed)
            self._after_collapsible_space = collapsed.endswith(" ")

    def _add_literal(self, characters: str) -> None:
        self._append(characters)
        self._after_collapsible_space = False

    def _append(self, piece: str) -> None:
        self._room -= len(piece)
        if self._room < 0:
            self.cut = True
            raise _TextLimitReached
        self._pieces.append(piece)

    def _space_count(self, element: Element) -> int:
        """text:c, at least 1 and never more than the room left plus one (the spaces are not made to be counted)."""
        try:
            return min(max(1, int(element.get(f"{{{_TEXT_NS}}}c", "1"))), self._room + 1)
        except ValueError:
            return 1


_ODT_LEFT_OUT = frozenset({f"{{{_OFFICE_NS}}}annotation", f"{{{_TEXT_NS}}}note", f"{{{_TEXT_NS}}}tracked-changes",
                           f"{{{_TEXT_NS}}}ruby-text"})


def _odt_left_out(element: Element) -> bool:
    """Comments, footnotes, deleted text kept for change tracking, ruby annotations and drawings (text boxes)."""
    return element.tag in _ODT_LEFT_OUT or element.tag.startswith(f"{{{_DRAW_NS}}}")


# --- PowerPoint ----------------------------------------------------------------------------------------------------

_TITLE_PLACEHOLDERS = frozenset({PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE})


def _read_pptx(data: bytes, limits: Limits) -> Contents:
    """Slide by slide, the text of each shape (inside groups too) in the slide's order; a table as tab-separated
    lines. Speaker notes are not read."""
    members = _unpack(data, limits)
    _refuse_document_types(members)
    with _reading("PowerPoint", pptx.exc.PythonPptxError):
        slides = list(pptx.Presentation(io.BytesIO(data)).slides)
        blocks, cut = _take((block for slide in slides for block in _shape_blocks(slide.shapes)), limits.characters)
    title, created, modified = _ooxml_properties(members)
    return Contents(blocks, title=title, created=created, modified=modified, pages=len(slides), notes=_truncated(cut))


def _shape_blocks(shapes: Iterable[BaseShape]) -> Iterator[Block]:
    for shape in shapes:
        if isinstance(shape, GroupShape):
            yield from _shape_blocks(shape.shapes)
        elif isinstance(shape, Shape) and shape.has_text_frame:
            heading = shape.is_placeholder and shape.placeholder_format.type in _TITLE_PLACEHOLDERS
            yield Block(shape.text_frame.text, heading)
        elif isinstance(shape, GraphicFrame) and shape.has_table:
            yield Block("\n".join("\t".join(" ".join(cell.text.split()) for cell in row.cells if not cell.is_spanned)
                                  for row in shape.table.rows))


# --- Excel ---------------------------------------------------------------------------------------------------------


def _read_xlsx(data: bytes, limits: Limits) -> Contents:
    """Every worksheet's cell values (formulas as last computed) as tab-separated lines, empty rows left out."""
    members = _unpack(data, limits)
    _refuse_document_types(members)
    with _reading("Excel", InvalidFileException), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns of features it drops (data validation, styles)
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheets = len(workbook.sheetnames)
            blocks, cut = _sheet_blocks(workbook, limits.characters)
        finally:
            workbook.close()
    title, created, modified = _ooxml_properties(members)
    return Contents(blocks, title=title, created=created, modified=modified, pages=sheets, notes=_truncated(cut))


def _sheet_blocks(workbook: openpyxl.Workbook, max_characters: int) -> tuple[list[Block], bool]:
    """One block per sheet; stops after MAX_CELLS cells or max_characters characters (cut is then True)."""
    blocks: list[Block] = []
    cells_left, room = MAX_CELLS, max_characters
    for sheet in workbook.worksheets:
        # A sheet's stated dimension can be A1:XFD1048576; without it a row is only as wide as its last cell.
        sheet.reset_dimensions()
        lines: list[str] = []
        for row in sheet.iter_rows(values_only=True):
            cells_left -= max(1, len(row))
            if cells_left < 0 or room < 0:
                blocks.append(Block("\n".join(lines)))
                return blocks, True
            cells = [_cell_text(value) for value in row]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                lines.append("\t".join(cells))
                room -= len(lines[-1]) + 1
        blocks.append(Block("\n".join(lines)))
    return blocks, False


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return " ".join(str(value).split())  # a line break or tab inside a cell would break the row's line


_READERS: dict[str, Callable[[bytes, Limits], Contents]] = {
    "pdf": _read_pdf,
    "docx": read_docx,
    "odt": read_odt,
    "pptx": _read_pptx,
    "xlsx": _read_xlsx,
    "html": _read_html,
    "text": _read_text,
    "eml": _read_eml,
}
