"""An interview transcript as one normalised text with its speaker turns.

    read_transcript(data, filename) -> Transcript      .txt, .md, .docx, .odt
    normalise(text) -> (text, notes)                   NFC, no byte-order mark, line breaks "\\n", no trailing spaces
    split_turns(text) -> list[Turn]                    "Speaker: what they said" lines

Every position is in Unicode code points into the normalised text, the convention REFI-QDA and ``coding`` use.

**Speaker turns.** A turn starts on a line ``Speaker: utterance``. The label before the colon is 1–40 characters,
starts with a letter, has at most four words and only letters, digits, spaces and ``- ' ’ ( ) / &`` — so no
sentence punctuation. The colon is followed by a space or ends the line. Such a line is still ambiguous: "Altså: det
var ..." looks just like "Mette: det var ...". A label is therefore taken as a speaker only when it opens at least
two lines of the text (an interview has each speaker more than once), or when it is a participant code such as
``I07``, ``IP3`` or ``R2`` (one to three letters and one to three digits), alone or in parentheses at its end
(``Afdelingsformand (I09)``). Labels are compared ignoring case and repeated spaces. Lines after a turn's first line
belong to it until the next turn; text before the first turn belongs to no turn. A turn covers the utterance only,
without the label and without whitespace at either end; a speaker line with nothing after it is a turn of length 0.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evidens.text.extract import Contents, ExtractError, Limits, UnsafeXml, read_docx, read_odt

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_CHARACTERS = 5_000_000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # a .docx or .odt: its XML and pictures unpacked
MAX_MEMBERS = 1_000
MAX_SPEAKER_LENGTH = 40
MAX_SPEAKER_WORDS = 4
_LIMITS = Limits(members=MAX_MEMBERS, unpacked_bytes=MAX_UNPACKED_BYTES, characters=MAX_CHARACTERS)

# The label is bounded (40 characters, at most 3 spaces before the colon) so a long line costs little to reject.
_SPEAKER_LINE = re.compile(
    rf"^[ \t]*(?P<speaker>[^\W\d_](?:[^\W_]|[ \-'’()/&]){{0,{MAX_SPEAKER_LENGTH - 1}}}?)[ \t]{{0,3}}:(?=[ \t]|$)",
    re.MULTILINE,
)
_PARTICIPANT_CODE = re.compile(r"[^\W\d_]{1,3}\d{1,3}|.*\([^\W\d_]{1,3}\d{1,3}\)")
_TRAILING_WHITESPACE = re.compile(r"[^\S\n]+$", re.MULTILINE)
_BYTE_ORDER_MARK = "\ufeff"
_UTF16_NAMES = {"utf-16-le": "UTF-16 LE", "utf-16-be": "UTF-16 BE"}


@dataclass(frozen=True, slots=True)
class Turn:
    speaker: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Transcript:
    text: str
    turns: list[Turn]
    notes: list[str]


class TranscriptError(ValueError):
    """A file that cannot be read as a transcript; the message is for the user."""


def read_transcript(data: bytes, filename: str) -> Transcript:
    """The file's text (by its extension), normalised, with its turns and a note on everything done to it."""
    if len(data) > MAX_FILE_BYTES:
        raise TranscriptError(_("The file is too large: a transcript can be at most %(megabytes)d MB.")
                              % {"megabytes": MAX_FILE_BYTES // (1024 * 1024)})
    extension = PurePath(filename).suffix.lower()
    notes: list[str] = []
    if extension in {".txt", ".md"}:
        raw, encoding_note = _decode(data)
        notes.append(encoding_note)
    elif extension == ".docx":
        raw, notes = _office_text(
            read_docx, data, _("The Word document (.docx) cannot be read: it is damaged or not a Word document."))
    elif extension == ".odt":
        raw, notes = _office_text(read_odt, data, _("The OpenDocument text (.odt) cannot be read: it is damaged or "
                                                    "not an OpenDocument text."))
    else:
        raise TranscriptError(_("The file “%(name)s” cannot be read as a transcript: use .docx, .odt, .txt or .md.")
                              % {"name": filename})
    if len(raw) > MAX_CHARACTERS:
        raise _too_long()
    if "\x00" in raw:
        raise TranscriptError(_("The file does not look like plain text: it contains NUL characters. "
                                "Save the transcript as UTF-8 text."))
    text, normalise_notes = normalise(raw)
    if not text.strip():
        raise TranscriptError(_("The transcript is empty."))
    turns = split_turns(text)
    notes.extend(normalise_notes)
    notes.append(_turns_note(turns))
    return Transcript(text=text, turns=turns, notes=notes)


def normalise(text: str) -> tuple[str, list[str]]:
    """NFC, the byte-order mark removed, CR LF and a lone CR as LF, whitespace at the end of lines removed; nothing
    else changes. The notes say what was changed, for the import report."""
    notes: list[str] = []
    without_mark = text.lstrip(_BYTE_ORDER_MARK)
    if without_mark != text:
        notes.append(_("A byte-order mark at the start of the text was removed."))
    windows_breaks = without_mark.count("\r\n")
    lone_returns = without_mark.count("\r") - windows_breaks
    lf_only = without_mark.replace("\r\n", "\n").replace("\r", "\n")
    if windows_breaks:
        notes.append(ngettext("%(count)d Windows line break (CR LF) was converted to LF.",
                              "%(count)d Windows line breaks (CR LF) were converted to LF.", windows_breaks)
                     % {"count": windows_breaks})
    if lone_returns:
        notes.append(ngettext("%(count)d line break written as CR alone was converted to LF.",
                              "%(count)d line breaks written as CR alone were converted to LF.", lone_returns)
                     % {"count": lone_returns})
    composed = unicodedata.normalize("NFC", lf_only)
    if composed != lf_only:
        changed = _changed_by_nfc(lf_only)
        notes.append(ngettext("%(count)d character was changed by Unicode normalisation (NFC).",
                              "%(count)d characters were changed by Unicode normalisation (NFC).", changed)
                     % {"count": changed})
    trimmed, trimmed_lines = _TRAILING_WHITESPACE.subn("", composed)
    if trimmed_lines:
        notes.append(ngettext("Spaces at the end of %(count)d line were removed.",
                              "Spaces at the end of %(count)d lines were removed.", trimmed_lines)
                     % {"count": trimmed_lines})
    return trimmed, notes


def split_turns(text: str) -> list[Turn]:
    """The speaker turns of a normalised text, in order; the module's docstring gives the rule."""
    labelled = ((match, " ".join(match["speaker"].split())) for match in _SPEAKER_LINE.finditer(text))
    candidates = [(match, speaker) for match, speaker in labelled if len(speaker.split()) <= MAX_SPEAKER_WORDS]
    lines_opened = Counter(speaker.casefold() for _, speaker in candidates)
    accepted = [(match, speaker) for match, speaker in candidates
                if lines_opened[speaker.casefold()] >= 2 or _PARTICIPANT_CODE.fullmatch(speaker)]
    turns: list[Turn] = []
    for index, (match, speaker) in enumerate(accepted):
        region_end = accepted[index + 1][0].start() if index + 1 < len(accepted) else len(text)
        utterance = text[match.end():region_end]
        # An empty turn sits right after its colon rather than at the next turn's line.
        start = match.end() + (len(utterance) - len(utterance.lstrip()) if utterance.strip() else 0)
        end = match.end() + len(utterance.rstrip())
        turns.append(Turn(speaker=speaker, start=start, end=end))
    return turns


# --- plain text --------------------------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    """The text and a note on the encoding it was read in. The byte-order mark is kept for normalise() to report."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            raise TranscriptError(_("The text file says it is UTF-16 but cannot be read as such.")) from error
        return text, _("The file was read as %(encoding)s.") % {"encoding": _UTF16_NAMES[encoding]}
    try:
        return data.decode("utf-8"), _("The file was read as %(encoding)s.") % {"encoding": "UTF-8"}
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise TranscriptError(_("The text file’s encoding cannot be recognised. Save the transcript as UTF-8 text.")
                              ) from error
    return text, _("The file is not valid UTF-8, so it was read as Windows-1252 (Western European). "
                   "Check that æ, ø and å look right.")


def _changed_by_nfc(text: str) -> int:
    """How many characters NFC changes, counting a letter with its combining marks as one character."""
    return sum(1 for cluster in _clusters(text) if unicodedata.normalize("NFC", cluster) != cluster)


def _clusters(text: str) -> Iterator[str]:
    """A character with the marks that follow it: the stretches NFC composes and reorders within."""
    start = 0
    for position in range(1, len(text)):
        if not _continues_cluster(text[position]):
            yield text[start:position]
            start = position
    if text:
        yield text[start:]


def _continues_cluster(character: str) -> bool:
    # Marks with combining class 0 (Indic two-part vowels) and Hangul vowel and final jamo compose with the
    # character before them as well.
    return (unicodedata.combining(character) != 0 or unicodedata.category(character).startswith("M")
            or "\u1160" <= character <= "\u11ff")


# --- speakers ----------------------------------------------------------------------------------------------------


def _turns_note(turns: list[Turn]) -> str:
    if not turns:
        return _("No speaker turns were found: a turn starts on a line with the speaker’s name and a colon, "
                 "such as “I07: …”.")
    speakers = ", ".join(dict.fromkeys(turn.speaker for turn in turns))
    return ngettext("%(count)d speaker turn was found (%(speakers)s).",
                    "%(count)d speaker turns were found (%(speakers)s).", len(turns)) % {
        "count": len(turns), "speakers": speakers}


# --- DOCX and ODT ------------------------------------------------------------------------------------------------


def _office_text(read: Callable[[bytes, Limits], Contents], data: bytes, damaged: str) -> tuple[str, list[str]]:
    """The paragraphs one line each (a line break inside one stays a line break), read by evidens.text.extract,
    with a note if text was left out."""
    try:
        contents = read(data, _LIMITS)
    except UnsafeXml as error:
        raise TranscriptError(_("The document contains an XML document type declaration (DTD), which is refused "
                                "for safety.")) from error
    except ExtractError as error:
        if error.code == "too_large":
            raise TranscriptError(_("The document is too large to unpack (at most %(megabytes)d MB unpacked).")
                                  % {"megabytes": MAX_UNPACKED_BYTES // (1024 * 1024)}) from error
        raise TranscriptError(damaged) from error
    if "truncated" in contents.notes:
        raise _too_long()
    text = "\n".join(block.text for block in contents.blocks)
    if "text_left_out" not in contents.notes:
        return text, []
    return text, [_("Text inside tracked changes or content controls was left out: accept all changes in Word and "
                    "save the document again to include it.")]


def _too_long() -> TranscriptError:
    millions = MAX_CHARACTERS // 1_000_000
    return TranscriptError(ngettext("The transcript is too long: at most %(millions)d million characters.",
                                    "The transcript is too long: at most %(millions)d million characters.", millions)
                           % {"millions": millions})
