"""The operational commands: process create, createuser, serve and worker.

``process create`` and ``createuser`` run in-process (with the console command's word mapping)
against the test database. ``serve`` and ``worker`` run as real subprocesses with their own
data directory and SQLite, also when the suite runs against PostgreSQL.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError
from django.utils import translation

from evidens.cli import command_line
from evidens.core.management.commands.serve import ACCESS_LOG_FORMAT, gunicorn_argv
from evidens.processes.audit import audit_entries_for
from evidens.processes.models import AuditEntry, Membership, StrategyProcess
from tests.conftest import Cast

STRONG_PASSWORD = "blå hest batteri hæftning"

# --- helpers shared with test_backup ---------------------------------------------------------


def subprocess_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment for an ``evidens`` subprocess: its own data directory and SQLite database."""
    environment = {
        name: value for name, value in os.environ.items()
        if not name.startswith("EVIDENS_") and name != "DJANGO_SETTINGS_MODULE"
    }
    environment.update(EVIDENS_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="evidens.settings", **extra)
    return environment


def evidens(data_dir: Path, *args: str, check: bool = True, timeout: float = 180,
            **extra_env: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "evidens", *args],
        env=subprocess_env(data_dir, **extra_env), cwd=data_dir.parent,
        capture_output=True, text=True, timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"evidens {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result


def migrated_data_dir(template: Path, target: Path) -> Path:
    """A data directory whose SQLite database is a copy of an already migrated one (saves ~2 s)."""
    target.mkdir(parents=True)
    shutil.copy2(template / "evidens.sqlite3", target / "evidens.sqlite3")
    return target


@pytest.fixture(scope="module")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    template = tmp_path_factory.mktemp("template") / "data"
    evidens(template, "migrate", "--noinput", "--verbosity", "0")
    return template


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def first_answer(server: subprocess.Popen[Any], port: int, path: str,
                 seconds: float = 60) -> http.client.HTTPResponse:
    """The first response of a server that is starting: asks for ``path`` until it answers."""
    deadline = time.monotonic() + seconds
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            return response
        except OSError:
            assert server.poll() is None, "the server stopped"
            assert time.monotonic() < deadline, f"the server did not answer within {seconds:.0f} s"
            time.sleep(0.2)
        finally:
            connection.close()


def run_cli(*args: str) -> int:
    """``evidens ARGS`` in-process, through the console command's word mapping; returns the exit code.

    ``call_command`` rather than ``evidens.cli.main``: the latter closes the database connections
    at the end, which would end the test's transaction on PostgreSQL.
    """
    name, *rest = command_line(list(args))
    try:
        call_command(name, *rest)
    except CommandError as error:
        print(f"CommandError: {error}", file=sys.stderr)
        return error.returncode
    return 0


# --- evidens process create ------------------------------------------------------------------


def test_process_create_makes_an_empty_process_with_the_five_default_phases(db: None, capsys: Any) -> None:
    code = run_cli("process", "create", "ny-proces", "--name", "Ny strategi", "--organisation", "Foreningen",
                   "--json")

    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    process = StrategyProcess.objects.get(slug="ny-proces")
    assert printed["id"] == process.pk
    assert printed["url"] == "/p/ny-proces/"
    assert (process.name, process.organisation, process.status) == ("Ny strategi", "Foreningen", "planned")
    phases = list(process.phases.order_by("order").values_list("order", "name"))
    assert [order for order, _ in phases] == [1, 2, 3, 4, 5]
    assert printed["phases"] == [name for _, name in phases]
    # Empty: no team, no budget, no steering group; the creation is in the audit trail.
    assert not process.memberships.exists()
    assert not process.budget_lines.exists()
    assert not process.steering_group.exists()
    assert AuditEntry.objects.filter(process=process, action="create").count() == 1


def test_process_create_refuses_a_slug_in_use(db: None, capsys: Any) -> None:
    assert run_cli("process", "create", "dobbelt", "--name", "Først") == 0
    capsys.readouterr()

    code = run_cli("process", "create", "dobbelt", "--name", "Igen")

    assert code != 0
    assert "Der findes allerede en proces med kortnavnet dobbelt." in capsys.readouterr().err
    assert list(StrategyProcess.objects.filter(slug="dobbelt").values_list("name", flat=True)) == ["Først"]


def test_process_create_refuses_an_invalid_slug(db: None, capsys: Any) -> None:
    code = run_cli("process", "create", "ikke gyldig!", "--name", "X")

    assert code != 0
    # The field is named by its Danish label, the message is Django's own Danish one.
    assert "CommandError: Processen blev ikke oprettet: kortnavn: " in capsys.readouterr().err
    assert not StrategyProcess.objects.exists()


def test_process_create_reports_in_danish(db: None, capsys: Any) -> None:
    assert run_cli("process", "create", "ny", "--name", "Ny strategi") == 0

    assert capsys.readouterr().out == "Processen ny (Ny strategi) er oprettet med 5 faser: /p/ny/\n"


# --- evidens createuser ----------------------------------------------------------------------


def test_createuser_with_a_role_in_a_process(cast: Cast, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    monkeypatch.setenv("EVIDENS_PASSWORD", STRONG_PASSWORD)

    code = run_cli("createuser", "karen", "--email", "karen@example.org", "--process", "proc", "--role", "board")

    assert code == 0
    assert capsys.readouterr().out == "Brugeren karen er oprettet med rollen bestyrelse i proc.\n"
    user = get_user_model().objects.get(username="karen")
    assert user.email == "karen@example.org"
    assert user.check_password(STRONG_PASSWORD)
    membership = Membership.objects.get(user=user)
    assert (membership.process, membership.role) == (cast.process, "board")
    # Recorded in the process's audit trail like any other change, with no person as actor.
    [entry] = audit_entries_for(membership)
    assert (entry.process, entry.action, entry.actor) == (cast.process, "create", None)
    assert "board" in json.dumps(entry.changes)


def test_createuser_without_a_process(db: None, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    monkeypatch.delenv("EVIDENS_PASSWORD", raising=False)

    assert run_cli("createuser", "solo", "--password", STRONG_PASSWORD) == 0

    assert capsys.readouterr().out == "Brugeren solo er oprettet.\n"

    user = get_user_model().objects.get(username="solo")
    assert user.check_password(STRONG_PASSWORD)
    assert not Membership.objects.filter(user=user).exists()


def test_createuser_with_an_unknown_process_creates_nothing(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    monkeypatch.setenv("EVIDENS_PASSWORD", STRONG_PASSWORD)

    code = run_cli("createuser", "ghost", "--process", "findes-ikke", "--role", "reader")

    assert code != 0
    assert "Der er ingen proces med kortnavnet findes-ikke; intet blev oprettet." in capsys.readouterr().err
    assert not get_user_model().objects.filter(username="ghost").exists()


def weak_password_message() -> str:
    with translation.override(settings.LANGUAGE_CODE), pytest.raises(ValidationError) as refused:
        validate_password("12345")
    return str(refused.value.messages[0])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["u-reader", "--password", STRONG_PASSWORD],
         lambda: "Der findes allerede en bruger med navnet u-reader."),
        (["weak", "--password", "12345"], weak_password_message),
        (["half", "--password", STRONG_PASSWORD, "--role", "board"],
         lambda: "--process og --role skal angives sammen."),
        (["nopassword"],
         lambda: "Ingen adgangskode: angiv --password, sæt EVIDENS_PASSWORD, eller kør kommandoen i en terminal."),
    ],
)
def test_createuser_refuses(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, capsys: Any, args: list[str], message: Callable[[], str]
) -> None:
    monkeypatch.delenv("EVIDENS_PASSWORD", raising=False)
    users_before = get_user_model().objects.count()

    code = run_cli("createuser", *args)

    assert code != 0
    assert message() in capsys.readouterr().err
    assert get_user_model().objects.count() == users_before


# --- help texts --------------------------------------------------------------------------------

HELP_IN_DANISH = {
    ("evidens.core", "backup"): ("Skriv databasen, de uploadede filer og analysefilerne til ét .tar.gz-arkiv",
                                 "--out FILE arkivet, der skal skrives"),
    ("evidens.processes", "createuser"): ("Opret en bruger. Adgangskoden tages fra --password",
                                          "username navnet, brugeren logger ind med"),
    ("evidens.core", "restore"): ("Gendan et arkiv fra `evidens backup` i en tom installation",
                                  "FILE et arkiv fra `evidens backup`"),
    ("evidens.core", "serve"): ("Kør webapplikationen med gunicorn (i drift bag en reverse proxy med TLS).",
                                "--threads THREADS tråde pr. arbejdsproces (standard 4)"),
    ("evidens.core", "worker"): ("Kør baggrundsjob fra køen, indtil den stoppes",
                                 "--batch kør alle job i køen, og afslut derefter"),
    ("evidens.demo", "demo"): ("Byg demoprocessen AlmenNet 2030 med dens brugere, medmindre den allerede findes.",
                               "--json Udskriv et resumé som JSON i stedet for tekst."),
    ("evidens.processes", "process_create"): (
        "Opret en tom strategiproces med standardfaserne (til scripts og import).", "--name NAME processens navn"),
    ("evidens.stakeholders", "stakeholders_export"): (
        "Eksportér organisationerne eller personerne i en proces som CSV (til dansk Excel) eller XLSX.",
        "--out OUT filen, der skal skrives"),
    ("evidens.stakeholders", "stakeholders_import"): (
        "Importér organisationer eller personer fra CSV eller XLSX til interessentregistret i en proces.",
        "--dry-run kontrollér kun filen; gem intet"),
}


@pytest.mark.parametrize(("app", "name"), list(HELP_IN_DANISH))
def test_every_command_explains_itself_in_danish(app: str, name: str) -> None:
    with translation.override("da"):
        text = " ".join(load_command_class(app, name).create_parser("evidens", name).format_help().split())

    description, argument = HELP_IN_DANISH[(app, name)]
    assert description in text
    assert argument in text


def test_help_follows_the_active_language() -> None:
    with translation.override("en"):
        text = " ".join(load_command_class("evidens.core", "backup").create_parser("evidens", "backup")
                        .format_help().split())

    assert "Write the database, uploaded files and analytics files to one .tar.gz archive" in text
    assert "--out FILE the archive to write" in text


def test_the_console_command_prints_its_help_in_the_installation_language(tmp_path: Path) -> None:
    """``evidens ... --help`` is answered before the command runs, outside ``EvidensCommand.execute``."""
    result = evidens(tmp_path / "data", "stakeholders", "import", "--help")

    text = " ".join(result.stdout.split())
    assert "Importér organisationer eller personer fra CSV eller XLSX til interessentregistret i en proces." in text
    assert ("--map HEADING=FIELD læs en kolonne som et felt (kan gentages); et tomt felt springer kolonnen over. "
            "Felter for organisationer: name, kind, is_member,") in text


# --- evidens serve ---------------------------------------------------------------------------


def test_gunicorn_gets_the_application_and_no_access_log_unless_asked() -> None:
    argv = gunicorn_argv(host="127.0.0.1", port=8001, workers=3, threads=2, timeout=60, access_log=False)

    assert argv[1:4] == ["-m", "gunicorn", "evidens.wsgi:application"]
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8001"
    assert argv[argv.index("--workers") + 1] == "3"
    assert "--access-logfile" not in argv
    logged = gunicorn_argv(host="::1", port=80, workers=1, threads=1, timeout=5, access_log=True)
    assert logged[logged.index("--bind") + 1] == "[::1]:80"
    assert logged[logged.index("--access-logformat") + 1] == ACCESS_LOG_FORMAT
    # No client address (%(h)s), user agent (%(a)s) or referrer (%(f)s) in the access log.
    assert not {"%(h)s", "%(a)s", "%(f)s"} & set(ACCESS_LOG_FORMAT.split())


def test_serve_answers_http_and_logs_no_requests(migrated_template: Path, tmp_path: Path) -> None:
    data_dir = migrated_data_dir(migrated_template, tmp_path / "data")
    port = free_port()
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "evidens", "serve", "--port", str(port), "--workers", "1", "--threads", "2"],
        env=subprocess_env(data_dir), cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        response = first_answer(server, port, "/?probe-7361")
        assert response.getheader("Server", "").startswith("gunicorn")
        assert response.status == 302  # to the login page
    finally:
        server.terminate()
        server.wait(timeout=30)
    log.seek(0)
    output = log.read()
    assert f"Evidens kører på http://127.0.0.1:{port}/ med gunicorn; stop med Ctrl-C." in output
    assert "probe-7361" not in output


# --- evidens worker --------------------------------------------------------------------------

PROBE_TASKS = '''
from django_tasks import task

from evidens.processes.jobs import job_run


@task()
def count_words(job_id: int, words: list[str]) -> dict:
    def work(progress):
        progress(1, 2, "halfway")
        return {"words": len(words)}

    return job_run(job_id, work)
'''

ENQUEUE = """
from django.db import transaction
from evidens.processes.jobs import job_enqueue
from evidens.processes.services import process_create
import evidens_probe_tasks

with transaction.atomic():
    process = process_create(slug="worker-probe", name="Worker probe")
    job_enqueue(process=process, kind="probe", label="Count words", task=evidens_probe_tasks.count_words,
                words=["a", "b", "c"])
"""


def test_worker_batch_runs_a_queued_job(migrated_template: Path, tmp_path: Path) -> None:
    """A job enqueued through ``job_enqueue`` is run by ``evidens worker --batch`` in another process."""
    data_dir = migrated_data_dir(migrated_template, tmp_path / "data")
    modules = tmp_path / "modules"
    modules.mkdir()
    (modules / "evidens_probe_tasks.py").write_text(textwrap.dedent(PROBE_TASKS))
    path = {"PYTHONPATH": os.pathsep.join(filter(None, [str(modules), os.environ.get("PYTHONPATH")]))}
    evidens(data_dir, "shell", "--command", ENQUEUE, **path)

    def job_row() -> tuple[Any, ...]:
        with sqlite3.connect(data_dir / "evidens.sqlite3") as db:
            return db.execute("SELECT status, progress_done, progress_total, message, result, task_id "
                              "FROM processes_job").fetchone()

    queued = job_row()
    assert queued[0] == "queued"
    assert queued[5]  # the task id, set when the transaction committed

    result = evidens(data_dir, "worker", "--batch", **path)

    status, done, total, message, payload, _ = job_row()
    assert (status, done, total, message) == ("succeeded", 1, 2, "halfway"), result.stdout + result.stderr
    assert json.loads(payload) == {"words": 3}
    with sqlite3.connect(data_dir / "evidens.sqlite3") as db:
        assert db.execute("SELECT status FROM django_tasks_database_dbtaskresult").fetchall() == [("SUCCESSFUL",)]


def test_worker_batch_on_an_empty_queue_exits_cleanly(migrated_template: Path, tmp_path: Path) -> None:
    data_dir = migrated_data_dir(migrated_template, tmp_path / "data")

    result = evidens(data_dir, "worker", "--batch", timeout=60)

    assert result.returncode == 0
    assert "No more tasks" in result.stdout + result.stderr
