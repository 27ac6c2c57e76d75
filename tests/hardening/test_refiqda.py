"""REFI-QDA projects and codebooks under broken, hostile and huge files: ``RefiError`` with a worded message and
nothing else; a written project reads back as itself; an import that fails half way stores nothing."""

from __future__ import annotations

import time
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from evidens.coding import refiqda, services
from evidens.coding.models import Code, Coding, Document
from evidens.coding.refiqda import MAX_UNCOMPRESSED_BYTES, Project, RefiError, read_qdc, read_qdpx, write_qdpx
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

DATA = Path(__file__).resolve().parents[1] / "data" / "refi-qda"
PROJECTS = [DATA / "qc-1.3.2_demo.qdpx", DATA / "nvivo-mac-15_nvivo_project.qdpx"]  # the small ones: quick


def _read_or_refuse(reader: Any, data: bytes) -> None:
    read_or_refuse(reader, data, RefiError)


@MODEST
@given(st.binary(max_size=2000), st.sampled_from([b"", b"PK\x03\x04", b"<?xml version='1.0'?><CodeBook>"]))
def test_random_bytes(data: bytes, start: bytes) -> None:
    _read_or_refuse(read_qdpx, start + data)
    _read_or_refuse(read_qdc, start + data)


@MODEST
@given(st.sampled_from(PROJECTS), st.integers(0, 2**32), st.integers(1, 6), st.booleans())
def test_a_real_project_with_bytes_changed(path: Path, seed: int, edits: int, inside: bool) -> None:
    data = path.read_bytes()
    _read_or_refuse(read_qdpx, mutated_part(members_of(data), seed, edits) if inside else mutated(data, seed, edits))


def _project() -> bytes:
    return (DATA / "qc-1.3.2_demo.qdpx").read_bytes()


def test_a_project_zip_bomb_is_refused_without_being_inflated() -> None:
    members = members_of(_project())
    qde = next(name for name in members if name.lower() == "project.qde")
    bomb = zip_bomb(members, qde, after=b">", padding=MAX_UNCOMPRESSED_BYTES + 2**20)
    assert len(bomb) < 1024 * 1024
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(RefiError):
            read_qdpx(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("hostility", ["billion laughs", "external entity"])
def test_entities_in_a_project_or_codebook_are_refused(hostility: str) -> None:
    members = members_of(_project())
    qde = next(name for name in members if name.lower() == "project.qde")
    members[qde] = with_hostile_prologue(members[qde], HOSTILE_PROLOGUES[hostility], ENTITY_USE[hostility])
    with pytest.raises(RefiError):
        read_qdpx(zipped(members))
    with pytest.raises(RefiError):
        read_qdc(with_hostile_prologue(refiqda.write_qdc([]), HOSTILE_PROLOGUES[hostility], ENTITY_USE[hostility]))


# --- writing and reading back --------------------------------------------------------------------------------

NAMES = st.text(st.characters(whitelist_categories=("L", "N", "P", "S"), whitelist_characters=" "),
                min_size=1, max_size=30).map(str.strip).filter(bool)
# Within the BMP and without CR every offset convention counts alike. Beyond it the reader guesses the writer's
# convention from word boundaries (see refiqda's docstring), which one random selection cannot settle.
TEXTS = st.text(st.characters(whitelist_categories=("L", "N", "P", "S", "Zs"), whitelist_characters="\n",
                              max_codepoint=0xFFFF), min_size=1, max_size=200)


@settings(max_examples=50, deadline=5000)
@given(names=st.lists(NAMES, min_size=1, max_size=4, unique=True), text=TEXTS, data=st.data())
def test_a_written_project_reads_back_as_itself(names: list[str], text: str, data: st.DataObject) -> None:
    import unicodedata

    text = unicodedata.normalize("NFC", text)
    codes = [refiqda.Code(guid=str(uuid.uuid4()), name=name) for name in names]
    source = refiqda.Source(guid=str(uuid.uuid4()), name="Interview 1", text=text)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    coding = refiqda.Coding(source=source.guid, start=start, end=end, code=codes[0].guid, coder="Anne")
    written = Project(codes=codes, sources=[source], codings=[coding])
    read = read_qdpx(write_qdpx(written))
    assert [(code.guid, code.name) for code in read.codes] == [(code.guid, code.name) for code in codes]
    assert [(source.guid, source.text) for source in read.sources] == [(source.guid, text)]
    assert [(c.source, c.start, c.end, c.code) for c in read.codings] == [(source.guid, start, end, codes[0].guid)]


# --- nothing stored half -------------------------------------------------------------------------------------


def _counts() -> tuple[int, int, int]:
    return Code.objects.count(), Document.objects.count(), Coding.objects.count()


@pytest.mark.django_db
def test_a_broken_project_stores_nothing(cast: Cast) -> None:
    before = _counts()
    with pytest.raises(ValidationError):
        services.project_import(process=cast.process, actor=None, data=_project()[:-200], name="brudt.qdpx")
    assert _counts() == before


@pytest.mark.django_db
def test_an_import_that_fails_half_way_stores_nothing(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    """Codes and texts are written before the codings: a failure at the first coding takes them back too."""
    project = read_qdpx(_project())
    assert project.codes and project.sources and project.codings

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Coding.objects, "get_or_create", fail)
    before = _counts()
    with pytest.raises(RuntimeError):
        services.project_import(process=cast.process, actor=None, data=_project(), name="demo.qdpx")
    assert _counts() == before
