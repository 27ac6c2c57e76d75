"""``evidens backup`` / ``evidens restore``: one archive, and a restore that gives the same content.

The round trips run the console command in subprocesses, each with its own data directory and
SQLite, also when the suite runs against PostgreSQL. One test backs up the test database in-process
(PostgreSQL in that run) and restores it into SQLite.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import sqlite3
import stat
import tarfile
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import translation

from evidens.core.backup import (
    BackupError,
    backup_create,
    backup_restore,
    check_manifest,
    check_members,
    excluded_models,
    member_problem,
    target_problem,
)
from evidens.core.management.commands.backup import size_text
from evidens.core.models import FailedLogin
from evidens.processes import services
from evidens.processes.models import StrategyProcess
from evidens.stakeholders.models import Organisation
from tests.conftest import Cast
from tests.core.test_cli import STRONG_PASSWORD, evidens, migrated_data_dir, migrated_template

__all__ = ["migrated_template"]  # a fixture, used by name


@pytest.fixture(autouse=True)
def danish() -> Iterator[None]:
    """The in-process checks speak Danish, the installation language ``evidens restore`` runs in."""
    with translation.override("da"):
        yield

BUILD_DATA = f"""
from datetime import date
from decimal import Decimal
from evidens.processes import services
process = services.process_create(slug="backup", name="Backup-proces", organisation="Foreningen")
user = services.user_create(username="sekr", password={STRONG_PASSWORD!r}, email="sekr@example.org")
services.membership_set(process=process, actor=None, user=user, role="secretariat")
services.process_update(process=process, actor=user, status="active", total_budget=Decimal("492000.00"),
                        start_date=date(2020, 9, 1), end_date=date(2021, 6, 30), funders="Realdania",
                        purpose="Fælles retning mod 2030 - med æ, ø og å.")
services.budget_line_save(process=process, actor=user, category="Konsulent", budgeted=Decimal("250000"),
                          spent=Decimal("120000.50"))
services.steering_seat_add(process=process, actor=user, person_name="Anne Andersen", organisation="KAB",
                           role="formand")
phase = process.phases.get(order=2)
services.milestone_add(phase=phase, actor=user, name="Interviews afsluttet", due_date=date(2021, 2, 1))
"""


TARGET_HOLDS_DATA = ("Måldatabasen indeholder allerede data ({}). Gendan kun i en tom installation: lad "
                     "EVIDENS_DATA_DIR (og EVIDENS_DATABASE_URL, hvis den bruges) pege på et nyt, tomt sted.")


def dump(data_dir: Path) -> str:
    args = ["dumpdata", "--natural-foreign", "--natural-primary", "--indent", "1"]
    for label in excluded_models():
        args += ["--exclude", label]
    return evidens(data_dir, *args).stdout


def files_under(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def source(migrated_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with a process, its facts, a member, an uploaded file and an analytics file.

    Shared by the tests of this module, which must leave it as it is.
    """
    data_dir = migrated_data_dir(migrated_template, tmp_path_factory.mktemp("backup") / "source")
    evidens(data_dir, "shell", "--no-imports", "--command", BUILD_DATA)
    (data_dir / "media" / "processes" / "1").mkdir(parents=True)
    (data_dir / "media" / "processes" / "1" / "bilag æøå.pdf").write_bytes(b"%PDF-1.4 \x00\xff" * 500)
    (data_dir / "analytics" / "1" / "imports").mkdir(parents=True)
    (data_dir / "analytics" / "1" / "imports" / "7.parquet").write_bytes(bytes(range(256)) * 40)
    return data_dir


@pytest.fixture(scope="module")
def source_dump(source: Path) -> str:
    return dump(source)


@pytest.fixture(scope="module")
def backup_output(source: Path) -> tuple[Path, str]:
    out = source.parent / "evidens.tar.gz"
    return out, evidens(source, "backup", "--out", str(out)).stdout


@pytest.fixture(scope="module")
def archive(backup_output: tuple[Path, str]) -> Path:
    return backup_output[0]


DANISH_MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
                 "november", "december"]


def test_backup_reports_in_danish(backup_output: tuple[Path, str]) -> None:
    archive, stdout = backup_output
    # Two files (the upload and the analytics file), their size with a decimal comma.
    assert re.fullmatch(
        rf"Sikkerhedskopien er skrevet til {re.escape(str(archive))}: databasen og 2 filer \(\d+,\d kB før "
        r"komprimering\)\. Den indeholder personoplysninger; opbevar den sikkert\.\n", stdout), stdout


@pytest.mark.parametrize(("language", "size", "expected"), [
    ("da", 1, "1 byte"), ("da", 940, "940 byte"), ("da", 12_345_678, "12,3 MB"),
    ("da", 2_500_000_000_000, "2.500,0 GB"),
    ("en", 1, "1 byte"), ("en", 940, "940 bytes"), ("en", 1_500, "1.5 kB"),
    ("en", 2_500_000_000_000, "2,500.0 GB"),
])
def test_sizes_are_written_in_the_language(language: str, size: int, expected: str) -> None:
    with translation.override(language):
        assert size_text(size) == expected


def test_a_restore_into_an_empty_data_directory_gives_the_same_content(
    source: Path, source_dump: str, archive: Path, tmp_path: Path
) -> None:
    target = tmp_path / "target"

    result = evidens(target, "restore", str(archive))

    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        rows = len(json.loads(tar.extractfile("data.json").read()))  # type: ignore[union-attr]
    made = datetime.fromisoformat(manifest["created_at"]).astimezone(ZoneInfo("Europe/Copenhagen"))
    assert result.stdout == (
        f"Sikkerhedskopien {archive} er gendannet (taget {made.day}. {DANISH_MONTHS[made.month - 1]} {made.year} "
        f"{made:%H:%M} af Evidens {manifest['evidens_version']} med sqlite):\n"
        f"  {rows} rækker i databasen\n"
        "  2 filer\n"
    )
    assert '"Anne Andersen"' in source_dump and '"492000.00"' in source_dump and '"sekr"' in source_dump
    assert dump(target) == source_dump
    assert files_under(target / "media") == files_under(source / "media")
    assert files_under(target / "analytics") == files_under(source / "analytics")
    assert len(files_under(target / "media")) == 1
    # The password hash travels along: the user can log in to the restored installation.
    check = evidens(target, "shell", "--no-imports", "--command",
                    f"from evidens.core.models import User; print(User.objects.get(username='sekr')"
                    f".check_password({STRONG_PASSWORD!r}))")
    assert check.stdout.strip() == "True"


def test_the_archive_is_private_and_its_manifest_lists_every_member(source: Path, archive: Path) -> None:
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        contents = {name: tar.extractfile(name).read()  # type: ignore[union-attr]
                    for name in names if name != "manifest.json"}
    assert set(names) == {"manifest.json", "data.json", "media/processes/1/bilag æøå.pdf",
                          "analytics/1/imports/7.parquet"}
    assert manifest["format"] == "evidens-backup"
    assert manifest["format_version"] == 1
    assert manifest["database_engine"] == "sqlite"
    assert manifest["evidens_version"]
    assert manifest["created_at"].endswith("+00:00")
    assert "processes.0001_initial" in manifest["migrations"]
    assert {entry["path"]: entry["sha256"] for entry in manifest["contents"]} == {
        name: sha256(data) for name, data in contents.items()
    }
    pdf = "media/processes/1/bilag æøå.pdf"
    assert contents[pdf] == (source / pdf).read_bytes()
    # Only the models the brief names are left out; the data itself is all there.
    data = json.loads(contents["data.json"])
    models = {row["model"] for row in data}
    assert {"processes.strategyprocess", "processes.phase", "processes.membership", "core.user",
            "processes.auditentry"} <= models
    assert not models & {"contenttypes.contenttype", "auth.permission", "sessions.session",
                         "django_tasks_database.dbtaskresult"}


def test_backup_does_not_overwrite_an_existing_file(source: Path, tmp_path: Path) -> None:
    archive = tmp_path / "evidens.tar.gz"
    archive.write_text("older backup")

    result = evidens(source, "backup", "--out", str(archive), check=False)

    assert result.returncode != 0
    assert f"{archive} findes allerede; vælg et andet navn, eller angiv --overwrite." in result.stderr
    assert archive.read_text() == "older backup"


def test_restore_refuses_a_target_that_holds_data(source: Path, source_dump: str, archive: Path) -> None:
    result = evidens(source, "restore", str(archive), check=False)

    assert result.returncode != 0
    # BUILD_DATA: the process with its five phases, one of everything else, and six audit entries
    # (the process, the membership, the update, the budget line, the seat and the milestone).
    assert TARGET_HOLDS_DATA.format(
        "1 bruger, 1 strategiproces, 1 teammedlem, 5 faser, 1 milepæl, 1 budgetpost, 1 styregruppemedlem, "
        "6 poster i ændringsloggen") in result.stderr
    assert dump(source) == source_dump


def rewrite_archive(archive: Path, out: Path, change: dict[str, bytes]) -> None:
    """Copy ``archive`` to ``out`` with other bytes in some members (and the same manifest)."""
    with tarfile.open(archive) as source, tarfile.open(out, "w:gz") as target:
        for info in source.getmembers():
            data = source.extractfile(info).read()  # type: ignore[union-attr]
            if info.name in change:
                data = change[info.name]
                info.size = len(data)
            target.addfile(info, io.BytesIO(data))


def test_restore_refuses_a_damaged_file_and_changes_nothing(archive: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.tar.gz"
    rewrite_archive(archive, damaged, {"analytics/1/imports/7.parquet": b"not the same bytes"})
    target = tmp_path / "target"

    result = evidens(target, "restore", str(damaged), check=False)

    assert result.returncode != 0
    assert ("analytics/1/imports/7.parquet er beskadiget: filens sha256 stemmer ikke med manifestet. "
            "Intet blev gendannet.") in result.stderr
    assert not (target / "analytics").exists() or not files_under(target / "analytics")
    assert not (target / "media").exists() or not files_under(target / "media")
    # Not even migrated: the files are checked before anything is written to the database.
    with closing(sqlite3.connect(target / "evidens.sqlite3")) as db:
        assert db.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)


@pytest.mark.parametrize(
    ("name", "kind", "problem"),
    [
        ("data.json", tarfile.REGTYPE, None),
        ("manifest.json", tarfile.REGTYPE, None),
        ("media/processes/1/a.pdf", tarfile.REGTYPE, None),
        ("analytics/1/x.parquet", tarfile.REGTYPE, None),
        ("/etc/passwd", tarfile.REGTYPE, "»/etc/passwd« er en absolut sti"),
        ("media/../../etc/cron.d/x", tarfile.REGTYPE, "»media/../../etc/cron.d/x« peger uden for sin mappe"),
        ("../outside", tarfile.REGTYPE, "»../outside« peger uden for sin mappe"),
        ("media//a", tarfile.REGTYPE, "»media//a« peger uden for sin mappe"),
        ("media\\..\\x", tarfile.REGTYPE, "»media\\..\\x« er en absolut sti"),
        ("media/link", tarfile.SYMTYPE, "»media/link« er ikke en almindelig fil (links og enheder er aldrig en del af "
                                        "en sikkerhedskopi)"),
        ("media/hard", tarfile.LNKTYPE, "»media/hard« er ikke en almindelig fil"),
        ("media/dev", tarfile.CHRTYPE, "»media/dev« er ikke en almindelig fil"),
        ("media", tarfile.DIRTYPE, "»media« er ikke en almindelig fil"),
        ("secret_key", tarfile.REGTYPE, "»secret_key« hører ikke til en sikkerhedskopi fra Evidens"),
        ("static/x.css", tarfile.REGTYPE, "»static/x.css« hører ikke til en sikkerhedskopi fra Evidens"),
        ("media", tarfile.REGTYPE, "»media« hører ikke til en sikkerhedskopi fra Evidens"),
    ],
)
def test_only_plain_files_in_the_known_folders_pass(name: str, kind: bytes, problem: str | None) -> None:
    info = tarfile.TarInfo(name)
    info.type = kind

    found = member_problem(info)

    assert found is None if problem is None else problem in (found or "")


def regular(name: str) -> tarfile.TarInfo:
    return tarfile.TarInfo(name)


def test_members_must_match_the_manifest() -> None:
    manifest = {"contents": [{"path": "data.json", "sha256": "0"}, {"path": "media/a", "sha256": "0"}]}
    check_members([regular("manifest.json"), regular("data.json"), regular("media/a")], manifest)

    with pytest.raises(BackupError) as unlisted:
        check_members([regular("manifest.json"), regular("data.json"), regular("media/a"), regular("media/b")],
                      manifest)
    with pytest.raises(BackupError) as missing:
        check_members([regular("manifest.json"), regular("data.json")], manifest)
    with pytest.raises(BackupError) as twice:
        check_members([regular("manifest.json"), regular("data.json"), regular("media/a"), regular("media/a")],
                      manifest)

    invalid = "Dette er ikke en gyldig sikkerhedskopi fra Evidens: "
    assert str(unlisted.value) == invalid + "står ikke i manifestet: media/b"
    assert str(missing.value) == invalid + "mangler i arkivet: media/a"
    assert str(twice.value) == invalid + "arkivet indeholder det samme navn to gange"


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ([], "Dette er ikke en sikkerhedskopi fra Evidens (manifest.json har et forkert format)."),
        ({"format": "tar"}, "Dette er ikke en sikkerhedskopi fra Evidens (manifest.json har et forkert format)."),
        ({"format": "evidens-backup", "format_version": 2, "contents": []},
         "Sikkerhedskopien har formatversion 2; denne Evidens kan læse op til version 1. Opgradér Evidens først."),
        ({"format": "evidens-backup", "format_version": 1, "contents": [{"path": "data.json"}]},
         "manifest.json har ingen gyldig indholdsliste."),
    ],
)
def test_a_foreign_or_newer_manifest_is_refused(manifest: Any, message: str) -> None:
    with pytest.raises(BackupError) as refused:
        check_manifest(manifest)

    assert str(refused.value) == message


@pytest.fixture
def empty_data_dir(tmp_path: Path, settings: Any) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = settings.DATA_DIR / "media"
    settings.ANALYTICS_ROOT = settings.DATA_DIR / "analytics"
    settings.DATA_DIR.mkdir()
    return Path(settings.DATA_DIR)


def test_a_migrated_database_and_an_empty_data_directory_can_take_a_restore(db: None, empty_data_dir: Path) -> None:
    assert target_problem() is None


def test_a_row_in_any_of_evidens_own_tables_makes_the_target_hold_data(db: None, empty_data_dir: Path) -> None:
    """Not only processes and users: a failed login is a row in core that loaddata could collide with."""
    FailedLogin.objects.create(username_digest="0" * 64)

    assert target_problem() == TARGET_HOLDS_DATA.format("1 mislykket loginforsøg")


def test_rows_of_apps_above_core_are_counted_with_their_names(db: None, empty_data_dir: Path) -> None:
    process = StrategyProcess.objects.create(slug="maal", name="Mål", organisation="Foreningen")
    Organisation.objects.create(process=process, name="KAB")
    Organisation.objects.create(process=process, name="FSB")

    assert target_problem() == TARGET_HOLDS_DATA.format("1 strategiproces, 2 organisationer")


def test_a_file_in_the_data_directory_makes_the_target_hold_data(db: None, empty_data_dir: Path) -> None:
    (empty_data_dir / "analytics" / "1").mkdir(parents=True)
    (empty_data_dir / "analytics" / "1" / "x.parquet").write_bytes(b"PAR1")

    assert target_problem() == (f"Mappen {empty_data_dir / 'analytics'} indeholder allerede filer. "
                                "Gendan kun i en tom datamappe.")


def test_restore_rejects_an_archive_that_writes_outside_before_writing_anything(
    db: None, empty_data_dir: Path, tmp_path: Path
) -> None:
    data = b"[]"
    manifest = {"format": "evidens-backup", "format_version": 1, "migrations": [],
                "contents": [{"path": "data.json", "sha256": sha256(data)},
                             {"path": "media/../../escaped", "sha256": sha256(b"x")}]}
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, payload in (("data.json", data), ("media/../../escaped", b"x"),
                              ("manifest.json", json.dumps(manifest).encode())):
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))

    with pytest.raises(BackupError) as refused:
        backup_restore(archive=archive)

    assert str(refused.value) == ("Dette er ikke en gyldig sikkerhedskopi fra Evidens: "
                                  "»media/../../escaped« peger uden for sin mappe")

    assert not (tmp_path / "escaped").exists()
    assert not (empty_data_dir.parent / "escaped").exists()
    assert [path.name for path in empty_data_dir.iterdir()] == []


def test_a_backup_of_this_database_restores_into_sqlite(
    cast: Cast, empty_data_dir: Path, tmp_path: Path, migrated_template: Path
) -> None:
    """In the PostgreSQL run this backs up PostgreSQL and restores into SQLite: the format is portable."""
    services.budget_line_save(process=cast.process, actor=cast.users["secretariat"], category="Analyse",
                              budgeted=Decimal("1000.25"))
    (empty_data_dir / "media").mkdir()
    (empty_data_dir / "media" / "upload.csv").write_text("navn;e-mail\n")
    archive = tmp_path / "portable.tar.gz"

    summary = backup_create(out=archive)

    assert summary.files == 1
    expected = StringIO()
    call_command("dumpdata", use_natural_foreign_keys=True, use_natural_primary_keys=True,
                 exclude=excluded_models(), indent=1, stdout=expected)
    target = tmp_path / "target"
    evidens(target, "restore", str(archive))
    assert dump(target).strip() == expected.getvalue().strip()
    assert (target / "media" / "upload.csv").read_text() == "navn;e-mail\n"
