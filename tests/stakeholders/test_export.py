"""Export to CSV and XLSX, and import of the exported files back into an empty register."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook

from evidens.stakeholders import exporting, importing, services
from evidens.stakeholders.models import Organisation, Person
from tests.conftest import Cast

ORGANISATION_VALUES = ["name", "kind", "is_member", "member_since", "homes", "region", "municipality"]
PERSON_VALUES = ["name", "email", "phone", "role_title", "segment", "source", "consent", "lawful_basis",
                 "delete_by"]


@pytest.fixture
def register(cast: Cast) -> None:
    process = cast.process
    kab = services.organisation_create(process=process, actor=None, name="KAB", kind="housing", is_member=True,
                                       member_since=date(2001, 1, 1), homes=60000, region="hovedstaden",
                                       municipality="København")
    services.organisation_create(process=process, actor=None, name="Ærø Boligforening; Øst", kind="housing",
                                 homes=1234, region="syddanmark", municipality="Ærø")
    services.organisation_create(process=process, actor=None, name="=HYPERLINK(\"http://x\")", kind="other")
    services.organisation_create(process=process, actor=None, name="Kommunen", kind="municipality")
    services.person_create(process=process, actor=None, name="Åse Ærø-Østergaard", email="aase@kab.example",
                           phone="+45 12 34 56 78", organisation=kab, role_title="Direktør, drift",
                           segment="Direktion", source="Netværk", consent="given", lawful_basis="consent",
                           delete_by=date(2030, 12, 31))
    services.person_create(process=process, actor=None, name="Bo Uden Org", email="", phone="",
                           consent="withdrawn", lawful_basis="public_task")
    erased = services.person_create(process=process, actor=None, name="Slettes", email="slet@x.example")
    services.person_erase(person=erased, actor=None)


def _snapshot(process: Any) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    organisations = [tuple(getattr(o, name) for name in ORGANISATION_VALUES)
                     for o in Organisation.objects.filter(process=process).order_by("name")]
    people = [(*(getattr(p, name) for name in PERSON_VALUES), p.organisation.name if p.organisation else "")
              for p in Person.objects.filter(process=process, erased_at__isnull=True).order_by("name")]
    return organisations, people


def _import(process: Any, content: bytes, filename: str, kind: importing.Kind) -> None:
    table = importing.read_table(content, filename)
    mapping = importing.guess_mapping(table.headers, kind)
    assert sorted(filter(None, mapping.values())) == sorted(importing.kind_fields(kind))
    prepared = services.register_file_prepare(process=process, kind=kind, table=table, mapping=mapping)
    assert prepared.issues == []
    services.register_file_store(process=process, actor=None, prepared=prepared)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["da", "en"])
def test_round_trip(cast: Cast, register: None, file_format: str, language: str, settings: Any) -> None:
    from django.utils import translation

    with translation.override(language):
        organisations, _name, _type = services.register_export(process=cast.process, actor=None,
                                                               kind="organisations", file_format=file_format)
        people, filename, _type = services.register_export(process=cast.process, actor=None, kind="people",
                                                           file_format=file_format)
    assert filename.endswith(f".{file_format}")
    # Read back in the other language: headings and values are understood in both.
    with translation.override("en" if language == "da" else "da"):
        _import(cast.other_process, organisations, f"o.{file_format}", "organisations")
        _import(cast.other_process, people, f"p.{file_format}", "people")
    assert _snapshot(cast.other_process) == _snapshot(cast.process)
    assert len(_snapshot(cast.other_process)[1]) == 2  # the erased person is not exported


def test_csv_is_semicolon_separated_utf8_with_bom(cast: Cast, register: None) -> None:
    content, _name, content_type = services.register_export(process=cast.process, actor=None, kind="people",
                                                            file_format="csv")
    assert content_type == "text/csv; charset=utf-8"
    assert content[:3] == b"\xef\xbb\xbf"
    text = content.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0].count(";") == len(importing.PERSON_FIELDS) - 1
    assert lines[-1] == "" and len(lines) == 4  # two people, the erased one left out
    # The order of "Bo" and "Åse" depends on the database's collation.
    bo = next(line for line in lines if line.startswith("Bo "))
    aase = next(line for line in lines if line.startswith("Åse"))
    assert bo.startswith("Bo Uden Org;;;;;;;")
    assert aase.startswith("Åse Ærø-Østergaard;aase@kab.example;+45 12 34 56 78;KAB;Direktør, drift;Direktion;")
    assert aase.endswith(";2030-12-31")
    assert "slet@x.example" not in text


def test_formulas_are_not_run_by_spreadsheets(cast: Cast, register: None) -> None:
    csv_content, _name, _type = services.register_export(process=cast.process, actor=None, kind="organisations",
                                                         file_format="csv")
    assert "\r\n\"'=HYPERLINK(\"\"http://x\"\")\";" in csv_content.decode("utf-8-sig")
    xlsx_content, _name, _type = services.register_export(process=cast.process, actor=None,
                                                          kind="organisations", file_format="xlsx")
    sheet = load_workbook(io.BytesIO(xlsx_content)).active
    assert sheet is not None
    cell = sheet["A2"]
    assert cell.value == "=HYPERLINK(\"http://x\")" and cell.data_type == "s"


def test_formula_guard() -> None:
    assert exporting.formula_safe("=1+1") == "'=1+1"
    assert exporting.formula_safe("@SUM(A1)") == "'@SUM(A1)"
    assert exporting.formula_safe("-2+cmd|' /C calc'!A0") == "'-2+cmd|' /C calc'!A0"
    assert exporting.formula_safe("+45 12 34 56 78") == "+45 12 34 56 78"
    assert exporting.formula_safe("KAB") == "KAB"


def test_xlsx_keeps_dates_and_numbers_typed(cast: Cast, register: None) -> None:
    content, _name, _type = services.register_export(process=cast.process, actor=None, kind="organisations",
                                                     file_format="xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    kab = next(row for row in rows if row[0] == "KAB")
    assert kab[3].date() == date(2001, 1, 1) and kab[4] == 60000
