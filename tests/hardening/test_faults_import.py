"""Faults during imports (issue 11): a worker killed in the middle of a web log import, and a disk that fills up
during one. Afterwards nothing half-written is visible, the job says what happened, and the same import can be
run again to the full, correct counts.

The killed worker is a real ``evidens worker`` subprocess with its own data directory (SQLite), killed with
SIGKILL once its job has reported progress. The full disk is a 2 MB tmpfs mounted as ``ANALYTICS_ROOT``; mounting
needs root (as in CI), and the test fails, rather than skips, without it.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError
from django.utils import timezone as django_timezone
from django.utils import translation

from evidens.processes import jobs
from evidens.processes.jobs import STOPPED_AFTER, job_run
from evidens.processes.models import Job, JobStatus, StrategyProcess
from evidens.webstats import warehouse
from evidens.webstats.logformat import log_format
from evidens.webstats.models import ImportStatus, LogImport
from evidens.webstats.services import log_import_register, log_import_run
from tests.conftest import Cast
from tests.core.test_cli import evidens, migrated_data_dir, migrated_template, subprocess_env
from tests.stakeholders.test_import_job import CONFIRM, ROWS

__all__ = ["migrated_template"]  # a fixture, shared with the CLI tests

LINES = 200_000
MALFORMED_EVERY = 1000  # every 1000th line is not a log line: 200 malformed lines


def write_log(path: Path, lines: int = LINES) -> Path:
    """A combined-format access log of ``lines`` lines (30 MB for 200 000), one request every 7 seconds."""
    start = datetime(2025, 3, 1, 8, tzinfo=UTC)
    agent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
    with path.open("w", encoding="ascii") as log:
        for number in range(1, lines + 1):
            if number % MALFORMED_EVERY == 0:
                log.write("this is not a log line\n")
                continue
            moment = (start + timedelta(seconds=7 * number)).strftime("%d/%b/%Y:%H:%M:%S +0000")
            address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
            log.write(f'{address} - - [{moment}] "GET /side/{number % 500}/ HTTP/1.1" 200 {1000 + number % 300} '
                      f'"-" "{agent}"\n')
    return path


def wait_for(condition: Any, what: str, seconds: float = 120) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"waited {seconds} s for {what}")


def files_under(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def shell_result(data_dir: Path, script: str, language: str = "da") -> Any:
    """What a script run by ``evidens shell`` printed after ``RESULT`` (the shell's own lines share its output)."""
    output = evidens(data_dir, "shell", "--command", script, EVIDENS_LANGUAGE=language).stdout
    return json.loads(output.split("RESULT ", 1)[1].splitlines()[0])


def kill_worker_when(data_dir: Path, tmp_path: Path, condition: Any, what: str, **env: str) -> None:
    """Start ``evidens worker``, wait until ``condition()``, and kill it with SIGKILL (it gets no say)."""
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        worker = subprocess.Popen([sys.executable, "-m", "evidens", "worker", "--interval", "0.1"],
                                  env=subprocess_env(data_dir, **env), cwd=tmp_path, stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for(lambda: condition() or worker.poll() is not None, what)
            assert worker.poll() is None, log_path.read_text()
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)


def heartbeat_age(heartbeat: Path, age: timedelta) -> None:
    """Time passing since the killed worker's last heartbeat, without waiting for it."""
    then = time.time() - age.total_seconds()
    os.utime(heartbeat, (then, then))


def read_done(side_file: Path, message: str | None = None) -> int:
    """How far the job's side file says it is (0 before it is written), counted only under ``message``."""
    try:
        state = json.loads(side_file.read_text())
    except (OSError, ValueError):  # not written yet
        return 0
    return int(state["done"]) if message is None or state["message"] == message else 0


# --- a worker killed mid-import ---------------------------------------------------------------

UPLOAD = """
import json
from django.core.files.uploadedfile import UploadedFile
from evidens.processes.services import process_create
from evidens.webstats.services import log_import_upload

process = process_create(slug="drab", name="Drab")
with open({log!r}, "rb") as handle:
    log_import = log_import_upload(process=process, actor=None, log_format_text="combined",
                                   uploads=[UploadedFile(handle, name="access.log", size={size})])
print("RESULT", json.dumps({{"process": process.pk, "import": log_import.pk, "job": log_import.job_id}}))
"""

# What the job page shows, in English so the test does not depend on the catalogue.
SHOWN = """
import json
from types import SimpleNamespace
from django.template.loader import render_to_string
from django.utils import timezone as django_timezone
from django.utils import translation
from evidens.processes.models import Job

job = Job.objects.select_related("process").get(pk={job})
with translation.override("en"):
    page = render_to_string("processes/_job.html", {{"job": job, "access": SimpleNamespace(process=job.process)}})
print("RESULT", json.dumps({{"stopped": job.stopped, "page": page}}))
"""

SWEEP = """
import json
from django.utils import timezone as django_timezone
from django.utils import translation
from evidens.processes.jobs import jobs_stopped_fail

with translation.override("en"):
    print("RESULT", json.dumps(jobs_stopped_fail()))
"""

RETRY = """
from evidens.webstats.models import LogImport
from evidens.webstats.services import log_import_retry

log_import_retry(log_import=LogImport.objects.get(pk={log_import}), actor=None)
"""


def test_a_worker_killed_mid_import_leaves_nothing_visible_and_the_import_runs_again(
        migrated_template: Path, tmp_path: Path) -> None:
    data_dir = migrated_data_dir(migrated_template, tmp_path / "data")
    log = write_log(tmp_path / "access.log")
    ids = shell_result(data_dir, UPLOAD.format(log=str(log), size=log.stat().st_size))
    side_file = data_dir / "jobs" / f"{ids['job']}.json"
    heartbeat = data_dir / "job-heartbeats" / str(ids["job"])
    webstats = data_dir / "analytics" / "webstats" / f"process-{ids['process']}"

    def rows() -> dict[str, Any]:
        with sqlite3.connect(data_dir / "evidens.sqlite3") as db:
            job = db.execute("SELECT status, message FROM processes_job WHERE id = ?", (ids["job"],)).fetchone()
            log_import = db.execute("SELECT status, message, counts FROM webstats_logimport WHERE id = ?",
                                    (ids["import"],)).fetchone()
            tasks = db.execute("SELECT status FROM django_tasks_database_dbtaskresult").fetchall()
        return {"job": job, "import": log_import, "tasks": [status for (status,) in tasks]}

    def progress_done() -> int:
        return read_done(side_file)

    kill_worker_when(data_dir, tmp_path, lambda: progress_done() > 0, "the import to report progress")

    # It died mid-way: the rows still say running, and no import data is visible.
    killed = rows()
    assert killed["job"][0] == "running" and killed["import"][0] == "running"
    assert killed["tasks"] == ["RUNNING"]
    assert progress_done() > 0
    assert not (webstats / "imports" / str(ids["import"])).exists()
    assert [path.name for path in (webstats / "imports").glob("*") if not path.name.startswith(".")] == []
    assert heartbeat.exists()

    # Fresh from its death the job still counts as running; once its heartbeat is older than the limit, stopped.
    assert shell_result(data_dir, SHOWN.format(job=ids["job"]))["stopped"] is False
    assert shell_result(data_dir, SWEEP) == []
    heartbeat_age(heartbeat, STOPPED_AFTER + timedelta(minutes=1))
    shown = shell_result(data_dir, SHOWN.format(job=ids["job"]))
    assert shown["stopped"] is True
    assert ">Stopped</span>" in shown["page"]
    assert ("The job stopped unexpectedly (the worker was interrupted). Nothing half-done was saved; "
            "start it again.") in shown["page"]
    assert "hx-trigger" not in shown["page"]  # the page stops asking

    assert shell_result(data_dir, SWEEP) == [ids["job"]]
    stopped = rows()
    assert stopped["job"] == ("failed", "The job stopped unexpectedly (the worker was interrupted). Nothing "
                                        "half-done was saved; start it again.")
    assert stopped["import"][:2] == ("failed", "The import stopped unexpectedly and nothing was stored. Try again.")
    assert stopped["tasks"] == ["FAILED"]  # the queue's record no longer runs for ever either
    assert not side_file.exists() and not heartbeat.exists()

    # The same import again, with a fresh worker: complete, with the counts of an uninterrupted run.
    evidens(data_dir, "shell", "--command", RETRY.format(log_import=ids["import"]))
    evidens(data_dir, "worker", "--batch", timeout=300)
    again = rows()
    assert again["import"][0] == "completed"
    assert again["tasks"] == ["FAILED", "SUCCESSFUL"]
    with sqlite3.connect(data_dir / "evidens.sqlite3") as db:
        assert db.execute("SELECT status FROM processes_job ORDER BY id").fetchall() == [("failed",), ("succeeded",)]
    counts = json.loads(again["import"][2])
    assert (counts["lines"], counts["malformed"]) == (LINES, LINES // MALFORMED_EVERY)
    reference = warehouse.build_import([log], log_format("combined"), tmp_path / "reference")
    assert counts == json.loads(json.dumps(reference.as_dict()))
    # Nothing left over: the finished import's folder, no hidden build, no uploaded log, no side files.
    assert [path.name for path in (webstats / "imports").iterdir()] == [str(ids["import"])]
    assert not (webstats / "uploads").exists() or list((webstats / "uploads").iterdir()) == []
    assert list((data_dir / "jobs").iterdir()) == []
    assert list((data_dir / "job-heartbeats").iterdir()) == []


CONFIRM_AGAIN = """
from evidens.stakeholders.models import StakeholderImport
from evidens.stakeholders.services import stakeholder_import_confirm

job = stakeholder_import_confirm(stakeholder_import=StakeholderImport.objects.get(job_id={job}), actor=None)
print("RESULT", job.pk)
"""


def test_a_worker_killed_while_saving_a_register_import_stores_nothing_and_the_import_can_be_confirmed_again(
        migrated_template: Path, tmp_path: Path) -> None:
    data_dir = migrated_data_dir(migrated_template, tmp_path / "data")
    job_id = int(evidens(data_dir, "shell", "--command", CONFIRM, EVIDENS_LANGUAGE="en").stdout.split("JOB", 1)[1])
    side_file = data_dir / "jobs" / f"{job_id}.json"

    def rows() -> dict[str, Any]:
        with sqlite3.connect(data_dir / "evidens.sqlite3") as db:
            return {
                "job": db.execute("SELECT status FROM processes_job WHERE id = ?", (job_id,)).fetchone()[0],
                "import": db.execute("SELECT status FROM stakeholders_stakeholderimport").fetchone()[0],
                "people": db.execute("SELECT count(*) FROM stakeholders_person").fetchone()[0],
            }

    # Killed inside the transaction that stores the rows, some of them already written in it.
    kill_worker_when(data_dir, tmp_path, lambda: read_done(side_file, "Saving the rows") > 0,
                     "the rows to be saved", EVIDENS_LANGUAGE="en")
    assert rows() == {"job": "running", "import": "queued", "people": 0}

    heartbeat_age(data_dir / "job-heartbeats" / str(job_id), STOPPED_AFTER + timedelta(minutes=1))
    assert shell_result(data_dir, SWEEP) == [job_id]
    assert rows() == {"job": "failed", "import": "failed", "people": 0}

    again = shell_result(data_dir, CONFIRM_AGAIN.format(job=job_id), language="en")
    evidens(data_dir, "worker", "--batch", timeout=300, EVIDENS_LANGUAGE="en")
    with sqlite3.connect(data_dir / "evidens.sqlite3") as db:
        assert db.execute("SELECT status FROM processes_job WHERE id = ?", (again,)).fetchone() == ("succeeded",)
    stored = rows()
    assert (stored["import"], stored["people"]) == ("done", ROWS)


# --- the heartbeat and the rule ---------------------------------------------------------------


def test_a_running_job_beats_also_while_its_work_reports_no_progress(
        cast: Cast, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.DATA_DIR = tmp_path / "data"
    monkeypatch.setattr(jobs, "HEARTBEAT_INTERVAL", 0.05)
    job = Job.objects.create(process=cast.process, kind="test", label="Lang beregning")
    heartbeat = jobs.job_heartbeat_path(job.pk)

    def work(progress: Any) -> dict[str, Any]:
        heartbeat_age(heartbeat, timedelta(hours=1))
        # One long step without a word of progress: the worker still shows it is alive.
        wait_for(lambda: time.time() - heartbeat.stat().st_mtime < 60, "a heartbeat", seconds=10)
        return {}

    job_run(job.pk, work)
    assert not heartbeat.exists()


def test_a_job_counts_as_stopped_only_when_running_without_a_heartbeat_for_the_limit(
        cast: Cast, settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"
    now = django_timezone.now()
    job = Job.objects.create(process=cast.process, kind="test", label="Test", status=JobStatus.RUNNING,
                             started_at=now - timedelta(hours=2))
    assert jobs.job_is_stopped(job)  # no heartbeat at all: its start counts
    heartbeat = jobs.job_heartbeat_path(job.pk)
    heartbeat.parent.mkdir(parents=True)
    heartbeat.touch()
    heartbeat_age(heartbeat, STOPPED_AFTER - timedelta(minutes=1))
    assert not jobs.job_is_stopped(job)
    heartbeat_age(heartbeat, STOPPED_AFTER + timedelta(minutes=1))
    assert jobs.job_is_stopped(job)
    for status in (JobStatus.QUEUED, JobStatus.SUCCEEDED, JobStatus.FAILED):
        job.status = status
        assert not jobs.job_is_stopped(job)


@pytest.mark.django_db(transaction=True)  # the watch reads and writes through its own thread's connection
def test_the_watch_ends_a_stopped_job_without_anyone_looking(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"
    process = StrategyProcess.objects.create(slug="vagt", name="Vagt")
    long_ago = django_timezone.now() - STOPPED_AFTER - timedelta(minutes=1)
    stopped = Job.objects.create(process=process, kind="test", label="Dræbt", status=JobStatus.RUNNING,
                                 started_at=long_ago)
    alive = Job.objects.create(process=process, kind="test", label="Levende", status=JobStatus.RUNNING,
                               started_at=long_ago)
    jobs.job_heartbeat_path(alive.pk).parent.mkdir(parents=True)
    jobs.job_heartbeat_path(alive.pk).touch()

    def ended() -> bool:
        try:
            return Job.objects.get(pk=stopped.pk).status == JobStatus.FAILED
        except OperationalError:  # the in-memory test database locks a whole table while the watch writes
            return False

    stop = jobs.jobs_stopped_watch(interval=0.05)
    try:
        wait_for(ended, "the watch", seconds=30)
    finally:
        stop()
    assert Job.objects.get(pk=alive.pk).status == JobStatus.RUNNING


# --- a full disk ------------------------------------------------------------------------------


def mount_small_disk(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """A 2 MB file system of its own, unmounted when the test ends; the web log import below needs about 5 MB.
    Called in the test, not as a fixture, so that without root the test fails rather than errors."""
    if os.geteuid() != 0:
        pytest.fail("this test needs root: it mounts a 2 MB tmpfs to fill up (run it as root, as CI does)")
    mount_point = tmp_path / "analytics"
    mount_point.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)], check=True)
    request.addfinalizer(lambda: subprocess.run(["umount", str(mount_point)], check=True))
    return mount_point


def _import_job(cast: Cast, log_import: LogImport) -> Job:
    job = Job.objects.create(process=cast.process, kind="webstats_import", label="Import af access.log")
    LogImport.objects.filter(pk=log_import.pk).update(job=job)
    return job


# Without a test transaction around it: DuckDB reports the import's progress from its own threads, whose
# connections would otherwise wait on the test's open transaction.
@pytest.mark.django_db(transaction=True)
def test_a_full_disk_fails_the_import_clearly_leaves_nothing_and_the_import_runs_once_there_is_room(
        cast: Cast, settings: Any, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    small_disk = mount_small_disk(tmp_path, request)
    settings.ANALYTICS_ROOT = small_disk
    settings.DATA_DIR = tmp_path / "data"
    log = write_log(tmp_path / "access.log")
    log_import = log_import_register(process=cast.process, actor=None, paths=[log], log_format_text="combined")

    job = _import_job(cast, log_import)
    with translation.override("en"):
        assert job_run(job.pk, lambda progress: log_import_run(import_id=log_import.pk, paths=[log],
                                                               progress=progress)) == {}
    job.refresh_from_db()
    log_import.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == ("The import failed and nothing was stored: there is no room left on the disk for the "
                           "analytics files")
    assert (log_import.status, log_import.message, log_import.counts) == (ImportStatus.FAILED, job.message, {})
    assert files_under(small_disk) == []  # no partial Parquet file, no spill file

    # The same in Danish: the installation's language, and no traceback or path in it.
    job = _import_job(cast, log_import)
    job_run(job.pk, lambda progress: log_import_run(import_id=log_import.pk, paths=[log], progress=progress))
    job.refresh_from_db()
    assert job.message.startswith("Importen mislykkedes, og intet blev gemt: ")
    assert "Traceback" not in job.message and str(small_disk) not in job.message and "10." not in job.message
    assert files_under(small_disk) == []

    # Room made (the same file system, grown): the same import now completes with every line.
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    job = _import_job(cast, log_import)
    result = job_run(job.pk, lambda progress: log_import_run(import_id=log_import.pk, paths=[log],
                                                             progress=progress))
    job.refresh_from_db()
    log_import.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert log_import.status == ImportStatus.COMPLETED
    assert (result["counts"]["lines"], result["counts"]["malformed"]) == (LINES, LINES // MALFORMED_EVERY)
    imports = small_disk / "webstats" / f"process-{cast.process.pk}" / "imports"
    assert [path.name for path in imports.iterdir()] == [str(log_import.pk)]
