"""``evidens stakeholders import`` and ``evidens stakeholders export``."""

from __future__ import annotations

import io
import json
import re
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
    # The report is in the installation's language (Danish): the file, the columns read, the result.
    assert "organisationer.csv: 2 rækker med organisationer\n" in out
    assert "  Organisation -> name (Navn)\n  Type -> kind (Type)\n" in out
    assert "2 organisationer blev importeret.\n" in out
    assert "personer blev importeret" not in out
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
    with pytest.raises(CommandError) as error:
        call_command("stakeholders_import", str(path), "--process", "proc", "--kind", "people", stdout=stdout)
    assert str(error.value) == "Intet blev importeret: 2 rækker har fejl."
    text = stdout.getvalue()
    assert "people.csv: 3 rækker med personer" in text
    assert "Valideringsrapport" in text and "Række" in text and "Kolonne" in text
    assert "b@@x" in text and "Slet senest" in text


def test_dry_run_report_in_danish(cast: Cast, organisations_file: Path) -> None:
    out, _err = _run("stakeholders", "import", str(organisations_file), "--process", "proc",
                     "--kind", "organisations", "--dry-run")
    assert out.endswith("Alle rækker er gyldige. Intet blev gemt (--dry-run).\n")
    assert not Organisation.objects.filter(process=cast.process).exists()


def test_import_argument_errors(cast: Cast, organisations_file: Path) -> None:
    with pytest.raises(CommandError, match=r"^Der er ingen proces med kortnavnet nope\.$"):
        _run("stakeholders", "import", str(organisations_file), "--process", "nope", "--kind", "organisations")
    with pytest.raises(CommandError) as error:
        _run("stakeholders", "import", str(organisations_file), "--process", "proc", "--kind", "organisations",
             "--map", "Navnet=name")
    assert str(error.value) == ("Filen har ingen kolonne »Navnet«; filens kolonner er: »Organisation«, »Type«, "
                                "»Medlem«, »Antal boliger«, »Region«.")
    with pytest.raises(CommandError) as error:
        _run("stakeholders", "import", str(organisations_file), "--process", "proc", "--kind", "organisations",
             "--map", "Navnet=name", "--map", "Mangler=homes")
    assert str(error.value).startswith("Filen har ikke kolonnerne »Navnet«, »Mangler«; filens kolonner er: ")
    # One message: the problem from the mapping, then how to choose the columns.
    with pytest.raises(CommandError, match=re.escape(
            'Vælg den kolonne, der indeholder navnet. Vælg kolonnerne med --map "Overskrift=felt".')):
        _run("stakeholders", "import", str(organisations_file), "--process", "proc", "--kind", "organisations",
             "--map", "Organisation=")
    with pytest.raises(CommandError, match=r"^/nonexistent\.csv kan ikke læses: "):
        _run("stakeholders", "import", "/nonexistent.csv", "--process", "proc", "--kind", "organisations")


def test_export_then_import_elsewhere(cast: Cast, organisations_file: Path, tmp_path: Path) -> None:
    _run("stakeholders", "import", str(organisations_file), "--process", "proc", "--kind", "organisations")
    out_file = tmp_path / "export.xlsx"
    out, _err = _run("stakeholders", "export", "--process", "proc", "--kind", "organisations", "--format", "xlsx",
                     "--out", str(out_file))
    assert out == f"Organisationerne i proc er skrevet til {out_file} ({out_file.stat().st_size:,} byte).\n".replace(
        ",", ".")
    sheet = load_workbook(out_file).active
    assert sheet is not None
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Æblegården", "Østerbo"]
    _run("stakeholders", "import", str(out_file), "--process", "other", "--kind", "organisations")
    assert list(Organisation.objects.filter(process=cast.other_process).values_list("name", "homes")) == [
        ("Æblegården", 1200), ("Østerbo", None)]
    csv_file = tmp_path / "export.csv"
    _run("stakeholders", "export", "--process", "proc", "--kind", "people", "--out", str(csv_file))
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")
    with pytest.raises(CommandError, match=re.escape("Angiv --format csv eller xlsx (eller en fil i --out, der ender "
                                                     "på .csv eller .xlsx).")):
        _run("stakeholders", "export", "--process", "proc", "--kind", "people", "--out", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match=r"^Der er ingen proces med kortnavnet nope\.$"):
        _run("stakeholders", "export", "--process", "nope", "--kind", "people", "--out", str(csv_file))
