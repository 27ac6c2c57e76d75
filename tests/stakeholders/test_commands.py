"""``evidens stakeholders import`` and ``evidens stakeholders export``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from evidens.cli import command_line
from evidens.processes.models import AuditEntry
from evidens.stakeholders import services
from evidens.stakeholders.models import Organisation, Person
from tests.conftest import Cast
from tests.stakeholders.helpers import xlsx_bytes


def _run(*args: str) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(*command_line(list(args)), stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def organisations_file(tmp_path: Path) -> Path:
    path = tmp_path / "organisationer.csv"
    path.write_bytes("Organisation;Type;Medlem;Antal boliger;Region\r\n"
                     "Æblegården;Almen boligorganisation;ja;1.200;Region Sjælland\r\n"
                     "Østerbo;kommune;nej;;\r\n".encode("cp1252"))
    return path


def test_import_organisations_then_people(cast: Cast, organisations_file: Path, tmp_path: Path) -> None:
    out, _err = _run("stakeholders", "import", str(organisations_file), "--process", "proc",
                     "--kind", "organisations")
    assert "Imported 2 organisations and 0 people into proc." in out
    organisation = Organisation.objects.get(process=cast.process, name="Æblegården")
    assert (organisation.kind, organisation.is_member, organisation.homes, organisation.region) == (
        "housing", True, 1200, "sjaelland")
    people = tmp_path / "people.xlsx"
    people.write_bytes(xlsx_bytes([["Fulde navn", "Mail", "Arbejdsgiver"],
                                   ["Åse Ærø", "aase@x.example", "æblegården"]]))
    out, _err = _run("stakeholders", "import", str(people), "--process", "proc", "--kind", "people",
                     "--map", "Fulde navn=name", "--map", "Arbejdsgiver=organisation_name", "--json")
    report = json.loads(out)
    assert report["valid"] and report["imported"] == {"organisations": 0, "people": 1}
    assert report["mapping"] == {"Fulde navn": "name", "Mail": "email", "Arbejdsgiver": "organisation_name"}
    assert Person.objects.get(process=cast.process, email="aase@x.example").organisation == organisation


def test_dry_run_stores_nothing(cast: Cast, organisations_file: Path) -> None:
    out, _err = _run("stakeholders", "import", str(organisations_file), "--process", "proc",
                     "--kind", "organisations", "--dry-run", "--json")
    report = json.loads(out)
    assert report["valid"] and report["dry_run"] and report["imported"] is None and report["rows"] == 2
    assert not Organisation.objects.filter(process=cast.process).exists()


def test_errors_print_the_report_and_exit_1(cast: Cast, tmp_path: Path) -> None:
    services.organisation_create(process=cast.process, actor=None, name="KAB")
    path = tmp_path / "people.csv"
    path.write_text("Navn,E-mail,Organisation,Slet senest\n"
                    "A,a@x.example,KAB,2030-01-01\n"
                    "B,b@@x,KAB,\n"
                    "C,c@x.example,Ukendt,31-13-2030\n", encoding="utf-8")
    before = (Person.objects.count(), AuditEntry.objects.count())
    stdout = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("stakeholders_import", str(path), "--process", "proc", "--kind", "people", "--json",
                     stdout=stdout)
    assert error.value.returncode == 1
    report = json.loads(stdout.getvalue())
    assert not report["valid"] and report["imported"] is None
    assert [(i["row"], i["column"], i["code"]) for i in report["issues"]] == [
        (3, "E-mail", "bad_email"), (4, "Slet senest", "bad_date"), (4, "Organisation", "unknown_organisation")]
    assert (Person.objects.count(), AuditEntry.objects.count()) == before
    # The human-readable report names the same rows.
    stdout = io.StringIO()
    with pytest.raises(CommandError):
        call_command("stakeholders_import", str(path), "--process", "proc", "--kind", "people", stdout=stdout)
    text = stdout.getvalue()
    assert "Validation report" in text and "b@@x" in text and "Nothing was imported." in text


def test_import_argument_errors(cast: Cast, organisations_file: Path) -> None:
    with pytest.raises(CommandError, match="No process"):
        _run("stakeholders", "import", str(organisations_file), "--process", "nope", "--kind", "organisations")
    with pytest.raises(CommandError, match="No column 'Navnet'"):
        _run("stakeholders", "import", str(organisations_file), "--process", "proc", "--kind", "organisations",
             "--map", "Navnet=name")
    with pytest.raises(CommandError, match="name"):
        _run("stakeholders", "import", str(organisations_file), "--process", "proc", "--kind", "organisations",
             "--map", "Organisation=")
    with pytest.raises(CommandError, match="Cannot read"):
        _run("stakeholders", "import", "/nonexistent.csv", "--process", "proc", "--kind", "organisations")


def test_export_then_import_elsewhere(cast: Cast, organisations_file: Path, tmp_path: Path) -> None:
    _run("stakeholders", "import", str(organisations_file), "--process", "proc", "--kind", "organisations")
    out_file = tmp_path / "export.xlsx"
    out, _err = _run("stakeholders", "export", "--process", "proc", "--kind", "organisations", "--format", "xlsx",
                     "--out", str(out_file))
    assert str(out_file) in out
    sheet = load_workbook(out_file).active
    assert sheet is not None
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Æblegården", "Østerbo"]
    _run("stakeholders", "import", str(out_file), "--process", "other", "--kind", "organisations")
    assert list(Organisation.objects.filter(process=cast.other_process).values_list("name", "homes")) == [
        ("Æblegården", 1200), ("Østerbo", None)]
    csv_file = tmp_path / "export.csv"
    _run("stakeholders", "export", "--process", "proc", "--kind", "people", "--out", str(csv_file))
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")
    with pytest.raises(CommandError):
        _run("stakeholders", "export", "--process", "proc", "--kind", "people", "--out", str(tmp_path / "x.pdf"))
