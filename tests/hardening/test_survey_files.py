"""XLSForm and LimeSurvey files that are broken, hostile or huge: refused with ``SurveyFileError`` (a worded
message), never another exception, never a zip bomb inflated into memory; a written XLSForm reads back."""

from __future__ import annotations

import socket
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidens.surveys.definition import LONG_TEXT, SINGLE_CHOICE, Choice, Question, Section, SurveyDefinition
from evidens.surveys.inspection import SurveyFileError
from evidens.surveys.limesurvey import read_lss
from evidens.surveys.xlsform import MAX_UNPACKED_BYTES, read_xlsform, write_xlsform
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

DATA = Path(__file__).resolve().parents[1] / "data"
XLSFORMS = sorted((DATA / "xlsform").glob("*.xlsx"))
LSS_FILES = sorted((DATA / "limesurvey").glob("*.lss"))


def _parses_or_refuses(reader: Any, data: bytes) -> None:
    read_or_refuse(reader, data, SurveyFileError)


@MODEST
@given(st.binary(max_size=2000), st.sampled_from([b"", b"PK\x03\x04", b"<?xml version='1.0'?><document>"]))
def test_random_bytes(data: bytes, start: bytes) -> None:
    _parses_or_refuses(read_xlsform, start + data)
    _parses_or_refuses(read_lss, start + data)


@settings(max_examples=40, deadline=5000)  # each example reads a whole workbook
@given(st.sampled_from(XLSFORMS), st.integers(0, 2**32), st.integers(1, 6), st.booleans())
def test_a_real_xlsform_with_bytes_changed(path: Path, seed: int, edits: int, inside: bool) -> None:
    data = path.read_bytes()
    _parses_or_refuses(read_xlsform, mutated_part(members_of(data), seed, edits) if inside
                       else mutated(data, seed, edits))


@MODEST
@given(st.sampled_from(LSS_FILES), st.integers(0, 2**32), st.integers(1, 6))
def test_a_real_lss_with_bytes_changed(path: Path, seed: int, edits: int) -> None:
    _parses_or_refuses(read_lss, mutated(path.read_bytes(), seed, edits))


def test_an_xlsform_zip_bomb_is_refused_without_being_inflated() -> None:
    members = members_of((DATA / "xlsform" / "group.xlsx").read_bytes())
    bomb = zip_bomb(members, "xl/worksheets/sheet1.xml", after=b"<sheetData>", padding=MAX_UNPACKED_BYTES + 2**20)
    assert len(bomb) < 1024 * 1024
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(SurveyFileError, match="MB"):
            read_xlsform(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024  # the 100 MB inside were never held
    assert time.monotonic() - started < 30


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every network connection tried during the test (none is made)."""
    tried: list[object] = []

    def refuse(_socket: socket.socket, address: object) -> None:
        tried.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    return tried


def _refused_or_harmless(reader: object, data: bytes, connections: list[object]) -> None:
    """Refused, or read past without expanding or fetching anything: openpyxl reads some parts with lxml and
    ``resolve_entities=False``, so an entity there stays a harmless unresolved reference."""
    try:
        result = reader(data)  # type: ignore[operator]
    except SurveyFileError:
        return
    assert not connections
    assert "lollollol" not in repr(result)
    assert "root:" not in repr(result)


@pytest.mark.parametrize("hostility", sorted(HOSTILE_PROLOGUES))
@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"])
def test_hostile_xml_inside_an_xlsform(hostility: str, part: str, connections: list[object]) -> None:
    members = members_of((DATA / "xlsform" / "group.xlsx").read_bytes())
    assert part in members
    members[part] = with_hostile_prologue(members[part], HOSTILE_PROLOGUES[hostility], ENTITY_USE[hostility])
    _refused_or_harmless(read_xlsform, zipped(members), connections)


@pytest.mark.parametrize("hostility", sorted(HOSTILE_PROLOGUES))
def test_hostile_xml_in_a_limesurvey_file(hostility: str, connections: list[object]) -> None:
    data = with_hostile_prologue((DATA / "limesurvey" / "limesurvey_survey_question_list.lss").read_bytes(),
                                 HOSTILE_PROLOGUES[hostility], ENTITY_USE[hostility])
    if hostility == "external DTD":  # declared but never fetched: expat does not load external DTDs
        assert read_lss(data).definition.sections
    else:  # the whole file goes through defusedxml, which refuses entities
        with pytest.raises(SurveyFileError):
            read_lss(data)
    assert not connections


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_a_limesurvey_file_in_another_encoding_is_read_or_refused(encoding: str) -> None:
    text = (DATA / "limesurvey" / "limesurvey_survey_question_list.lss").read_text(encoding="utf-8")
    _parses_or_refuses(read_lss, text.encode(encoding, errors="replace"))


def test_nul_bytes_in_a_limesurvey_file_are_refused() -> None:
    data = (DATA / "limesurvey" / "limesurvey_survey_question_list.lss").read_bytes()
    with pytest.raises(SurveyFileError):
        read_lss(data[:500] + b"\x00" * 10 + data[500:])


# --- writing and reading back --------------------------------------------------------------------------------

# Texts a secretariat may write: formula starts, HTML, quotes, Danish letters. Left out: spaces other than " "
# (pyxform turns a no-break space into a space), spaces at the ends and line breaks (pyxform trims labels),
# "$" (piping, reported) and control characters, which XML 1.0 cannot hold.
LABELS = st.text(st.characters(whitelist_categories=("L", "N", "P", "S"), whitelist_characters=" ",
                               blacklist_characters="$"),
                 min_size=1, max_size=40).map(str.strip).filter(bool)


@settings(max_examples=40, deadline=10_000)
@given(title=LABELS, section=LABELS, question=LABELS, choices=st.lists(LABELS, min_size=2, max_size=4, unique=True))
def test_a_written_xlsform_reads_back_with_the_same_texts(title: str, section: str, question: str,
                                                          choices: list[str]) -> None:
    definition = SurveyDefinition(
        title={"da": title}, languages=["da"],
        sections=[Section(name="afsnit", title={"da": section}, questions=[
            Question(name="valg", type=SINGLE_CHOICE, label={"da": question},
                     choices=[Choice(value=f"v{index}", label={"da": label}) for index, label in enumerate(choices)]),
            Question(name="fritekst", type=LONG_TEXT, label={"da": question}),
        ])])
    result = read_xlsform(write_xlsform(definition))
    read = result.definition
    assert read.title == {"da": title}
    assert read.sections[0].title == {"da": section}
    asked = read.sections[0].questions
    assert [question.label for question in asked] == [{"da": question}, {"da": question}]
    assert [choice.label for choice in asked[0].choices] == [{"da": label} for label in choices]
