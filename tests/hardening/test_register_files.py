"""The register's CSV/XLSX reader (shared by the register import, activity records and the workshop sheet) under
broken, wrongly encoded, hostile and huge files; an import with a bad row stores nothing."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidens.stakeholders import importing, services
from evidens.stakeholders.importing import MAX_XLSX_UNPACKED_BYTES, RegisterImportError, UnreadableFile, read_table
from evidens.stakeholders.models import Organisation, Person
from tests.conftest import Cast
from tests.hardening.files import (
    ENTITY_USE,
    HOSTILE_PROLOGUES,
    MODEST,
    members_of,
    mutated,
    mutated_part,
    read_or_refuse,
    with_hostile_prologue,
    zip_bomb,
    zipped,
)
from tests.stakeholders.helpers import xlsx_bytes

ROWS = [["Navn", "Type", "Kommune"], ["Boligselskabet Øst", "Boligorganisation", "Århus"],
        ["=HYPERLINK(\"http://x\")", "Andet", "Odense"]]


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """An .xlsx of under a megabyte whose sheet unpacks to more than the reader allows."""
    return zip_bomb(members_of(xlsx_bytes(ROWS)), "xl/worksheets/sheet1.xml", after=b"<sheetData>",
                    padding=MAX_XLSX_UNPACKED_BYTES + 2**20)


def _read_or_refuse(data: bytes, filename: str) -> importing.Table | None:
    table = read_or_refuse(lambda content: read_table(content, filename), data, UnreadableFile)
    if table is None:
        return None
    assert all(len(cells) == len(table.headers) for _, cells in table.rows)
    return table


@MODEST
@given(st.binary(max_size=3000), st.sampled_from(["a.csv", "a.txt", "a.xlsx", "a.pdf"]))
def test_random_bytes(data: bytes, filename: str) -> None:
    _read_or_refuse(data, filename)


@MODEST
@given(st.lists(st.lists(st.text(max_size=15), max_size=6), max_size=8), st.sampled_from([";", ",", "\t"]),
       st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_any_csv_text_in_any_encoding(rows: list[list[str]], delimiter: str, encoding: str) -> None:
    text = "\r\n".join(delimiter.join(cells) for cells in rows)
    _read_or_refuse(text.encode(encoding, errors="replace"), "a.csv")


@MODEST
@given(st.integers(0, 2**32), st.integers(1, 6), st.booleans())
def test_a_workbook_with_bytes_changed(seed: int, edits: int, inside: bool) -> None:
    data = xlsx_bytes(ROWS)
    _read_or_refuse(mutated_part(members_of(data), seed, edits) if inside else mutated(data, seed, edits), "a.xlsx")


def test_latin1_csv_is_read_as_windows_1252() -> None:
    table = read_table("Navn;Kommune\r\nBoligselskabet Øst;Århus\r\n".encode("latin-1"), "a.csv")
    assert table.rows == [(2, ["Boligselskabet Øst", "Århus"])]


@pytest.mark.parametrize("data", [
    "Navn;Kommune\r\nØst;Århus\r\n".encode("utf-16-le"),  # UTF-16 without a byte-order mark: NUL in every letter
    b"Navn;Kommune\r\nA\x00B;C\r\n",
])
def test_nul_bytes_in_a_csv_are_refused(data: bytes) -> None:
    with pytest.raises(UnreadableFile):
        read_table(data, "a.csv")


def test_an_xlsx_zip_bomb_is_refused_without_being_inflated(bomb: bytes) -> None:
    assert len(bomb) < 1024 * 1024
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(UnreadableFile, match="MB"):
            read_table(bomb, "liste.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024
    assert time.monotonic() - started < 30


def test_a_bomb_named_csv_is_still_recognised_as_a_zip(bomb: bytes) -> None:
    with pytest.raises(UnreadableFile, match="MB"):
        read_table(bomb, "liste.csv")


@pytest.mark.parametrize("hostility", sorted(HOSTILE_PROLOGUES))
@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/styles.xml"])
def test_hostile_xml_inside_a_workbook_is_refused_or_left_unexpanded(hostility: str, part: str) -> None:
    members = members_of(xlsx_bytes(ROWS))
    assert part in members
    members[part] = with_hostile_prologue(members[part], HOSTILE_PROLOGUES[hostility], ENTITY_USE[hostility])
    table = _read_or_refuse(zipped(members), "a.xlsx")
    if table is not None:
        text = repr(table)
        assert "lollollol" not in text and "root:" not in text


# --- nothing stored half -------------------------------------------------------------------------------------


def _counts() -> tuple[int, int]:
    return Organisation.objects.count(), Person.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize("bad_row", [
    ["", "Andet"],  # no name
    ["Boligselskabet Øst", "Andet"],  # the same name twice in one file
    ["Boligselskabet Vest", "ukendt type"],  # a type the register does not have
])
def test_a_file_with_one_bad_row_stores_no_row(cast: Cast, bad_row: list[str]) -> None:
    rows = [["Navn", "Type"], ["Boligselskabet Øst", "Boligorganisation"], ["Kommunen", "Kommune"], bad_row]
    table = read_table(xlsx_bytes(rows), "a.xlsx")
    mapping = importing.guess_mapping(table.headers, "organisations")
    assert mapping == {"Navn": "name", "Type": "kind"}
    before = _counts()
    prepared = services.register_file_prepare(process=cast.process, kind="organisations", table=table,
                                              mapping=mapping)
    assert [issue.row for issue in prepared.issues] == [4]
    with pytest.raises(RegisterImportError):
        services.register_file_store(process=cast.process, actor=None, prepared=prepared)
    assert _counts() == before


@pytest.mark.django_db
def test_an_upload_that_cannot_be_read_keeps_nothing(cast: Cast, bomb: bytes) -> None:
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evidens.stakeholders.models import StakeholderImport

    with pytest.raises(ValidationError):
        services.stakeholder_import_create(process=cast.process, actor=None, kind="organisations",
                                           upload=SimpleUploadedFile("liste.xlsx", bomb))
    assert not StakeholderImport.objects.exists()
