"""Files too big for a register, and cells a spreadsheet would run as formulas."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from evidens.stakeholders import importing
from evidens.stakeholders.exporting import formula_safe


def test_a_csv_with_too_many_rows_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    content = "Navn\n" + "".join(f"Person {n}\n" for n in range(4))
    with pytest.raises(importing.UnreadableFile, match="mere end 3 rækker"):
        importing.read_table(content.encode(), "people.csv")
    # Exactly the limit is fine: the header does not count.
    importing.read_table(("Navn\n" + "".join(f"Person {n}\n" for n in range(3))).encode(), "people.csv")


def test_a_sheet_declaring_a_huge_width_is_read_only_up_to_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "MAX_COLUMNS", 5)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Navn", "E-mail"])
    sheet.cell(row=2, column=7, value="langt ude")  # column G: past the limit of 5
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(importing.UnreadableFile, match="mere end 5 kolonner"):
        importing.read_table(buffer.getvalue(), "people.xlsx")


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "@SUM(A1)", "\tcmd", "\r=1+1", "-2+3+cmd|' /C calc'!A0"])
def test_formula_starts_are_neutralised(text: str) -> None:
    assert formula_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["+45 00 12 34 56", "Anne Hansen", "-"])
def test_plain_values_stay_as_they_are(text: str) -> None:
    assert formula_safe(text) == text
