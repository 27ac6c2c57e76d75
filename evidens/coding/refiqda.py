"""REFI-QDA exchange: read and write projects (``.qdpx``) and codebooks (``.qdc``) as plain dataclasses.

    read_qdpx(data) -> Project        write_qdpx(project) -> bytes
    read_qdc(data)  -> list[Code]     write_qdc(codes)    -> bytes

A ``.qdpx`` is a zip with ``project.qde`` (namespace ``urn:QDA-XML:project:1.0``, schema Project-mrt2019.xsd) and the
sources' plain text under ``sources/``; a ``.qdc`` is the codebook alone (``urn:QDA-XML:codebook:1.0``).

**Offsets.** The standard counts selection positions in Unicode code points. Real exports do not always: NVivo for
Windows counts UTF-16 code units (an emoji outside the BMP is 2) with CRLF as 2 and the byte-order mark not counted.
Nothing in the file says which convention it used, so every candidate convention is tried on every selection and
scored by how many selections start and end on a word boundary — coders select words, so the right convention fits
nearly all of them and a wrong one drifts off them after the first emoji or line break. Ties go to the standard.
Every position is then converted to code points in the NFC text with line breaks normalised to ``\\n``, which is what
``Source.text`` holds and what ``write_qdpx`` writes.

Elements the model has no place for (memos, cases, variables, sets, graphs, links, non-text sources) are left out
and the import notes say so. Parsing goes through defusedxml (no entities, no external references); zip members are
read with a cap on their number and on the uncompressed total, so a zip bomb stops with a RefiError.
"""

from __future__ import annotations

import bisect
import functools
import io
import itertools
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET  # writing only; parsing goes through defusedxml

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evidens.text.ziparchive import NotAZip, ZipDamaged, ZipTooLarge, read_members

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 10_000
ORIGIN = "Evidens"

_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_COLOUR = re.compile(r"#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")
_GUID_NAMESPACE = uuid.UUID("6f3c1f4e-8a57-4a53-9d4c-2f0e5b7a9c11")
_IGNORED_PROJECT_PARTS = ("Variables", "Cases", "Notes", "Links", "Sets", "Graphs")


class RefiError(ValueError):
    """A file that cannot be read as REFI-QDA; the message is for the user."""


@dataclass(frozen=True)
class Code:
    guid: str
    name: str
    description: str = ""
    colour: str = ""
    parent: str | None = None


@dataclass(frozen=True)
class Coding:
    """One code on one span of a source: code points in the NFC, LF-normalised text, ``end`` exclusive."""

    source: str
    start: int
    end: int
    code: str
    coder: str = ""


@dataclass(frozen=True)
class Source:
    guid: str
    name: str
    text: str


@dataclass
class Project:
    codes: list[Code] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    codings: list[Coding] = field(default_factory=list)
    users: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# --- reading -----------------------------------------------------------------------------------------------------


def read_qdc(data: bytes) -> list[Code]:
    root = _parse_xml(data)
    if _local(root.tag) != "CodeBook":
        raise RefiError(_("The file is not a REFI-QDA codebook (.qdc)."))
    return _codes_of(root)


def read_qdpx(data: bytes) -> Project:
    members = _unzip(data)
    qde_name = next((name for name in members if name.lower() == "project.qde"), None)
    if qde_name is None:
        raise RefiError(_("The file has no project.qde; it is not a REFI-QDA project (.qdpx)."))
    root = _parse_xml(members[qde_name])
    if _local(root.tag) != "Project":
        raise RefiError(_("project.qde does not hold a REFI-QDA project."))

    project = Project(codes=_codes_of(root))
    project.users = {user.get("guid", ""): user.get("name") or user.get("id") or "" for user in _find_all(root, "User")}
    code_guids = {code.guid for code in project.codes}
    raw_texts: dict[str, str] = {}
    selections: list[_Selection] = []
    dropped_codings = 0
    sources_element = _child(root, "Sources")
    for element in list(sources_element) if sources_element is not None else []:
        if _local(element.tag) != "TextSource":
            continue
        guid = element.get("guid", "")
        raw = _source_text(element, members)
        if raw is None:
            project.notes.append(_("Source “%(name)s” was left out: its text is not in the file.")
                                 % {"name": _source_name(element)})
            continue
        raw_texts[guid] = raw
        project.sources.append(Source(guid=guid, name=_source_name(element), text=""))
        for child in element:
            if _local(child.tag) == "PlainTextSelection":
                start, end = _position(child, "startPosition"), _position(child, "endPosition")
                for coding in _children(child, "Coding"):
                    code = _code_ref(coding)
                    if code not in code_guids:
                        dropped_codings += 1
                        continue
                    coder = coding.get("creatingUser") or child.get("creatingUser") or ""
                    selections.append(_Selection(guid, child.get("guid", ""), start, end, code, coder))
            elif _local(child.tag) == "Coding":
                code = _code_ref(child)
                if code in code_guids:
                    selections.append(_Selection(guid, "", 0, None, code, child.get("creatingUser") or ""))
                else:
                    dropped_codings += 1

    texts = {guid: _SegmentedText(raw) for guid, raw in raw_texts.items()}
    convention, fitting = _detect_convention(texts, selections)
    maps = {guid: _OffsetMap(text, convention) for guid, text in texts.items()}
    project.sources = [Source(guid=s.guid, name=s.name, text=texts[s.guid].text) for s in project.sources]
    empty = 0
    for selection in selections:
        offset_map = maps[selection.source]
        start = offset_map.convert(selection.start)
        end = offset_map.convert(offset_map.units if selection.end is None else selection.end)
        if start >= end:
            empty += 1
            continue
        project.codings.append(Coding(source=selection.source, start=start, end=end, code=selection.code,
                                      coder=project.users.get(selection.coder) or selection.coder))
    if selections:
        project.notes.append(_("Positions counted as %(convention)s (%(fitting)d of %(total)d codings start and "
                               "end on a word boundary); %(total)d codings converted to Unicode code points.")
                             % {"convention": convention.label(), "fitting": fitting, "total": len(selections)})
    if empty:
        project.notes.append(ngettext("%(count)d coding was left out: it selects no text.",
                                      "%(count)d codings were left out: they select no text.", empty)
                             % {"count": empty})
    if dropped_codings:
        project.notes.append(ngettext("%(count)d coding was left out: its code is not in the codebook.",
                                      "%(count)d codings were left out: their code is not in the codebook.",
                                      dropped_codings) % {"count": dropped_codings})
    other_sources = sum(1 for e in (sources_element if sources_element is not None else [])
                        if _local(e.tag) != "TextSource")
    if other_sources:
        project.notes.append(ngettext("%(count)d source that is not text (PDF, picture, audio, video) was left out.",
                                      "%(count)d sources that are not text (PDF, picture, audio, video) were left out.",
                                      other_sources) % {"count": other_sources})
    ignored = [part for part in _IGNORED_PROJECT_PARTS if _child(root, part) is not None]
    if ignored:
        project.notes.append(_("Not imported: %(parts)s.") % {"parts": ", ".join(ignored)})
    return project


@dataclass(frozen=True)
class _Selection:
    source: str
    guid: str
    start: int
    end: int | None  # None: the whole source
    code: str
    coder: str


def _unzip(data: bytes) -> dict[str, bytes]:
    try:
        return read_members(data, max_members=MAX_MEMBERS, max_bytes=MAX_UNCOMPRESSED_BYTES)
    except NotAZip as error:
        raise RefiError(_("The file is not a REFI-QDA project (.qdpx): it is not a zip archive.")) from error
    except ZipTooLarge as error:
        raise RefiError(_("The project is too large to import unpacked (at most %(megabytes)d MB).")
                        % {"megabytes": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)}) from error
    except ZipDamaged as error:
        raise RefiError(_("The zip archive is damaged: %(error)s") % {"error": error}) from error


def _parse_xml(data: bytes) -> ET.Element:
    try:
        return SafeET.fromstring(data)
    except DefusedXmlException as error:
        raise RefiError(_("The XML uses entities or external references, which are not allowed.")) from error
    except ET.ParseError as error:
        raise RefiError(_("The XML cannot be read: %(error)s") % {"error": error}) from error


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _children(element: ET.Element, name: str) -> Iterator[ET.Element]:
    return (child for child in element if _local(child.tag) == name)


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next(_children(element, name), None)


def _find_all(element: ET.Element, name: str) -> Iterator[ET.Element]:
    return (e for e in element.iter() if _local(e.tag) == name)


def _codes_of(root: ET.Element) -> list[Code]:
    codebook = root if _local(root.tag) == "CodeBook" else _child(root, "CodeBook")
    codes_element = _child(codebook, "Codes") if codebook is not None else None
    codes: list[Code] = []

    def walk(element: ET.Element, parent: str | None) -> None:
        for code_element in _children(element, "Code"):
            guid = code_element.get("guid", "")
            description = _child(code_element, "Description")
            colour = code_element.get("color", "")
            codes.append(Code(guid=guid, name=code_element.get("name", ""),
                              description=(description.text or "") if description is not None else "",
                              colour=colour if _COLOUR.fullmatch(colour) else "", parent=parent))
            walk(code_element, guid)

    if codes_element is not None:
        walk(codes_element, None)
    return codes


def _source_name(element: ET.Element) -> str:
    path = element.get("plainTextPath") or ""
    return element.get("name") or path.rpartition("/")[2] or element.get("guid") or ""


def _source_text(element: ET.Element, members: dict[str, bytes]) -> str | None:
    content = _child(element, "PlainTextContent")
    if content is not None:
        return content.text or ""
    path = element.get("plainTextPath")
    if not path:
        return None
    # internal://x.txt is the standard; qc writes the bare name; folders come as Sources/ or sources/.
    relative = path.removeprefix("internal://").lstrip("/").lower()
    by_lower_name = {name.lower(): name for name in members}
    name = by_lower_name.get("sources/" + relative) or by_lower_name.get(relative)
    return _decode(members[name]) if name is not None else None


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-16" if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig")
    except UnicodeDecodeError as error:
        raise RefiError(_("A source's text is neither UTF-8 nor UTF-16.")) from error


def _position(element: ET.Element, attribute: str) -> int:
    try:
        return int(element.get(attribute, ""))
    except ValueError as error:
        raise RefiError(_("A selection has no valid %(attribute)s.") % {"attribute": attribute}) from error


def _code_ref(coding: ET.Element) -> str:
    reference = _child(coding, "CodeRef")
    return reference.get("targetGUID", "") if reference is not None else ""


# --- offsets -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Convention:
    utf16: bool
    crlf_as_two: bool

    def label(self) -> str:
        if self.utf16:
            return _("UTF-16 code units, CRLF as 2") if self.crlf_as_two else _("UTF-16 code units, CRLF as 1")
        return _("Unicode code points, CRLF as 2") if self.crlf_as_two else _("Unicode code points (the standard)")


# The standard first: it wins ties.
_CONVENTIONS = (_Convention(utf16=False, crlf_as_two=False), _Convention(utf16=False, crlf_as_two=True),
                _Convention(utf16=True, crlf_as_two=True), _Convention(utf16=True, crlf_as_two=False))


class _SegmentedText:
    """A source's raw text cut into pieces that map as a whole: CRLF or CR, and a character with its combining marks.

    Cutting between pieces is safe for NFC, since nothing composes across a starter that no mark or jamo follows.
    """

    def __init__(self, raw: str) -> None:
        self.segments: list[str] = _segment_pattern().findall(raw)
        normalised = ["\n" if s in ("\r\n", "\r") else s if s.isascii() else unicodedata.normalize("NFC", s)
                      for s in self.segments]
        self.text = "".join(normalised)
        self.starts = [0, *itertools.accumulate(len(s) for s in normalised)]  # in the new text


class _OffsetMap:
    """Positions of one convention in the raw text → code points in the NFC, LF-normalised text."""

    def __init__(self, source: _SegmentedText, convention: _Convention) -> None:
        self.source = source
        units = [(1 + (s > "\uffff") if len(s) == 1 else len(s.encode("utf-16-le")) // 2) if convention.utf16
                 else len(s) for s in source.segments]
        if not convention.crlf_as_two:
            units = [1 if s == "\r\n" else n for s, n in zip(source.segments, units, strict=True)]
        self._unit_starts = [0, *itertools.accumulate(units)]
        self.units = self._unit_starts[-1]

    def fits(self, position: int) -> bool:
        return 0 <= position <= self.units

    def convert(self, position: int) -> int:
        # A position inside a piece (between CR and LF, inside a surrogate pair) falls back to the piece's start.
        return self.source.starts[bisect.bisect_right(self._unit_starts, position) - 1]


@functools.cache
def _segment_pattern() -> re.Pattern[str]:
    joining = "".join(re.escape(chr(first)) if first == last else f"{re.escape(chr(first))}-{re.escape(chr(last))}"
                      for first, last in _ranges(_joining_code_points()))
    return re.compile(f"\r\n|\r|[^{joining}][{joining}]*|[{joining}]+", re.DOTALL)


def _joining_code_points() -> list[int]:
    """Characters NFC may join to the one before: combining marks, Hangul jamo, second halves of compositions."""
    joining = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    for code in range(0x110000):
        if unicodedata.combining(chr(code)):
            joining.add(code)
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            joining.add(int(parts[1], 16))
    return sorted(joining)


def _ranges(codes: list[int]) -> Iterator[tuple[int, int]]:
    """Sorted code points as runs (first, last)."""
    for _key, run in itertools.groupby(enumerate(codes), lambda pair: pair[1] - pair[0]):
        values = [code for _index, code in run]
        yield values[0], values[-1]


def _is_word_boundary(text: str, position: int) -> bool:
    if position <= 0 or position >= len(text):
        return True
    return not (_is_word_char(text[position - 1]) and _is_word_char(text[position]))


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _detect_convention(texts: dict[str, _SegmentedText], selections: list[_Selection]) -> tuple[_Convention, int]:
    """The convention under which most selections start and end on word boundaries, and that count."""
    best: tuple[_Convention, int] | None = None
    for convention in _CONVENTIONS:
        maps = {guid: _OffsetMap(text, convention) for guid, text in texts.items()}
        score = 0
        for selection in selections:
            offset_map = maps[selection.source]
            end = offset_map.units if selection.end is None else selection.end
            if not (offset_map.fits(selection.start) and offset_map.fits(end) and selection.start <= end):
                break
            start_index, end_index = offset_map.convert(selection.start), offset_map.convert(end)
            text = offset_map.source.text
            score += _is_word_boundary(text, start_index) and _is_word_boundary(text, end_index)
        else:
            if best is None or score > best[1]:
                best = (convention, score)
    if best is None:
        raise RefiError(_("A selection lies outside the text of its source, whichever way positions are counted."))
    return best


# --- writing -----------------------------------------------------------------------------------------------------


def write_qdc(codes: Sequence[Code]) -> bytes:
    if not codes:
        raise RefiError(_("A codebook needs at least one code."))
    root = ET.Element("CodeBook", xmlns=CODEBOOK_NS, origin=ORIGIN)
    _append_codes(root, codes)
    return _xml_bytes(root)


def write_qdpx(project: Project) -> bytes:
    root = ET.Element("Project", xmlns=PROJECT_NS, name=ORIGIN, origin=ORIGIN)
    users = {_guid(guid): name for guid, name in project.users.items()}
    guid_by_name = {name: guid for guid, name in users.items()}

    def user_guid(coder: str) -> str:
        guid = guid_by_name.get(coder) or _guid(coder)
        users.setdefault(guid, coder)
        return guid

    coder_guids = {coding.coder: user_guid(coding.coder) for coding in project.codings if coding.coder}
    if project.codes:
        _append_codes(ET.SubElement(root, "CodeBook"), project.codes)
    files: dict[str, bytes] = {}
    if project.sources:
        sources_element = ET.SubElement(root, "Sources")
        for source in project.sources:
            guid = _guid(source.guid)
            files[f"sources/{guid}.txt"] = source.text.encode("utf-8")
            source_element = ET.SubElement(sources_element, "TextSource", guid=guid, name=source.name,
                                           plainTextPath=f"internal://{guid}.txt")
            spans: dict[tuple[int, int], list[Coding]] = {}
            for coding in project.codings:
                if coding.source == source.guid:
                    spans.setdefault((coding.start, coding.end), []).append(coding)
            for (start, end), codings in sorted(spans.items()):
                selection = ET.SubElement(source_element, "PlainTextSelection",
                                          guid=_guid(f"{guid}:{start}:{end}"),
                                          startPosition=str(start), endPosition=str(end))
                for coding in codings:
                    attributes = {"guid": _guid(f"{guid}:{start}:{end}:{coding.code}:{coding.coder}")}
                    if coding.coder:
                        attributes["creatingUser"] = coder_guids[coding.coder]
                    coding_element = ET.SubElement(selection, "Coding", attributes)
                    ET.SubElement(coding_element, "CodeRef", targetGUID=_guid(coding.code))
    if users:
        users_element = ET.Element("Users")
        for guid, name in users.items():
            ET.SubElement(users_element, "User", guid=guid, name=name)
        root.insert(0, users_element)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", _xml_bytes(root))
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _guid(value: str) -> str:
    """The value itself when it is a GUID, otherwise a GUID derived from it, so references stay consistent."""
    return value if _GUID.fullmatch(value) else str(uuid.uuid5(_GUID_NAMESPACE, value))


def _append_codes(parent_element: ET.Element, codes: Sequence[Code]) -> None:
    known = {code.guid for code in codes}
    children: dict[str | None, list[Code]] = {}
    for code in codes:
        children.setdefault(code.parent if code.parent in known else None, []).append(code)
    codes_element = ET.SubElement(parent_element, "Codes")
    written: set[str] = set()

    def append(element: ET.Element, code: Code) -> None:
        written.add(code.guid)
        attributes = {"guid": _guid(code.guid), "name": code.name, "isCodable": "true"}
        if _COLOUR.fullmatch(code.colour):
            attributes["color"] = code.colour
        code_element = ET.SubElement(element, "Code", attributes)
        if code.description:
            ET.SubElement(code_element, "Description").text = code.description
        for child in children.get(code.guid, []):
            if child.guid not in written:
                append(code_element, child)

    for code in children.get(None, []):
        append(codes_element, code)
    for code in codes:  # codes in a parent cycle have no root: write them at the top
        if code.guid not in written:
            append(codes_element, code)


def _xml_bytes(root: ET.Element) -> bytes:
    # Unqualified tags under a literal xmlns: ElementTree's default_namespace refuses unqualified attributes.
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
