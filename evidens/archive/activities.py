"""Reading activity files (events, registrations, memberships) and checking their rows: pure Python, no database.

    read_table(content, filename)        -> Table (shared with the register import)
    guess_mapping(headers, table_kind)   -> {header: field}
    read_records(table, mapping, table_kind)
                                         -> records and the issues that stop the import (bad date, missing value,
                                            the same reference twice, an end before its start)

Types the file writes in its own words (``Temadag``) that are none of Evidens' activity kinds are read as
"other activity" and counted in ``Records.other_kinds``, so the report can say so instead of refusing the file.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evidens.archive.choices import ActivityForm, ActivityKind, ActivityStatus, ActivityTable
from evidens.stakeholders.importing import (
    BadValue,
    Cell,
    RowIssue,
    Table,
    cell_text,
    normalise_header,
    parse_date,
    parse_yes_no,
    sort_issues,
)


@dataclass(frozen=True)
class EventRecord:
    row: int
    reference: str
    title: str
    kind: str
    network: str
    day: date | None
    place: str
    form: str
    status: str


@dataclass(frozen=True)
class RegistrationRecord:
    row: int
    reference: str
    event_reference: str
    organisation: str
    role_title: str
    segment: str
    registered: date | None
    attended: bool | None  # None: the file does not say


@dataclass(frozen=True)
class MembershipRecord:
    row: int
    organisation: str
    start: date | None
    end: date | None


Record = EventRecord | RegistrationRecord | MembershipRecord


@dataclass(frozen=True)
class Field:
    name: str
    label: Any  # lazy text
    synonyms: tuple[str, ...]
    required: bool = False  # the column must be chosen in the mapping
    allow_blank: bool = False  # ... but a row may leave it empty
    max_length: int = 200


_REFERENCE = ("id", "nr", "nummer", "reference", "ref")
FIELDS: dict[str, tuple[Field, ...]] = {
    ActivityTable.EVENTS: (
        Field("reference", gettext_lazy("Activity ID"), ("arrangementid", "aktivitetid", "eventid", "kursusid",
                                                          "arrangementsnummer", *_REFERENCE), required=True,
              max_length=100),
        Field("title", gettext_lazy("Title"), ("titel", "navn", "arrangement", "overskrift", "name", "event"),
              required=True, max_length=300),
        Field("kind", gettext_lazy("Type"), ("type", "arrangementstype", "aktivitetstype", "kategori", "kind")),
        Field("network", gettext_lazy("Network"), ("netværk", "erfagruppe", "gruppe", "network")),
        Field("day", gettext_lazy("Date"), ("dato", "startdato", "afholdt", "date", "dag", "day"), required=True),
        Field("place", gettext_lazy("Place"), ("sted", "lokation", "by", "place", "location")),
        Field("form", gettext_lazy("Form"), ("form", "format", "mødeform", "fremmøde")),
        Field("status", gettext_lazy("Status"), ("status", "tilstand")),
    ),
    ActivityTable.REGISTRATIONS: (
        Field("reference", gettext_lazy("Registration ID"), ("tilmeldingsid", "registrationid", "deltagerid",
                                                              *_REFERENCE), max_length=100),
        Field("event_reference", gettext_lazy("Activity ID"), ("arrangementid", "aktivitetid", "eventid",
                                                               "kursusid", "arrangement"), required=True,
              max_length=100),
        Field("organisation", gettext_lazy("Organisation"), ("organisation", "boligorganisation", "arbejdsplads",
                                                             "virksomhed", "firma", "organization", "company",
                                                             "boligselskab"), required=True,
              allow_blank=True),
        Field("role_title", gettext_lazy("Job title"), ("stilling", "titel", "jobtitel", "rolle", "jobtitle",
                                                        "role")),
        Field("segment", gettext_lazy("Segment"), ("segment", "målgruppe", "gruppe")),
        Field("registered", gettext_lazy("Registered"), ("tilmeldt", "tilmeldingsdato", "registered",
                                                         "oprettet")),
        Field("attended", gettext_lazy("Attended"), ("deltog", "fremmødt", "mødtop", "attended", "deltaget")),
    ),
    ActivityTable.MEMBERSHIPS: (
        Field("organisation", gettext_lazy("Organisation"), ("organisation", "medlem", "boligorganisation",
                                                             "navn", "organization", "member"), required=True),
        Field("start", gettext_lazy("Member from"), ("start", "fra", "startdato", "indmeldt", "medlemfra",
                                                     "medlemsiden", "begyndt"), required=True),
        Field("end", gettext_lazy("Member until"), ("slut", "til", "slutdato", "udmeldt", "medlemtil", "ophørt",
                                                    "end")),
    ),
}

_RECORD_TYPES: dict[str, Any] = {ActivityTable.EVENTS: EventRecord, ActivityTable.REGISTRATIONS: RegistrationRecord,
                                 ActivityTable.MEMBERSHIPS: MembershipRecord}


def fields_of(table_kind: str) -> tuple[Field, ...]:
    return FIELDS[table_kind]


def field_label(table_kind: str, name: str) -> str:
    return next((str(spec.label) for spec in FIELDS[table_kind] if spec.name == name), name)


@functools.cache
def _synonyms(table_kind: str) -> dict[str, frozenset[str]]:
    result = {}
    for spec in FIELDS[table_kind]:
        words = {normalise_header(word) for word in (*spec.synonyms, spec.name)}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                words.add(normalise_header(str(spec.label)))
        result[spec.name] = frozenset(words)
    return result


def guess_mapping(headers: Sequence[str], table_kind: str) -> dict[str, str]:
    """Map each header to a field ("" for columns to ignore); each field is used at most once, and a header that
    names a field by its label wins over one that only matches a synonym."""
    synonyms = _synonyms(table_kind)
    mapping = dict.fromkeys(headers, "")
    used: set[str] = set()
    for header in headers:
        key = normalise_header(header)
        for spec in FIELDS[table_kind]:
            if spec.name not in used and key in synonyms[spec.name]:
                mapping[header] = spec.name
                used.add(spec.name)
                break
    return mapping


def mapping_problems(mapping: Mapping[str, str], table_kind: str) -> list[str]:
    """What keeps a mapping from being used, as messages for the user (empty when it can be used)."""
    allowed = {spec.name for spec in FIELDS[table_kind]}
    chosen = [name for name in mapping.values() if name]
    problems = [_("%(field)s is not a field of this kind of file.") % {"field": name}
                for name in sorted({name for name in chosen if name not in allowed})]
    problems += [_("Only one column can be read as %(field)s.") % {"field": field_label(table_kind, name)}
                 for name in sorted({name for name in chosen if chosen.count(name) > 1})]
    problems += [_("Choose the column that holds %(field)s.") % {"field": str(spec.label).lower()}
                 for spec in FIELDS[table_kind] if spec.required and spec.name not in chosen]
    return problems


# ---------------------------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------------------------

# Words registration systems and spreadsheets use, besides the codes and the labels in every UI language.
_KIND_WORDS: dict[str, str] = {
    "årsseminar": ActivityKind.SEMINAR, "seminar": ActivityKind.SEMINAR, "konference": ActivityKind.SEMINAR,
    "årsmøde": ActivityKind.SEMINAR, "netværksmøde": ActivityKind.NETWORK_MEETING,
    "netværk": ActivityKind.NETWORK_MEETING, "erfamøde": ActivityKind.ERFA_MEETING,
    "erfa": ActivityKind.ERFA_MEETING, "erfagruppe": ActivityKind.ERFA_MEETING,
    "erfagruppemøde": ActivityKind.ERFA_MEETING, "kursus": ActivityKind.COURSE, "kurser": ActivityKind.COURSE,
    "uddannelse": ActivityKind.COURSE, "webinar": ActivityKind.WEBINAR, "webinarer": ActivityKind.WEBINAR,
    "webinarium": ActivityKind.WEBINAR,
}
_FORM_WORDS: dict[str, str] = {
    "fysisk": ActivityForm.PHYSICAL, "fremmøde": ActivityForm.PHYSICAL, "tilstedeværelse": ActivityForm.PHYSICAL,
    "inperson": ActivityForm.PHYSICAL, "virtuel": ActivityForm.ONLINE, "virtuelt": ActivityForm.ONLINE,
    "digital": ActivityForm.ONLINE, "digitalt": ActivityForm.ONLINE, "teams": ActivityForm.ONLINE,
    "zoom": ActivityForm.ONLINE,
}
_STATUS_WORDS: dict[str, str] = {
    "gennemført": ActivityStatus.HELD, "afholdt": ActivityStatus.HELD, "holdt": ActivityStatus.HELD,
    "aflyst": ActivityStatus.CANCELLED, "annulleret": ActivityStatus.CANCELLED, "udskudt": ActivityStatus.CANCELLED,
    "planlagt": ActivityStatus.PLANNED, "kommende": ActivityStatus.PLANNED,
}
_CHOICES: dict[str, tuple[Any, Mapping[str, str]]] = {
    "kind": (ActivityKind, _KIND_WORDS), "form": (ActivityForm, _FORM_WORDS), "status": (ActivityStatus, _STATUS_WORDS),
}


@functools.cache
def choice_words(name: str) -> dict[str, str]:
    """Normalised words accepted for a choice field -> stored value."""
    choices, extra = _CHOICES[name]
    words = {normalise_header(word): str(value) for word, value in extra.items()}
    for value, label in choices.choices:
        if value:
            words[normalise_header(value)] = value
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                words[normalise_header(str(label))] = value
    return words


_DEFAULTS = {"kind": ActivityKind.OTHER.value, "form": ActivityForm.UNKNOWN.value, "status": ActivityStatus.HELD.value}


def _choice(name: str, cell: Cell) -> str:
    text = cell_text(cell)
    if not text:
        return _DEFAULTS[name]
    value = choice_words(name).get(normalise_header(text))
    if value is not None:
        return value
    if name == "kind":
        return ActivityKind.OTHER.value
    choices = _CHOICES[name][0]
    allowed = ", ".join(str(label) for value, label in choices.choices if value)
    raise BadValue("bad_choice", _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed})


def _attended(cell: Cell) -> bool | None:
    return None if not cell_text(cell) else parse_yes_no(cell)


_CONVERTERS: dict[str, Callable[[Cell], Any]] = {
    "day": parse_date, "registered": parse_date, "start": parse_date, "end": parse_date,
    "kind": functools.partial(_choice, "kind"), "form": functools.partial(_choice, "form"),
    "status": functools.partial(_choice, "status"), "attended": _attended,
}


# ---------------------------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------------------------


@dataclass
class Records:
    records: list[Any] = field(default_factory=list)
    issues: list[RowIssue] = field(default_factory=list)
    other_kinds: Counter[str] = field(default_factory=Counter)  # written type -> rows read as "other activity"


def read_records(table: Table, mapping: Mapping[str, str], table_kind: str) -> Records:
    """Every row as a record, and every problem with its row number and column as the file names it."""
    specs = {spec.name: spec for spec in FIELDS[table_kind]}
    columns = [(index, mapping.get(header, "")) for index, header in enumerate(table.headers)]
    columns = [(index, name) for index, name in columns if name in specs]
    header_of = {name: table.headers[index] for index, name in columns}
    result = Records()
    first_row: dict[str, int] = {}
    for number, cells in table.rows:
        values: dict[str, Any] = {name: _DEFAULTS.get(name, "") for name in specs}
        values.update({name: None for name in ("day", "registered", "start", "end", "attended") if name in specs})
        unreadable = set()
        for index, name in columns:
            try:
                values[name] = _CONVERTERS.get(name, cell_text)(cells[index])
            except BadValue as bad:
                unreadable.add(name)
                result.issues.append(RowIssue(number, name, bad.code, bad.message, column=header_of[name]))
        if table_kind == ActivityTable.EVENTS and values["kind"] == ActivityKind.OTHER:
            written = cell_text(cells[_index_of(columns, "kind")]) if "kind" in header_of else ""
            if written and normalise_header(written) not in choice_words("kind"):
                result.other_kinds[written] += 1
        result.issues += _row_issues(number, values, specs, header_of, first_row, unreadable)
        result.records.append(_RECORD_TYPES[table_kind](row=number, **values))
    result.issues = sort_issues(result.issues)
    return result


def _index_of(columns: list[tuple[int, str]], name: str) -> int:
    return next(index for index, column in columns if column == name)


def _row_issues(number: int, values: dict[str, Any], specs: dict[str, Field], header_of: dict[str, str],
                first_row: dict[str, int], unreadable: set[str]) -> list[RowIssue]:
    issues = []
    for name, spec in specs.items():
        value = values[name]
        column = header_of.get(name, str(spec.label))
        missing = value in ("", None) and name in header_of and name not in unreadable
        if spec.required and not spec.allow_blank and missing:
            issues.append(RowIssue(number, name, "missing", _("The value is missing."), column=column))
        if isinstance(value, str) and len(value) > spec.max_length:
            issues.append(RowIssue(number, name, "too_long", _("The text is longer than %(limit)s characters.")
                                   % {"limit": spec.max_length}, column=column))
    reference = values.get("reference", "")
    if reference:
        if reference in first_row:
            issues.append(RowIssue(number, "reference", "duplicate",
                                   _("The same ID is also in row %(row)s.") % {"row": first_row[reference]},
                                   column=header_of["reference"]))
        else:
            first_row[reference] = number
    start, end = values.get("start"), values.get("end")
    if start is not None and end is not None and end < start:
        issues.append(RowIssue(number, "end", "end_before_start", _("The membership ends before it starts."),
                               column=header_of["end"]))
    return issues


def unknown_events(records: Sequence[RegistrationRecord], known: set[str], columns: Mapping[str, str]
                   ) -> list[RowIssue]:
    """Registrations for activities neither in the archive nor imported before them."""
    return [RowIssue(record.row, "event_reference", "unknown_event",
                     _("No activity has the ID “%(reference)s”. Import the activities first.")
                     % {"reference": record.event_reference}, column=columns.get("event_reference", ""))
            for record in records if record.event_reference and record.event_reference not in known]


def display_values(record: Record, table_kind: str) -> list[Any]:
    """A record's values in field order as the preview shows them: choices by their label, yes/no in words."""
    values: list[Any] = []
    for spec in FIELDS[table_kind]:
        value = getattr(record, spec.name)
        if spec.name in _CHOICES:
            value = dict(_CHOICES[spec.name][0].choices).get(value, value)
        elif isinstance(value, bool):
            value = _("yes") if value else _("no")
        values.append("" if value is None else value)
    return values
