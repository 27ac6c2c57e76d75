from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from evidens.stakeholders import importing
from evidens.stakeholders.importing import OrganisationData, PersonData, UnreadableFile
from tests.stakeholders.helpers import xlsx_bytes


def test_reads_danish_excel_csv_semicolon_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "boligorganisationer.csv"
    path.write_bytes("Navn;Kommune;Boliger\r\nÆblehaven Boligselskab;Højbjerg;1.234\r\nØstbo;Århus;\r\n"
                     .encode("cp1252"))
    table = importing.read_table(path.read_bytes(), path.name)
    assert table.headers == ["Navn", "Kommune", "Boliger"]
    assert table.rows == [(2, ["Æblehaven Boligselskab", "Højbjerg", "1.234"]), (3, ["Østbo", "Århus", ""])]


def test_reads_utf8_bom_comma_csv_with_quotes_and_blank_lines() -> None:
    content = '\ufeffName,Email,Organisation\n"Hansen, Jens",jens@x.dk,"KAB"\n,,\nSøren,s@x.dk,FSB\n'.encode()
    table = importing.read_table(content, "people.csv")
    assert table.headers == ["Name", "Email", "Organisation"]
    # The blank line is skipped but row numbers stay those of the file.
    assert table.rows == [(2, ["Hansen, Jens", "jens@x.dk", "KAB"]), (4, ["Søren", "s@x.dk", "FSB"])]


def test_sniffs_semicolon_when_values_contain_commas() -> None:
    assert importing.sniff_delimiter("Navn;Stilling\nJens;Chef, drift\n") == ";"
    assert importing.sniff_delimiter("Navn,Stilling\nJens,Chef\n") == ","
    assert importing.sniff_delimiter("Navn\tStilling\n") == "\t"


def test_reads_xlsx_with_dates_numbers_and_duplicate_headers() -> None:
    content = xlsx_bytes([
        ["Navn", "Medlem siden", "Boliger", "Navn", None],
        ["KAB", datetime(2010, 5, 1), 60000, "x", None],  # noqa: DTZ001 - Excel dates are naive
        [None, None, None, None, None],
        ["FSB", None, 12000.0, None, None],
    ])
    table = importing.read_table(content, "orgs.xlsx")
    assert table.headers == ["Navn", "Medlem siden", "Boliger", "Navn (2)"]
    assert table.rows == [(2, ["KAB", datetime(2010, 5, 1), 60000, "x"]), (4, ["FSB", None, 12000, None])]  # noqa: DTZ001
    records, issues = importing.table_to_organisations(
        table, {"Navn": "name", "Medlem siden": "member_since", "Boliger": "homes", "Navn (2)": ""})
    assert issues == []
    assert records == [OrganisationData(name="KAB", member_since=date(2010, 5, 1), homes=60000),
                       OrganisationData(name="FSB", homes=12000)]


def test_unreadable_files() -> None:
    with pytest.raises(UnreadableFile):
        importing.read_table(b"PK\x03\x04 not really a zip", "x.xlsx")
    with pytest.raises(UnreadableFile):
        importing.read_table(b"Name\n", "x.pdf")
    with pytest.raises(UnreadableFile):
        importing.read_table(b"\n\n", "x.csv")


def test_guess_mapping_danish_and_english_headers() -> None:
    people = importing.guess_mapping(
        ["Navn", "E-mail", "Telefon", "Boligorganisation", "Stilling", "Segment", "Kilde", "Samtykke",
         "Behandlingsgrundlag", "Slet senest", "Noter"], "people")
    assert people == {
        "Navn": "name", "E-mail": "email", "Telefon": "phone", "Boligorganisation": "organisation_name",
        "Stilling": "role_title", "Segment": "segment", "Kilde": "source", "Samtykke": "consent",
        "Behandlingsgrundlag": "lawful_basis", "Slet senest": "delete_by", "Noter": "",
    }
    english = importing.guess_mapping(["Name", "Mail", "Organisation", "Job title", "Email"], "people")
    assert english == {"Name": "name", "Mail": "email", "Organisation": "organisation_name",
                       "Job title": "role_title", "Email": ""}
    orgs = importing.guess_mapping(["Organisation", "Type", "Medlem", "Medlem siden", "Antal boliger",
                                    "Region", "Kommune"], "organisations")
    assert orgs == {"Organisation": "name", "Type": "kind", "Medlem": "is_member", "Medlem siden": "member_since",
                    "Antal boliger": "homes", "Region": "region", "Kommune": "municipality"}


def test_mapping_problems_and_command_line_mapping() -> None:
    assert importing.mapping_problems({"A": "name", "B": "email"}, "people") == []
    problems = importing.mapping_problems({"A": "email", "B": "email", "C": "bogus"}, "people")
    assert len(problems) == 3
    assert importing.parse_mapping_options(["Fulde navn=name", "Mail adr.=E-mail", "Noter="], "people") == {
        "Fulde navn": "name", "Mail adr.": "email", "Noter": ""}
    with pytest.raises(ValueError):
        importing.parse_mapping_options(["Navn"], "people")
    with pytest.raises(ValueError):
        importing.parse_mapping_options(["Navn=nickname"], "people")


def test_converts_danish_values() -> None:
    table = importing.Table(
        headers=["Navn", "Type", "Medlem", "Siden", "Boliger", "Region"],
        rows=[(2, ["A", "Almen boligorganisation", "ja", "01-02-2003", "1.234", "Region Hovedstaden"]),
              (3, ["B", "kommune", "Nej", "", "12 000", "midtjylland"]),
              (4, ["C", "housing", "X", "2003-02-01", 5, "Region Sjælland"])])
    mapping = {"Navn": "name", "Type": "kind", "Medlem": "is_member", "Siden": "member_since", "Boliger": "homes",
               "Region": "region"}
    records, issues = importing.table_to_organisations(table, mapping)
    assert issues == []
    assert records == [
        OrganisationData("A", "housing", True, date(2003, 2, 1), 1234, "hovedstaden"),
        OrganisationData("B", "municipality", False, None, 12000, "midtjylland"),
        OrganisationData("C", "housing", True, date(2003, 2, 1), 5, "sjaelland"),
    ]
    people_table = importing.Table(
        headers=["Navn", "Samtykke", "Grundlag", "Slet"],
        rows=[(2, ["P", "Givet", "Samtykke", "31.12.2030"]), (3, ["Q", "", "", ""])])
    people, issues = importing.table_to_people(
        people_table, {"Navn": "name", "Samtykke": "consent", "Grundlag": "lawful_basis", "Slet": "delete_by"})
    assert issues == []
    assert people == [PersonData("P", consent="given", lawful_basis="consent", delete_by=date(2030, 12, 31)),
                      PersonData("Q")]


def test_conversion_issues_name_row_and_column() -> None:
    table = importing.Table(
        headers=["Navn", "Medlem", "Medlem siden", "Boliger", "Type"],
        rows=[(2, ["A", "ja", "31-02-2020", "mange", "hus"]),
              (5, ["B", "måske", "", "-4", ""]),
              (6, ["C", "", "", "1,5", ""])])
    mapping = {"Navn": "name", "Medlem": "is_member", "Medlem siden": "member_since", "Boliger": "homes",
               "Type": "kind"}
    _records, issues = importing.table_to_organisations(table, mapping)
    assert [(i.row, i.column, i.code) for i in issues] == [
        (2, "Medlem siden", "bad_date"), (2, "Boliger", "bad_number"), (2, "Type", "bad_choice"),
        (5, "Medlem", "bad_yes_no"), (5, "Boliger", "bad_number"), (6, "Boliger", "bad_number"),
    ]
    assert "31-02-2020" in issues[0].message


def test_validate_organisations_every_issue_kind() -> None:
    records = [
        OrganisationData(name="KAB", row=2),
        OrganisationData(name="", row=3),
        OrganisationData(name="Ny", row=4),
        OrganisationData(name=" ny ", row=7),
        OrganisationData(name="x" * 201, row=8),
        OrganisationData(name="Ikke medlem", member_since=date(2020, 1, 1), row=9),
        OrganisationData(name="Forkert", kind="castle", row=10),
    ]
    issues = importing.validate_organisations(records, existing_names=["kab"])
    assert [(i.row, i.field, i.code) for i in issues] == [
        (2, "name", "duplicate"), (3, "name", "missing"), (7, "name", "duplicate"), (8, "name", "too_long"),
        (9, "member_since", "member_since_without_membership"), (10, "kind", "bad_choice"),
    ]
    assert "4" in issues[2].message  # "The same name is also in row 4."


def test_validate_people_every_issue_kind() -> None:
    records = [
        PersonData(name="A", email="a@x.dk", organisation_name="KAB", row=2),
        PersonData(name="B", email="not-an-email", row=3),
        PersonData(name="C", email="A@X.DK", row=4),
        PersonData(name="D", email="taken@x.dk", row=5),
        PersonData(name="E", organisation_name="Ukendt A/S", row=6),
        PersonData(name="F", organisation_name="ny org", row=7),
        PersonData(name="", row=8),
    ]
    issues = importing.validate_people(records, existing_emails=["TAKEN@x.dk"],
                                       organisation_names=["KAB", "Ny Org"])
    assert [(i.row, i.field, i.code) for i in issues] == [
        (3, "email", "bad_email"), (4, "email", "duplicate"), (5, "email", "duplicate"),
        (6, "organisation_name", "unknown_organisation"), (8, "name", "missing"),
    ]


def test_display_values_read_back() -> None:
    record = OrganisationData("A", "housing", True, date(2003, 2, 1), 1234, "hovedstaden", "Gentofte")
    shown = importing.record_row(record, "organisations")
    table = importing.Table(headers=importing.ORGANISATION_FIELDS, rows=[(2, list(shown))])
    records, issues = importing.table_to_organisations(
        table, {name: name for name in importing.ORGANISATION_FIELDS})
    assert issues == [] and records == [record]
