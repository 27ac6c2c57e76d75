"""Exporting responses as CSV, XLSX and SPSS .sav, read back with csv, openpyxl and pyreadstat.

The questionnaire and the four responses below are written out by hand, and every expected cell was worked
out by hand from the rules in the module's docstring. Most files are written in English, whose texts are the
message ids themselves, so the expectations do not depend on the state of the Danish catalogue; the texts
that come from the questionnaire are Danish either way (a text missing in English falls back to Danish).
"""

from __future__ import annotations

import csv
import io
import math
from datetime import date
from pathlib import Path
from typing import Any

import pyreadstat
import pytest
from openpyxl import load_workbook

from evidens.surveys import definition as d
from evidens.surveys.exporting import (
    EXPORT_FORMATS,
    ExportError,
    ResponseRecord,
    codebook_table,
    export_csv,
    export_sav,
    export_xlsx,
    spss_name,
    variables,
)


def _choices(*pairs: tuple[str, str]) -> list[d.Choice]:
    return [d.Choice(value, {"da": label}) for value, label in pairs]


def _items(*pairs: tuple[str, str]) -> list[d.Item]:
    return [d.Item(name, {"da": label}) for name, label in pairs]


def _survey() -> d.SurveyDefinition:
    about = d.Section("om_dig", {"da": "Om dig"}, questions=[
        d.Question("medlem", d.SINGLE_CHOICE, {"da": "Er du medlem?", "en": "Are you a member?"},
                   choices=[d.Choice("ja", {"da": "Ja", "en": "Yes"}), d.Choice("nej", {"da": "Nej", "en": "No"})]),
        d.Question("kanaler", d.MULTIPLE_CHOICE, {"da": "Hvilke kanaler bruger du?"}, other=True,
                   choices=_choices(("web", "Hjemmesiden"), ("nyhedsbrev", "Nyhedsbrevet"),
                                    ("moeder", "Møder på Ærø"))),
        d.Question("tilfredshed", d.LIKERT, {"da": "Hvor tilfreds er du?"}, choices=d.likert_scale(),
                   dont_know=True, relevance="${medlem} = 'ja'"),
        d.Question("udsagn", d.MATRIX, {"da": "Hvor enig er du?"}, dont_know=True,
                   choices=_choices(("1", "Slet ikke"), ("5", "Noget"), ("9", "I høj grad")),
                   items=_items(("nytte", "Møderne er nyttige"), ("pris", "Prisen er rimelig"))),
        d.Question("prioritet", d.RANKING, {"da": "Hvad er vigtigst?"},
                   items=_items(("kurser", "Kurser"), ("netvaerk", "Netværk"), ("viden", "Viden om almene boliger"))),
        d.Question("egne", d.MULTIPLE_CHOICE, {"da": "Hvor bor du?"}, choices=_choices(("Ærø", "Ærø"), ("Fyn", "Fyn"))),
        d.Question("tak", d.INFORMATION, {"da": "Tak indtil videre."}),
    ])
    details = d.Section("detaljer", {"da": "Detaljer"}, relevance="${medlem} = 'ja'", questions=[
        d.Question("antal", d.INTEGER, {"da": "Hvor mange ansatte?"}),
        d.Question("anbefal", d.NPS, {"da": "Vil du anbefale os?"}),
        d.Question("andel", d.DECIMAL, {"da": "Andel af budgettet"}),
        d.Question("kommentar", d.LONG_TEXT, {"da": "Kommentar"}),
        d.Question("start", d.DATE, {"da": "Hvornår blev du medlem?"}),
        d.Question("ret", d.SHORT_TEXT, {"da": "Yndlingsret"}),
        d.Question("status", d.SHORT_TEXT, {"da": "Hvordan går det?"}),
        d.Question("kontakt", d.SINGLE_CHOICE, {"da": "Hvor ofte har I kontakt?"},
                   choices=_choices(("7", "Ofte"), ("8", "Sjældent"))),
    ])
    return d.SurveyDefinition(title={"da": "Medlemsundersøgelse 2025"}, sections=[about, details])


def _records() -> list[ResponseRecord]:
    return [
        ResponseRecord("R-001", "complete", 2, date(2024, 3, 1), "Boligorganisation", {
            "medlem": "ja", "kanaler": ["web", "other"], "kanaler.other": "Facebook", "tilfredshed": "4",
            "udsagn": {"nytte": "9", "pris": "dont_know"}, "prioritet": ["viden", "kurser", "netvaerk"],
            "egne": ["Ærø"], "antal": 12, "anbefal": 9, "andel": 0.25, "kommentar": "=SUM(A1)",
            "start": "2023-11-24", "ret": "Æblegrød på Ærø", "status": "Travl; men glad", "kontakt": "7",
        }),
        # Not a member: the satisfaction question and the whole second page were hidden; the answers to
        # "tilfredshed" and "antal" are left over from before the respondent changed "medlem".
        ResponseRecord("R-002", "complete", 2, date(2024, 3, 2), "", {
            "medlem": "nej", "kanaler": ["nyhedsbrev"], "tilfredshed": "5", "udsagn": {"nytte": "1"},
            "prioritet": ["kurser"], "egne": [], "antal": 3,
        }),
        # Stopped before "medlem": whether the later questions would have been shown is not known.
        ResponseRecord("R-003", "partial", 1, None, "Kommune", {"kanaler": ["moeder"]}),
        ResponseRecord("R-004", "complete", 2, date(2024, 3, 4), "Boligorganisation", {
            "medlem": "ja", "kanaler": ["other"], "tilfredshed": "dont_know",
            "udsagn": {"nytte": "dont_know", "pris": "5"}, "prioritet": ["netvaerk", "viden", "kurser"],
            "egne": ["Fyn", "Ærø"], "antal": 0, "anbefal": 10, "andel": 1.5, "kommentar": "Linje 1\nLinje 2",
            "start": "2024-02-29", "ret": "Rødgrød\x0bmed fløde", "kontakt": "8",
        }),
    ]


NAMES = [
    "reference", "status", "version", "submitted_on", "segment",
    "medlem", "kanaler_web", "kanaler_nyhedsbrev", "kanaler_moeder", "kanaler_other", "tilfredshed",
    "udsagn_nytte", "udsagn_pris", "prioritet_kurser", "prioritet_netvaerk", "prioritet_viden",
    "egne_AEroe", "egne_Fyn",
    "antal", "anbefal", "andel", "kommentar", "start", "ret", "status_2", "kontakt",
]

# The codes, as in the .sav: None is system missing (an empty text for a text variable).
CODES: list[list[Any]] = [
    ["R-001", 1, 2, date(2024, 3, 1), "Boligorganisation",
     1, 1, 0, 0, "Facebook", 4, 9, 99, 2, 3, 1, 1, 0,
     12, 9, 0.25, "=SUM(A1)", date(2023, 11, 24), "Æblegrød på Ærø", "Travl; men glad", 7],
    ["R-002", 1, 2, date(2024, 3, 2), "",
     2, 0, 1, 0, "", 8, 1, None, 1, None, None, None, None,
     None, None, None, "", None, "", "", 98],
    ["R-003", 2, 1, None, "Kommune",
     None, 0, 0, 1, "", None, None, None, None, None, None, None, None,
     None, None, None, "", None, "", "", None],
    ["R-004", 1, 2, date(2024, 3, 4), "Boligorganisation",
     1, 0, 0, 0, "", 9, 99, 5, 3, 1, 2, 1, 1,
     0, 10, 1.5, "Linje 1\nLinje 2", date(2024, 2, 29), "Rødgrød\x0bmed fløde", "", 8],
]

# The same responses as an English CSV shows them: labels for coded values, "," as decimal comma.
CSV_ROWS = [
    ["R-001", "Complete", "2", "2024-03-01", "Boligorganisation",
     "Yes", "Chosen", "Not chosen", "Not chosen", "Facebook", "Somewhat agree", "I høj grad", "Don't know",
     "2", "3", "1", "Chosen", "Not chosen",
     "12", "9", "0,25", "'=SUM(A1)", "2023-11-24", "Æblegrød på Ærø", "Travl; men glad", "Ofte"],
    ["R-002", "Complete", "2", "2024-03-02", "",
     "No", "Not chosen", "Chosen", "Not chosen", "", "Not asked", "Slet ikke", "", "1", "", "", "", "",
     "", "", "", "", "", "", "", "Not asked"],
    ["R-003", "Partial", "1", "", "Kommune",
     "", "Not chosen", "Not chosen", "Chosen", "", "", "", "", "", "", "", "", "",
     "", "", "", "", "", "", "", ""],
    ["R-004", "Complete", "2", "2024-03-04", "Boligorganisation",
     "Yes", "Not chosen", "Not chosen", "Not chosen", "", "Don't know", "Don't know", "Noget",
     "3", "1", "2", "Chosen", "Chosen",
     "0", "10", "1,5", "Linje 1\nLinje 2", "2024-02-29", "Rødgrød\x0bmed fløde", "", "Sjældent"],
]

LIKERT_EN = {1: "Strongly disagree", 2: "Somewhat disagree", 3: "Neither agree nor disagree", 4: "Somewhat agree",
             5: "Strongly agree"}


def test_the_formats() -> None:
    assert EXPORT_FORMATS == ("csv", "xlsx", "sav")


def test_one_variable_per_answer_column_with_codes_and_missing_codes() -> None:
    columns = {variable.name: variable for variable in variables(_survey(), "en")}
    assert list(columns) == NAMES
    assert columns["medlem"].value_labels == {1: "Yes", 2: "No"}
    assert columns["medlem"].missing_codes == ()
    assert columns["kanaler_moeder"].label == "Hvilke kanaler bruger du?: Møder på Ærø"
    assert columns["kanaler_moeder"].value_labels == {0: "Not chosen", 1: "Chosen"}
    assert (columns["kanaler_other"].kind, columns["kanaler_other"].label) == ("text",
                                                                              "Hvilke kanaler bruger du?: Other (text)")
    # 1-5 keep their numbers; 9 is free for "don't know", 8 for "not asked" (the question has a condition).
    assert columns["tilfredshed"].value_labels == {**LIKERT_EN, 9: "Don't know", 8: "Not asked"}
    assert (columns["tilfredshed"].dont_know, columns["tilfredshed"].not_asked) == (9, 8)
    assert columns["tilfredshed"].measure == "ordinal"
    # The scale already uses 9, so "don't know" is 99; no condition, no "not asked".
    assert columns["udsagn_pris"].value_labels == {1: "Slet ikke", 5: "Noget", 9: "I høj grad", 99: "Don't know"}
    assert columns["udsagn_pris"].missing_codes == (99,)
    assert columns["udsagn_pris"].label == "Hvor enig er du?: Prisen er rimelig"
    # The choices are 7 and 8, so "not asked" (the page has a condition) is 98.
    assert columns["kontakt"].value_labels == {7: "Ofte", 8: "Sjældent", 98: "Not asked"}
    assert columns["kontakt"].missing_codes == (98,)
    assert columns["prioritet_viden"].value_labels == {}
    assert columns["prioritet_viden"].label == "Hvad er vigtigst?: Viden om almene boliger"
    assert [columns[name].kind for name in ("antal", "anbefal", "andel", "kommentar", "start")] == [
        "number", "number", "number", "text", "date"]
    assert [columns[name].measure for name in ("antal", "anbefal", "andel", "medlem")] == [
        "scale", "scale", "scale", "nominal"]
    # The question called "status" gives way to the response's status; the mapping keeps which is which.
    assert (columns["status"].question, columns["status_2"].question) == ("", "status")
    assert {columns[name].question for name in NAMES if name.startswith("egne")} == {"egne"}


def test_labels_in_danish_come_from_the_questionnaire() -> None:
    columns = {variable.name: variable for variable in variables(_survey())}
    assert columns["medlem"].label == "Er du medlem?"
    assert columns["medlem"].value_labels == {1: "Ja", 2: "Nej"}
    assert columns["tilfredshed"].value_labels[9] == "Ved ikke"
    assert columns["tilfredshed"].value_labels[1] == "Helt uenig"


def test_name_and_email_only_when_some_response_is_identified(tmp_path: Path) -> None:
    identified = ResponseRecord("R-009", "complete", 2, date(2024, 3, 9), "", {"medlem": "nej"},
                                respondent={"name": "Åse Ærø", "email": "aase@example.org", "organisation": "KAB"})
    export_sav(_survey(), _records(), tmp_path / "anonymous.sav", "en")
    anonymous, _meta = pyreadstat.read_sav(tmp_path / "anonymous.sav")
    assert not {"name", "email", "organisation"} & set(anonymous.columns)

    export_sav(_survey(), [*_records(), identified], tmp_path / "identified.sav", "en")
    frame, meta = pyreadstat.read_sav(tmp_path / "identified.sav")
    assert list(frame.columns) == [*NAMES[:5], "name", "email", "organisation", *NAMES[5:]]
    assert meta.column_names_to_labels["email"] == "E-mail"
    assert frame["name"].tolist() == ["", "", "", "", "Åse Ærø"]
    assert frame["organisation"].tolist()[-1] == "KAB"

    out = io.BytesIO()
    export_csv(_survey(), _records(), out, "en")
    header = next(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert header == NAMES


def _same(actual: Any, expected: Any) -> bool:
    if expected is None:
        return actual is None or (isinstance(actual, float) and math.isnan(actual))
    return bool(actual == expected)


def test_sav_holds_codes_labels_and_missing_values(tmp_path: Path) -> None:
    path = tmp_path / "besvarelser.sav"
    export_sav(_survey(), _records(), path, "en")
    frame, meta = pyreadstat.read_sav(path, user_missing=True)

    assert frame.shape == (4, 26)
    assert meta.column_names == NAMES
    rows = frame.to_dict("split")["data"]
    for row, expected in zip(rows, CODES, strict=True):
        mismatches = [(name, actual, wanted) for name, actual, wanted in zip(NAMES, row, expected, strict=True)
                      if not _same(actual, wanted)]
        assert mismatches == []

    labels = meta.column_names_to_labels
    assert labels["medlem"] == "Are you a member?"
    assert labels["egne_AEroe"] == "Hvor bor du?: Ærø"
    assert labels["status_2"] == "Hvordan går det?"
    assert labels["submitted_on"] == "Submitted on"
    values = meta.variable_value_labels
    assert values["tilfredshed"] == {**LIKERT_EN, 9: "Don't know", 8: "Not asked"}
    assert values["udsagn_nytte"] == {1: "Slet ikke", 5: "Noget", 9: "I høj grad", 99: "Don't know"}
    assert values["status"] == {1: "Complete", 2: "Partial"}
    assert values["kanaler_web"] == {0: "Not chosen", 1: "Chosen"}
    assert "prioritet_kurser" not in values and "antal" not in values
    assert meta.missing_ranges == {
        "tilfredshed": [{"lo": 9, "hi": 9}, {"lo": 8, "hi": 8}],
        "udsagn_nytte": [{"lo": 99, "hi": 99}],
        "udsagn_pris": [{"lo": 99, "hi": 99}],
        "kontakt": [{"lo": 98, "hi": 98}],
    }
    assert meta.variable_measure["tilfredshed"] == "ordinal"
    assert meta.variable_measure["medlem"] == "nominal"
    assert meta.variable_measure["andel"] == "scale"
    formats = meta.original_variable_types
    assert formats["start"] == formats["submitted_on"] == "EDATE10"
    assert formats["medlem"] == formats["antal"] == "F8.0"
    assert formats["andel"] == "F8.2"
    assert str(formats["reference"]).startswith("A") and str(formats["kommentar"]).startswith("A")
    assert meta.file_label == "Medlemsundersøgelse 2025"

    # Without user_missing, the "don't know" and "not asked" codes read as missing.
    plain, _meta = pyreadstat.read_sav(path)
    assert [_same(value, None) for value in plain["tilfredshed"]] == [False, True, True, True]
    assert plain["tilfredshed"][0] == 4


def test_sav_cuts_labels_to_what_the_format_holds(tmp_path: Path) -> None:
    long = d.Question("lang", d.SINGLE_CHOICE, {"da": "ø" * 300}, choices=_choices(("a", "å" * 100), ("b", "B")))
    survey = d.SurveyDefinition(title={"da": "T"}, sections=[d.Section("s", {"da": "S"}, questions=[long])])
    export_sav(survey, [ResponseRecord("R", "complete", 1, None, "", {"lang": "a"})], tmp_path / "lang.sav")
    _frame, meta = pyreadstat.read_sav(tmp_path / "lang.sav")
    # 256 bytes: 126 two-byte letters and the three bytes of "…"; 120 bytes: 58 letters and "…".
    assert meta.column_names_to_labels["lang"] == "ø" * 126 + "…"
    assert meta.variable_value_labels["lang"] == {1: "å" * 58 + "…", 2: "B"}


def test_csv_is_utf8_with_bom_semicolons_and_labels() -> None:
    out = io.BytesIO()
    export_csv(_survey(), _records(), out, "en")
    content = out.getvalue()
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.startswith(b"\xef\xbb\xbfreference;status;version;submitted_on;segment;medlem;")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == NAMES
    assert rows[1:] == CSV_ROWS


def test_xlsx_has_the_responses_and_the_codebook() -> None:
    out = io.BytesIO()
    export_xlsx(_survey(), _records(), out, "en")
    workbook = load_workbook(io.BytesIO(out.getvalue()))
    assert workbook.sheetnames == ["Responses", "Codebook"]

    sheet = workbook["Responses"]
    assert sheet.freeze_panes == "A2"
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == NAMES
    assert len(rows) == 5
    first = dict(zip(NAMES, rows[1], strict=True))
    assert str(first["submitted_on"]) == "2024-03-01 00:00:00"  # a date cell reads back as a datetime
    assert str(first["start"]) == "2023-11-24 00:00:00"
    assert (first["status"], first["medlem"], first["tilfredshed"]) == ("Complete", "Yes", "Somewhat agree")
    assert (first["antal"], first["andel"], first["prioritet_viden"]) == (12, 0.25, 1)
    assert first["kommentar"] == "=SUM(A1)"
    assert sheet.cell(row=2, column=NAMES.index("kommentar") + 1).data_type == "s"  # text, not a formula
    assert first["ret"] == "Æblegrød på Ærø"
    second = dict(zip(NAMES, rows[2], strict=True))
    assert (second["tilfredshed"], second["kontakt"], second["antal"]) == ("Not asked", "Not asked", None)
    fourth = dict(zip(NAMES, rows[4], strict=True))
    assert fourth["ret"] == "Rødgrødmed fløde"  # a control character cannot be in an XLSX cell
    assert fourth["udsagn_nytte"] == "Don't know"
    assert sheet.column_dimensions["A"].width == 11  # "reference" and two

    codebook = [list(row) for row in workbook["Codebook"].iter_rows(values_only=True)]
    assert codebook[0] == ["Variable", "Question", "Label", "Question type", "Format", "Values", "Missing values"]
    by_name = {row[0]: row for row in codebook[1:27]}
    assert list(by_name) == NAMES
    assert by_name["tilfredshed"] == [
        "tilfredshed", "tilfredshed", "Hvor tilfreds er du?", "Likert scale", "Number",
        "1 = Strongly disagree\n2 = Somewhat disagree\n3 = Neither agree nor disagree\n4 = Somewhat agree\n"
        "5 = Strongly agree", "9 = Don't know\n8 = Not asked"]
    assert by_name["egne_AEroe"][:5] == ["egne_AEroe", "egne", "Hvor bor du?: Ærø", "Multiple choice", "Number"]
    assert by_name["start"][4] == "Date"
    assert by_name["reference"] == ["reference", None, "Reference", None, "Text", None, None]
    assert codebook[27] == [None] * 7
    assert str(codebook[28][0]).startswith("An empty cell")


def test_codebook_table_matches_the_variables() -> None:
    headings, rows = codebook_table(_survey(), "en", respondent=True)
    assert len(headings) == 7
    assert [row[0] for row in rows] == [*NAMES[:5], "name", "email", "organisation", *NAMES[5:]]
    kontakt = next(row for row in rows if row[0] == "kontakt")
    assert kontakt[5:] == ["7 = Ofte\n8 = Sjældent", "98 = Not asked"]


def test_a_complete_response_that_left_the_condition_unanswered_was_not_asked(tmp_path: Path) -> None:
    record = ResponseRecord("R", "complete", 1, date(2024, 1, 1), "", {"kanaler": ["web"]})
    export_sav(_survey(), [record], tmp_path / "one.sav", "en")
    frame, _meta = pyreadstat.read_sav(tmp_path / "one.sav", user_missing=True)
    assert frame["tilfredshed"].tolist() == [8]
    assert frame["kontakt"].tolist() == [98]
    assert math.isnan(frame["medlem"][0])


@pytest.mark.parametrize(("question", "answer"), [
    ("medlem", "måske"),
    ("kanaler", ["web", "tv"]),
    ("udsagn", {"smag": "1"}),
    ("prioritet", ["kurser", "kurser"]),
    ("anbefal", "ti"),
    ("andel", "NaN"),
    ("antal", 2.5),
    ("start", "24-11-2023"),
    ("kommentar", 12),
])
def test_an_answer_that_does_not_fit_its_question_stops_the_export(question: str, answer: Any) -> None:
    record = ResponseRecord("R-7", "complete", 1, None, "", {"medlem": "ja", question: answer})
    with pytest.raises(ExportError, match="R-7"):
        export_csv(_survey(), [record], io.BytesIO(), "en")


def test_a_status_outside_complete_and_partial_is_refused() -> None:
    with pytest.raises(ValueError, match="status"):
        ResponseRecord("R", "abandoned", 1, None, "", {})


def test_choices_are_numbered_unless_all_are_whole_numbers() -> None:
    mixed = d.Question("blandet", d.SINGLE_CHOICE, {"da": "Blandet"}, other=True,
                       choices=_choices(("3", "Tre"), ("x", "Eks")))
    numbered = d.Question("tal", d.SINGLE_CHOICE, {"da": "Tal"}, other=True,
                          choices=_choices(("10", "Ti"), ("-1", "Minus en")))
    survey = d.SurveyDefinition(title={"da": "T"}, sections=[d.Section("s", {"da": "S"},
                                                                       questions=[mixed, numbered])])
    columns = {variable.name: variable for variable in variables(survey, "en")}
    assert columns["blandet"].value_labels == {1: "Tre", 2: "Eks", 3: "Other"}
    assert columns["tal"].value_labels == {10: "Ti", -1: "Minus en", 11: "Other"}
    assert columns["tal_other"].kind == "text"


@pytest.mark.parametrize(("text", "name"), [
    ("egne_Ærø", "egne_AEroe"),
    ("Større ÅÅ", "Stoerre_AAAA"),
    ("café crème", "cafe_creme"),
    ("1. spørgsmål", "v1_spoergsmaal"),
    ("_skjult", "skjult"),
    ("with", "with_"),
    ("", "v"),
    ("q" * 70, "q" * 64),
])
def test_spss_names(text: str, name: str) -> None:
    assert spss_name(text) == name


def test_names_are_unique_ignoring_case() -> None:
    questions = [d.Question("Status", d.SHORT_TEXT, {"da": "A"}), d.Question("q_1", d.SHORT_TEXT, {"da": "B"}),
                 d.Question("q", d.MULTIPLE_CHOICE, {"da": "C"}, choices=_choices(("1", "En"), ("2", "To")))]
    survey = d.SurveyDefinition(title={"da": "T"}, sections=[d.Section("s", {"da": "S"}, questions=questions)])
    names = [variable.name for variable in variables(survey, "en")][5:]
    assert names == ["Status_2", "q_1", "q_1_2", "q_2"]
