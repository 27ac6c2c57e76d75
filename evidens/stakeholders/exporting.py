"""Writing the register as CSV (for Danish Excel) and XLSX; the import reads both back.

Pure functions over model instances already loaded by ``selectors``: no queries here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from evidens.stakeholders.importing import FORMULA_STARTS, display_value, field_label, kind_fields

if TYPE_CHECKING:  # instances come loaded from the selectors; this module needs no models at run time
    from evidens.stakeholders.models import Organisation, Person

ExportCell = str | int | date | None


def _cell(name: str, value: Any) -> ExportCell:
    if value is None:
        return None
    if isinstance(value, date) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    return display_value(name, value)


def organisation_table(organisations: Iterable[Organisation]) -> tuple[list[str], list[list[ExportCell]]]:
    names = kind_fields("organisations")
    rows = [[_cell(name, getattr(organisation, name)) for name in names] for organisation in organisations]
    return [field_label(name) for name in names], rows


def person_table(people: Iterable[Person]) -> tuple[list[str], list[list[ExportCell]]]:
    names = kind_fields("people")
    rows = []
    for person in people:
        values = {name: getattr(person, name, None) for name in names if name != "organisation_name"}
        values["organisation_name"] = person.organisation.name if person.organisation else ""
        rows.append([_cell(name, values[name]) for name in names])
    return [field_label(name) for name in names], rows


_PLAIN_NUMBER = re.compile(r"[+\-]?[\d\s().\-/]*")


def formula_safe(text: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula (``=HYPERLINK(...)`` and friends).

    Phone numbers such as "+45 12 34 56 78" stay as they are; the import undoes the prefix.
    """
    if text[:1] in FORMULA_STARTS and not (text[:1] in "+-" and _PLAIN_NUMBER.fullmatch(text)):
        return "'" + text
    return text


def _csv_text(value: ExportCell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return formula_safe(value)


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[ExportCell]]) -> bytes:
    """UTF-8 with BOM and ``;`` between columns: what Danish Excel opens without an import wizard."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([formula_safe(header) for header in headers])
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence[ExportCell]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(header) + 4))

    def cell(value: ExportCell, *, bold: bool = False) -> Any:
        if isinstance(value, str):  # a control character read from an imported file would stop the workbook
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        written = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]  # openpyxl writes dates too
        if isinstance(value, date):
            written.number_format = "yyyy-mm-dd"
        elif written.data_type == "f":  # a text that starts with "=" is text, not a formula
            written.data_type = "s"
        if bold:
            written.font = Font(bold=True)
        return written

    sheet.append([cell(header, bold=True) for header in headers])
    for row in rows:
        sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
