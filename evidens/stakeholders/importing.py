"""Reading register files and checking their rows: pure Python, no database.

The pipeline for a CSV or XLSX file is

    read_table(content, filename)      -> Table (headers + rows with their row number in the file)
    guess_mapping(headers, kind)        -> {header: field}
    table_to_organisations / table_to_people(table, mapping)
                                        -> (records, conversion issues: bad date, bad number, ...)
    validate_organisations / validate_people(records, what the register already holds)
                                        -> issues: missing, bad e-mail, duplicate, unknown organisation

``services.register_bulk_create`` runs the same validators on the records before it stores anything;
the demo builds ``OrganisationData`` / ``PersonData`` directly and skips the file steps.

Row numbers in issues are the row numbers a spreadsheet shows (the header is row 1); records made
in code without a row number are numbered from 1 in the order given.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evidens.stakeholders.choices import Consent, LawfulBasis, OrganisationKind, Region
from evidens.text.ziparchive import ZipArchiveError, ZipTooLarge, check_members

Kind = Literal["organisations", "people"]
KINDS: tuple[Kind, ...] = ("organisations", "people")

Cell = str | int | float | bool | date | datetime | None

# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationData:
    """One organisation to store. Fields mirror ``models.Organisation``."""

    name: str
    kind: str = OrganisationKind.OTHER.value
    is_member: bool = False
    member_since: date | None = None
    homes: int | None = None
    region: str = ""
    municipality: str = ""
    row: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class PersonData:
    """One person to store. Fields mirror ``models.Person``; ``organisation_name`` names the organisation
    (already in the register or in the same batch), empty for none."""

    name: str
    email: str = ""
    phone: str = ""
    organisation_name: str = ""
    role_title: str = ""
    segment: str = ""
    source: str = ""
    consent: str = Consent.UNKNOWN.value
    lawful_basis: str = LawfulBasis.LEGITIMATE_INTEREST.value
    delete_by: date | None = None
    row: int | None = field(default=None, compare=False)


ORGANISATION_FIELDS = [f.name for f in fields(OrganisationData) if f.name != "row"]
PERSON_FIELDS = [f.name for f in fields(PersonData) if f.name != "row"]

# Column headings used by the export and offered in the mapping step.
FIELD_LABELS: dict[str, Any] = {
    "name": gettext_lazy("Name"),
    "kind": gettext_lazy("Type"),
    "is_member": gettext_lazy("Member"),
    "member_since": gettext_lazy("Member since"),
    "homes": gettext_lazy("Homes"),
    "region": gettext_lazy("Region"),
    "municipality": gettext_lazy("Municipality"),
    "email": gettext_lazy("E-mail"),
    "phone": gettext_lazy("Phone"),
    "organisation_name": gettext_lazy("Organisation"),
    "role_title": gettext_lazy("Job title"),
    "segment": gettext_lazy("Segment"),
    "source": gettext_lazy("Source"),
    "consent": gettext_lazy("Consent"),
    "lawful_basis": gettext_lazy("Lawful basis"),
    "delete_by": gettext_lazy("Delete by"),
}

MAX_LENGTHS: dict[str, int] = {
    "name": 200, "municipality": 100, "email": 254, "phone": 40, "organisation_name": 200,
    "role_title": 200, "segment": 100, "source": 200,
}


def kind_fields(kind: Kind) -> list[str]:
    return ORGANISATION_FIELDS if kind == "organisations" else PERSON_FIELDS


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


# ---------------------------------------------------------------------------------------------
# Issues
# ---------------------------------------------------------------------------------------------

IssueCode = Literal[
    "missing", "bad_email", "bad_date", "bad_number", "bad_choice", "bad_yes_no", "too_long",
    "duplicate", "unknown_organisation", "member_since_without_membership",
]


@dataclass(frozen=True)
class RowIssue:
    """One problem with one value: where it is (row as in the file, column) and what is wrong."""

    row: int
    field: str
    code: str
    message: str
    column: str = ""

    @property
    def column_label(self) -> str:
        return self.column or field_label(self.field)

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "column": self.column_label, "code": self.code,
                "message": self.message}

    def __str__(self) -> str:
        return _("Row %(row)s, %(column)s: %(message)s") % {
            "row": self.row, "column": self.column_label, "message": self.message}


class RegisterImportError(ValidationError):
    """Nothing was stored because at least one row is invalid; ``issues`` says which and why."""

    def __init__(self, issues: Sequence[RowIssue]) -> None:
        self.issues = sorted(issues, key=lambda issue: (issue.row, issue.field))
        super().__init__([str(issue) for issue in self.issues[:50]], code="register_import")


def with_columns(issues: Iterable[RowIssue], columns: Mapping[str, str]) -> list[RowIssue]:
    """Name each issue's column as the file does (``columns`` maps field -> header)."""
    return [replace(issue, column=columns.get(issue.field, issue.column)) for issue in issues]


def sort_issues(issues: Iterable[RowIssue]) -> list[RowIssue]:
    return sorted(issues, key=lambda issue: (issue.row, issue.field, issue.code))


# ---------------------------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------------------------


class UnreadableFile(ValueError):
    """The file is not a CSV or XLSX file we can read; the message is meant for the user."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[Cell]]]  # (row number in the file, cells in header order)

    def __len__(self) -> int:
        return len(self.rows)


SUPPORTED_EXTENSIONS = (".csv", ".txt", ".xlsx")


def read_table(content: bytes, filename: str) -> Table:
    """Read the first sheet of an XLSX file or a CSV file (``;``, ``,`` or tab; UTF-8 or Windows-1252)."""
    lower = filename.lower()
    if lower.endswith(".xlsx") or content[:4] == b"PK\x03\x04":
        return _read_xlsx(content)
    if lower.endswith((".csv", ".txt")):
        return _read_csv(content)
    raise UnreadableFile(_("Upload a CSV or XLSX file."))


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without BOM) if it decodes, otherwise Windows-1252, which Danish Excel writes."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return ";"
    header = lines[0]
    counts = {delimiter: header.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    if counts[best] and sorted(counts.values())[-2] != counts[best]:
        return best
    try:
        return csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=";,\t").delimiter
    except csv.Error:
        return best if counts[best] else ";"


def _read_csv(content: bytes) -> Table:
    text = decode_text(content)
    if "\x00" in text:
        raise UnreadableFile(_("The file is not a text (CSV) file."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    raw = []
    try:
        for row in reader:
            raw.append(row)
            _check_size(len(raw), len(row))
    except csv.Error as error:
        raise UnreadableFile(_("The CSV file could not be read: %(error)s") % {"error": error}) from None
    return _table(list(raw))


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    # openpyxl unpacks the parts itself: refuse a zip bomb before it is inflated into memory.
    try:
        check_members(content, max_members=MAX_XLSX_MEMBERS, max_bytes=MAX_XLSX_UNPACKED_BYTES)
    except ZipTooLarge:
        raise UnreadableFile(_("The XLSX file unpacks to more than %(megabytes)s MB; it cannot be read.")
                             % {"megabytes": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)}) from None
    except ZipArchiveError:
        raise UnreadableFile(_("The XLSX file could not be read. Save it again from Excel and retry.")) from None
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for files that are not workbooks
        raise UnreadableFile(_("The XLSX file could not be read. Save it again from Excel and retry.")) from None
    try:
        sheet = workbook.worksheets[0]
        # A sheet may declare a million rows or columns: ignore the declaration (or every row would be
        # padded to it) and read the cells that are there, no more than a register can hold.
        sheet.reset_dimensions()
        raw = []
        for row in sheet.iter_rows(values_only=True):
            cells = list(row)
            while cells and cells[-1] is None:
                cells.pop()
            raw.append(cells)
            _check_size(len(raw), len(cells))
    except UnreadableFile:
        raise
    except Exception:  # in read-only mode a damaged sheet shows only while it is read, as any kind of error
        raise UnreadableFile(_("The XLSX file could not be read. Save it again from Excel and retry.")) from None
    finally:
        workbook.close()
    return _table(raw)


MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_XLSX_MEMBERS = 10_000


def _check_size(rows: int, columns: int) -> None:
    if rows > MAX_ROWS + 1:  # the header row comes on top
        raise UnreadableFile(_("The file has more than %(rows)s rows. Split it into smaller files.")
                             % {"rows": MAX_ROWS})
    if columns > MAX_COLUMNS:
        raise UnreadableFile(_("The file has more than %(columns)s columns.") % {"columns": MAX_COLUMNS})


def _table(raw: list[list[Any]]) -> Table:
    # The header is the first row with any content; row numbers stay those of the file.
    start = 0
    while start < len(raw) and all(_blank(cell) for cell in raw[start]):
        start += 1
    if start >= len(raw):
        raise UnreadableFile(_("The file is empty."))
    header_cells = raw[start]
    width = len(header_cells)
    while width and _blank(header_cells[width - 1]):
        width -= 1
    headers: list[str] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(header_cells[:width], start=1):
        name = _text(cell) or _("Column %(number)s") % {"number": index}
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        headers.append(name)
    rows: list[tuple[int, list[Cell]]] = []
    for number, cells in enumerate(raw[start + 1:], start=start + 2):
        values = [cells[index] if index < len(cells) else None for index in range(width)]
        if all(_blank(cell) for cell in values):
            continue
        rows.append((number, values))
    return Table(headers=headers, rows=rows)


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "1" if cell else "0"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    text = " ".join(str(cell).split())
    # Undo the export's guard against spreadsheet formulas ("'=..." -> "=...").
    if text[:1] == "'" and text[1:2] in FORMULA_STARTS:
        text = text[1:]
    return text


# What a spreadsheet may read as the start of a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(cell: Cell) -> str:
    """A cell as one line of text, as the preview and the text fields show it."""
    return _text(cell)


# ---------------------------------------------------------------------------------------------
# Mapping columns to fields
# ---------------------------------------------------------------------------------------------


def normalise_header(text: str) -> str:
    text = text.casefold().strip()
    return re.sub(r"[\s\-_.:/()*]+", "", text)


_SYNONYMS: dict[Kind, dict[str, list[str]]] = {
    "organisations": {
        "name": ["navn", "name", "organisation", "organisationsnavn", "boligorganisation", "organization",
                 "organisationnavn", "boligselskab", "virksomhed"],
        "kind": ["type", "organisationstype", "kind", "art", "kategori", "category"],
        "is_member": ["medlem", "member", "ismember", "medlemskab", "membership", "erMedlem"],
        "member_since": ["medlemsiden", "membersince", "medlemfra", "indmeldt", "indmeldelsesdato"],
        "homes": ["boliger", "antalboliger", "homes", "lejemål", "antallejemål", "størrelse", "size",
                  "boligerantal", "antal", "units"],
        "region": ["region"],
        "municipality": ["kommune", "municipality", "hjemkommune"],
    },
    "people": {
        "name": ["navn", "name", "fuldtnavn", "fullname", "kontaktperson", "person", "personnavn"],
        "email": ["email", "mail", "emailadresse", "mailadresse", "epost", "emailaddress"],
        "phone": ["telefon", "tlf", "telefonnummer", "tlfnr", "phone", "mobil", "mobile", "mobilnummer",
                  "phonenumber"],
        "organisation_name": ["organisation", "boligorganisation", "organization", "virksomhed", "arbejdsplads",
                              "company", "organisationsnavn", "boligselskab"],
        "role_title": ["stilling", "titel", "jobtitel", "jobtitle", "stillingsbetegnelse", "title", "rolle",
                       "role", "roletitle"],
        "segment": ["segment", "målgruppe", "gruppe", "group"],
        "source": ["kilde", "source", "datakilde"],
        "consent": ["samtykke", "consent"],
        "lawful_basis": ["behandlingsgrundlag", "retsgrundlag", "lawfulbasis", "hjemmel", "grundlag"],
        "delete_by": ["sletsenest", "slettessenest", "deleteby", "sletdato", "slettes", "sletningsdato",
                      "slettesdato"],
    },
}


def _synonyms(kind: Kind) -> dict[str, set[str]]:
    result = {name: {normalise_header(word) for word in words} for name, words in _SYNONYMS[kind].items()}
    for name in kind_fields(kind):
        for language, _label in settings.LANGUAGES:
            with translation.override(language):
                result[name].add(normalise_header(field_label(name)))
        result[name].add(normalise_header(name))
    return result


def guess_mapping(headers: Sequence[str], kind: Kind) -> dict[str, str]:
    """Map each header to a field ("" for columns to ignore); each field is used at most once."""
    synonyms = _synonyms(kind)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for header in headers:
        key = normalise_header(header)
        mapping[header] = ""
        for name in kind_fields(kind):
            if name not in used and key in synonyms[name]:
                mapping[header] = name
                used.add(name)
                break
    return mapping


def mapping_problems(mapping: Mapping[str, str], kind: Kind) -> list[str]:
    """What is wrong with a mapping, as messages for the user (empty when it can be used)."""
    problems = []
    allowed = set(kind_fields(kind))
    chosen = [name for name in mapping.values() if name]
    for name in sorted({name for name in chosen if name not in allowed}):
        problems.append(_("%(field)s is not a field of this register.") % {"field": name})
    for name in sorted({name for name in chosen if chosen.count(name) > 1}):
        problems.append(_("Only one column can be read as %(field)s.") % {"field": field_label(name)})
    if "name" not in chosen:
        problems.append(_("Choose the column that holds the name."))
    return problems


def parse_mapping_options(options: Iterable[str], kind: Kind) -> dict[str, str]:
    """``["Header=field", ...]`` from the command line; the field may also be its label."""
    result = {}
    by_label = {normalise_header(field_label(name)): name for name in kind_fields(kind)}
    for option in options:
        header, sep, target = option.rpartition("=")
        if not sep or not header.strip():
            raise ValueError(_("Write the mapping as Header=field, not %(option)s.") % {"option": option})
        target = target.strip()
        name = target if target in kind_fields(kind) or target == "" else by_label.get(normalise_header(target))
        if name is None:
            raise ValueError(_("%(field)s is not a field of this register.") % {"field": target})
        result[header.strip()] = name
    return result


# ---------------------------------------------------------------------------------------------
# Converting cells
# ---------------------------------------------------------------------------------------------


class BadValue(Exception):
    """A cell that cannot be read as its field's kind of value; ``message`` is meant for the user."""

    def __init__(self, code: str, message: str) -> None:
        self.code, self.message = code, message


_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%y", "%d.%m.%y", "%d/%m/%y")


def parse_date(cell: Cell) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = _text(cell)
    if not text:
        return None
    text = text.split("T")[0].split(" ")[0]
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise BadValue("bad_date", _("“%(value)s” is not a date (write it as 31-12-2025 or 2025-12-31).")
               % {"value": text})


def parse_whole_number(cell: Cell) -> int | None:
    if isinstance(cell, bool):
        raise BadValue("bad_number", _("“%(value)s” is not a whole number.") % {"value": _text(cell)})
    if isinstance(cell, int):
        number = cell
    elif isinstance(cell, float):
        if not cell.is_integer():
            raise BadValue("bad_number", _("“%(value)s” is not a whole number.") % {"value": _text(cell)})
        number = int(cell)
    else:
        text = _text(cell)
        if not text:
            return None
        compact = text.replace(" ", "").replace("\u00a0", "")
        # Danish thousands separator "1.234"; also "1,234" from English sheets.
        if re.fullmatch(r"-?\d{1,3}([.,]\d{3})+", compact):
            compact = compact.replace(".", "").replace(",", "")
        if not re.fullmatch(r"-?\d+", compact):
            raise BadValue("bad_number", _("“%(value)s” is not a whole number.") % {"value": text})
        number = int(compact)
    if number < 0:
        raise BadValue("bad_number", _("“%(value)s” is negative.") % {"value": number})
    return number


_YES = {"ja", "j", "yes", "y", "true", "sand", "1", "x", "medlem", "member"}
_NO = {"nej", "n", "no", "false", "falsk", "0", "ikkemedlem", "notmember", "-"}


@functools.cache
def _yes_no_words() -> tuple[frozenset[str], frozenset[str]]:
    yes = _YES | {normalise_header(_label("yes", language)) for language in _languages()}
    no = _NO | {normalise_header(_label("no", language)) for language in _languages()}
    return frozenset(yes), frozenset(no)


def parse_yes_no(cell: Cell) -> bool:
    if isinstance(cell, bool):
        return cell
    key = normalise_header(_text(cell))
    if not key:
        return False
    yes, no = _yes_no_words()
    if key in yes:
        return True
    if key in no:
        return False
    raise BadValue("bad_yes_no", _("“%(value)s” is not yes or no.") % {"value": _text(cell)})


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _label(text: str, language: str) -> str:
    with translation.override(language):
        return _(text)


# Danish words people write for the choices, besides the codes and the labels in every UI language.
_CHOICE_WORDS: dict[str, dict[str, str]] = {
    "kind": {
        "almenboligorganisation": "housing", "boligorganisation": "housing", "boligselskab": "housing",
        "almen": "housing", "boligforening": "housing", "administrationsorganisation": "administration",
        "administration": "administration", "rådgiver": "adviser", "raadgiver": "adviser",
        "rådgivning": "adviser", "entreprenør": "contractor", "entreprenoer": "contractor",
        "kommune": "municipality", "fond": "foundation", "sektororganisation": "sector",
        "interesseorganisation": "sector", "forskning": "research", "uddannelseogforskning": "research",
        "andet": "other", "øvrige": "other", "andre": "other",
    },
    "region": {
        "regionhovedstaden": "hovedstaden", "hovedstaden": "hovedstaden",
        "regionsjælland": "sjaelland", "sjælland": "sjaelland",
        "regionsyddanmark": "syddanmark", "syddanmark": "syddanmark",
        "regionmidtjylland": "midtjylland", "midtjylland": "midtjylland",
        "regionnordjylland": "nordjylland", "nordjylland": "nordjylland",
    },
    "consent": {
        "ja": "given", "givet": "given", "giver": "given", "yes": "given", "nej": "refused", "afvist": "refused",
        "no": "refused", "tilbagetrukket": "withdrawn", "trukkettilbage": "withdrawn", "ukendt": "unknown",
    },
    "lawful_basis": {
        "samtykke": "consent", "kontrakt": "contract", "aftale": "contract",
        "retligforpligtelse": "legal_obligation", "lovkrav": "legal_obligation",
        "myndighedsudøvelse": "public_task", "offentligmyndighedsudøvelse": "public_task",
        "opgaveisamfundetsinteresse": "public_task", "legitiminteresse": "legitimate_interest",
        "berettigetinteresse": "legitimate_interest", "interesseafvejning": "legitimate_interest",
    },
}

_CHOICES: dict[str, Any] = {
    "kind": OrganisationKind, "region": Region, "consent": Consent, "lawful_basis": LawfulBasis,
}


@functools.cache
def choice_words(name: str) -> dict[str, str]:
    """Normalised words accepted for a choice field -> stored value."""
    choices = _CHOICES[name]
    words = dict(_CHOICE_WORDS[name])
    for value, label in choices.choices:
        words[normalise_header(value)] = value
        for language in _languages():
            with translation.override(language):
                words[normalise_header(str(label))] = value
    return words


def parse_choice(name: str, cell: Cell, default: str) -> str:
    text = _text(cell)
    if not text:
        return default
    value = choice_words(name).get(normalise_header(text))
    if value is None:
        allowed = ", ".join(str(label) for _value, label in _CHOICES[name].choices)
        raise BadValue("bad_choice", _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed})
    return value


def _convert(name: str, cell: Cell, default: Any) -> Any:
    if name in ("member_since", "delete_by"):
        return parse_date(cell)
    if name == "homes":
        return parse_whole_number(cell)
    if name == "is_member":
        return parse_yes_no(cell)
    if name in _CHOICES:
        return parse_choice(name, cell, default)
    return _text(cell)


def _records(table: Table, mapping: Mapping[str, str], kind: Kind) -> tuple[list[Any], list[RowIssue]]:
    record_type: Any = OrganisationData if kind == "organisations" else PersonData
    defaults = {f.name: f.default for f in fields(record_type)}
    columns = [(index, mapping.get(header, "")) for index, header in enumerate(table.headers)]
    columns = [(index, name) for index, name in columns if name]
    header_of = {name: table.headers[index] for index, name in columns}
    records, issues = [], []
    for number, cells in table.rows:
        values: dict[str, Any] = {}
        for index, name in columns:
            try:
                values[name] = _convert(name, cells[index], defaults[name])
            except BadValue as bad:
                issues.append(RowIssue(number, name, bad.code, bad.message, column=header_of[name]))
        values.setdefault("name", "")
        records.append(record_type(**values, row=number))
    return records, issues


def table_to_organisations(table: Table, mapping: Mapping[str, str]) -> tuple[list[OrganisationData],
                                                                             list[RowIssue]]:
    return _records(table, mapping, "organisations")


def table_to_people(table: Table, mapping: Mapping[str, str]) -> tuple[list[PersonData], list[RowIssue]]:
    return _records(table, mapping, "people")


def columns_of(mapping: Mapping[str, str]) -> dict[str, str]:
    """field -> header, the reverse of a mapping."""
    return {name: header for header, name in mapping.items() if name}


# ---------------------------------------------------------------------------------------------
# Validating records
# ---------------------------------------------------------------------------------------------


def name_key(name: str) -> str:
    """Organisation names match without regard to case, accents of spacing: "KAB " == "kab"."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def email_key(email: str) -> str:
    return email.strip().casefold()


def _row(record: Any, index: int) -> int:
    return record.row if record.row is not None else index + 1


def _common_issues(record: Any, number: int) -> list[RowIssue]:
    issues = []
    if not record.name.strip():
        issues.append(RowIssue(number, "name", "missing", _("The name is missing.")))
    for name, limit in MAX_LENGTHS.items():
        value = getattr(record, name, None)
        if isinstance(value, str) and len(value) > limit:
            issues.append(RowIssue(number, name, "too_long", _("The text is longer than %(limit)s characters.")
                                   % {"limit": limit}))
    for name in _CHOICES:
        value = getattr(record, name, None)
        if value is not None and value not in dict(_CHOICES[name].choices) and not (name == "region" and value == ""):
            issues.append(RowIssue(number, name, "bad_choice", _("“%(value)s” is not a valid choice.")
                                   % {"value": value}))
    return issues


def validate_organisations(
    records: Sequence[OrganisationData], *, existing_names: Iterable[str] = ()
) -> list[RowIssue]:
    """Missing or too long values, bad choices, duplicates in the batch or against ``existing_names``."""
    existing = {name_key(name) for name in existing_names}
    first_row: dict[str, int] = {}
    issues: list[RowIssue] = []
    for index, record in enumerate(records):
        number = _row(record, index)
        issues += _common_issues(record, number)
        if record.homes is not None and record.homes < 0:
            issues.append(RowIssue(number, "homes", "bad_number", _("“%(value)s” is negative.")
                                   % {"value": record.homes}))
        if record.member_since is not None and not record.is_member:
            issues.append(RowIssue(number, "member_since", "member_since_without_membership",
                                   _("A member-since date is given, but the organisation is not a member.")))
        key = name_key(record.name)
        if key:
            issues += _duplicate(key, number, "name", existing, first_row,
                                 in_register=_("An organisation with this name is already in the register."),
                                 in_file=_("The same name is also in row %(row)s."))
    return sort_issues(issues)


def _duplicate(key: str, number: int, field: str, existing: set[str], first_row: dict[str, int], *,
               in_register: str, in_file: str) -> list[RowIssue]:
    """The row's key is taken by the register or by an earlier row of the file; else it claims the key."""
    if key in existing:
        return [RowIssue(number, field, "duplicate", in_register)]
    if key in first_row:
        return [RowIssue(number, field, "duplicate", in_file % {"row": first_row[key]})]
    first_row[key] = number
    return []


def validate_people(
    records: Sequence[PersonData],
    *,
    existing_emails: Iterable[str] = (),
    organisation_names: Iterable[str] = (),
) -> list[RowIssue]:
    """Missing or too long values, bad e-mails and choices, duplicate e-mails (in the batch or against
    ``existing_emails``), organisations not among ``organisation_names`` (register + batch)."""
    existing = {email_key(email) for email in existing_emails if email}
    known = {name_key(name) for name in organisation_names}
    first_row: dict[str, int] = {}
    issues: list[RowIssue] = []
    for index, record in enumerate(records):
        number = _row(record, index)
        issues += _common_issues(record, number)
        if record.organisation_name and name_key(record.organisation_name) not in known:
            issues.append(RowIssue(number, "organisation_name", "unknown_organisation",
                                   _("The organisation “%(name)s” is neither in the register nor in the file.")
                                   % {"name": record.organisation_name}))
        email = record.email.strip()
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError:
            issues.append(RowIssue(number, "email", "bad_email", _("“%(value)s” is not a valid e-mail address.")
                                   % {"value": email}))
            continue
        issues += _duplicate(email_key(email), number, "email", existing, first_row,
                             in_register=_("A person with this e-mail is already in the register."),
                             in_file=_("The same e-mail is also in row %(row)s."))
    return sort_issues(issues)


# ---------------------------------------------------------------------------------------------
# Showing records (preview, export)
# ---------------------------------------------------------------------------------------------


def display_value(name: str, value: Any) -> str:
    """A stored value as the export writes it and the import reads it back."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, date):
        return value.isoformat()
    if name in _CHOICES and value:
        return str(dict(_CHOICES[name].choices).get(value, value))
    return str(value)


def record_row(record: OrganisationData | PersonData, kind: Kind) -> list[str]:
    return [display_value(name, getattr(record, name)) for name in kind_fields(kind)]
