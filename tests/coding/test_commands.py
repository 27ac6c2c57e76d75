"""``evidens qda export`` and ``evidens qda import``: the counts they print, the files they write and read, and their
refusals. Counts are worked out by hand from what each test codes."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from evidens.cli import command_line
from evidens.coding import services
from evidens.coding.models import Code, Coding, Document, DocumentOrigin
from evidens.processes.models import StrategyProcess
from tests.conftest import Cast

DATA = Path(__file__).resolve().parent.parent / "data" / "refi-qda"


def evidens(*args: str) -> str:
    """Run ``evidens ARGS`` the way the console command maps them, and return what it printed."""
    out = io.StringIO()
    call_command(*command_line(list(args)), stdout=out)
    return out.getvalue()


def coded(process: StrategyProcess, actor: Any) -> None:
    """2 texts, 3 codes (one nested, one unused) and 3 codings."""
    first = services.document_create(process=process, origin=DocumentOrigin.INTERVIEW, title="I01",
                                     text="Kontingentet er for højt. Netværket er godt.")
    second = services.document_create(process=process, origin=DocumentOrigin.INTERVIEW, title="I02",
                                      text="Netværket giver meget.")
    economy = services.code_create(process=process, actor=None, name="Økonomi")
    fee = services.code_create(process=process, actor=None, name="Kontingent", parent=economy)
    network = services.code_create(process=process, actor=None, name="Netværk")
    services.coding_apply(document=first, actor=actor, codes=[fee], start=0, end=25)  # "Kontingentet er for højt."
    services.coding_apply(document=first, actor=actor, codes=[network], start=26, end=35)  # "Netværket"
    services.coding_apply(document=second, actor=actor, codes=[network], start=0, end=9)  # "Netværket"


def test_export_prints_its_counts_as_json_and_writes_the_project(cast: Cast, tmp_path: Path) -> None:
    coded(cast.process, cast.users["analyst"])
    target = tmp_path / "kodning.qdpx"
    out = io.StringIO()
    call_command("qda_export", process="proc", out=str(target), as_json=True, stdout=out)
    assert out.getvalue().strip() == '{"sources": 2, "codes": 3, "codings": 3}'
    with zipfile.ZipFile(target) as archive:
        assert "project.qde" in archive.namelist()
        assert len([name for name in archive.namelist() if name.startswith("sources/")]) == 2


def test_the_console_command_qda_export_is_qda_export(cast: Cast, tmp_path: Path) -> None:
    assert command_line(["qda", "export", "--process", "proc", "--out", "x.qdpx", "--json"]) == [
        "qda_export", "--process", "proc", "--out", "x.qdpx", "--json"]
    assert command_line(["qda", "import", "x.qdpx", "--process", "proc"]) == [
        "qda_import", "x.qdpx", "--process", "proc"]
    coded(cast.process, cast.users["analyst"])
    printed = evidens("qda", "export", "--process", "proc", "--out", str(tmp_path / "kodebog.qdc"), "--json")
    # A .qdc holds the codebook alone: its 3 codes, no texts, no codings.
    assert json.loads(printed) == {"sources": 0, "codes": 3, "codings": 0}
    assert (tmp_path / "kodebog.qdc").read_bytes().startswith(b"<?xml")


def test_export_without_json_speaks_danish(cast: Cast, tmp_path: Path) -> None:
    coded(cast.process, cast.users["analyst"])
    printed = evidens("qda", "export", "--process", "proc", "--out", str(tmp_path / "k.qdpx"))
    assert "2 tekster, 3 koder, 3 kodninger" in printed


def test_import_prints_the_same_counts_and_a_repeat_adds_nothing(cast: Cast, tmp_path: Path) -> None:
    coded(cast.process, cast.users["analyst"])
    exported = tmp_path / "kodning.qdpx"
    evidens("qda", "export", "--process", "proc", "--out", str(exported))

    printed = evidens("qda", "import", str(exported), "--process", "other", "--json")
    assert json.loads(printed) == {"sources": 2, "codes": 3, "codings": 3}
    assert printed.strip() == '{"sources": 2, "codes": 3, "codings": 3}'
    assert (Document.objects.filter(process=cast.other_process).count(),
            Code.objects.filter(process=cast.other_process).count(),
            Coding.objects.filter(document__process=cast.other_process).count()) == (2, 3, 3)

    evidens("qda", "import", str(exported), "--process", "other", "--json")
    assert Coding.objects.filter(document__process=cast.other_process).count() == 3


def test_import_of_a_codebook_and_its_report_of_merged_codes(cast: Cast, tmp_path: Path) -> None:
    coded(cast.process, cast.users["analyst"])
    codebook = tmp_path / "kodebog.qdc"
    evidens("qda", "export", "--process", "proc", "--out", str(codebook))
    services.code_create(process=cast.other_process, actor=None, name="Netværk")
    printed = evidens("qda", "import", str(codebook), "--process", "other")
    assert "3 koder" in printed and "Netværk" in printed.splitlines()[1]
    assert Code.objects.filter(process=cast.other_process).count() == 3  # Netværk was there already


def test_a_real_project_through_the_command_line(cast: Cast) -> None:
    # tests/data/refi-qda/README.md: 2 text sources, 152 codes, 303 codings.
    printed = evidens("qda", "import", str(DATA / "nvivo-win-12.6_oltas0517.qdpx"), "--process", "proc", "--json")
    assert json.loads(printed) == {"sources": 2, "codes": 152, "codings": 303}


@pytest.mark.parametrize("args", [
    ("qda", "export", "--process", "nowhere", "--out", "x.qdpx"),
    ("qda", "import", str(DATA / "qc-1.3.2_demo.qdpx"), "--process", "nowhere"),
])
def test_an_unknown_process_is_refused(cast: Cast, tmp_path: Path, args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError, match="Der er ingen proces med kortnavnet nowhere"):
        evidens(*args)
    assert not Document.objects.exists()


def test_a_file_that_cannot_be_read_is_refused(cast: Cast, tmp_path: Path) -> None:
    broken = tmp_path / "broken.qdpx"
    broken.write_bytes(b"this is not a zip")
    with pytest.raises(CommandError, match="ikke et zip-arkiv"):
        evidens("qda", "import", str(broken), "--process", "proc")
    with pytest.raises(CommandError):
        evidens("qda", "import", str(tmp_path / "missing.qdpx"), "--process", "proc")
    assert not Code.objects.exists()


def test_export_to_a_folder_that_does_not_exist_is_refused(cast: Cast, tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        evidens("qda", "export", "--process", "proc", "--out", str(tmp_path / "no" / "such" / "x.qdpx"))
