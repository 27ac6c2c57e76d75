"""Reading the board workshop's spreadsheet of assumptions: pure Python, no database.

One row per assumption; the columns are found by their Danish or English names in any order, and a column the
file lacks is simply empty. Every problem names its row and column, and a file with any problem stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from evidens.core.numbers import whole_number
from evidens.stakeholders.importing import RowIssue, Table, cell_text, normalise_header

COLUMNS = {
    "challenge": ("udfordring", "challenge", "tema"),
    "statement": ("antagelse", "assumption", "antagelser"),
    "held_by": ("hvem", "hvemmenerdet", "heldby", "holdes af", "afsender"),
    "importance": ("vigtighed", "importance", "betydning", "prioritet"),
    "must_be_true": ("hvadskalværesandt", "hvadskalvaeresandt", "whatwouldhavetobetrue", "forudsætning"),
    "would_confirm": ("bekræftesaf", "bekraeftesaf", "wouldconfirm", "confirmedby"),
    "would_refute": ("afkræftesaf", "afkraeftesaf", "wouldrefute", "refutedby"),
    "channels": ("kanaler", "channels", "testesmed"),
}
CHANNEL_WORDS = {
    "surveys": ("spørgeskema", "spørgeskemaer", "survey", "surveys", "spørgeskemaundersøgelse", "undersøgelse"),
    "webstats": ("webstatistik", "web", "webstats", "hjemmeside", "statistik"),
    "archive": ("arkiv", "arkivet", "archive", "arkivdata", "aktiviteter"),
    "interviews": ("interviews", "interview", "interviewene"),
}


@dataclass(frozen=True)
class AssumptionRow:
    row: int
    challenge: str
    statement: str
    held_by: str
    importance: int
    must_be_true: str
    would_confirm: str
    would_refute: str
    channels: tuple[str, ...]


def column_mapping(headers: list[str]) -> dict[str, int]:
    """field -> index of the column that holds it."""
    words = {normalise_header(word): field for field, names in COLUMNS.items() for word in names}
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        field = words.get(normalise_header(header))
        if field is not None and field not in mapping:
            mapping[field] = index
    return mapping


def _channels(text: str) -> tuple[list[str], list[str]]:
    words = {normalise_header(word): channel for channel, names in CHANNEL_WORDS.items() for word in names}
    found, unknown = [], []
    for part in text.replace(";", ",").replace("/", ",").split(","):
        if not part.strip():
            continue
        channel = words.get(normalise_header(part))
        if channel is None:
            unknown.append(part.strip())
        elif channel not in found:
            found.append(channel)
    return found, unknown


def read_assumptions(table: Table) -> tuple[list[AssumptionRow], list[RowIssue]]:
    mapping = column_mapping(table.headers)
    if "statement" not in mapping:
        return [], [RowIssue(1, "statement", "missing_column",
                             _("The file has no column named Antagelse (assumption)."))]
    rows, issues = [], []
    for number, cells in table.rows:
        values = {field: cell_text(cells[index]) for field, index in mapping.items()}
        column = {field: table.headers[index] for field, index in mapping.items()}
        statement = values.get("statement", "")
        if not statement:
            issues.append(RowIssue(number, "statement", "missing", _("The assumption is missing."),
                                   column=column["statement"]))
        importance_text = values.get("importance", "") or "3"
        importance = whole_number(importance_text) or 0
        if not 1 <= importance <= 5:
            issues.append(RowIssue(number, "importance", "bad_number",
                                   _("“%(value)s” is not an importance from 1 to 5.") % {"value": importance_text},
                                   column=column.get("importance", "")))
        channels, unknown = _channels(values.get("channels", ""))
        if unknown:
            issues.append(RowIssue(number, "channels", "bad_choice",
                                   _("“%(value)s” is not a channel (spørgeskema, webstatistik, arkiv, interviews).")
                                   % {"value": unknown[0]}, column=column.get("channels", "")))
        rows.append(AssumptionRow(number, values.get("challenge", ""), statement, values.get("held_by", ""),
                                  importance, values.get("must_be_true", ""), values.get("would_confirm", ""),
                                  values.get("would_refute", ""), tuple(channels)))
    return rows, issues
