"""The import job in a real worker process, watched from another process as the secretariat would.

``evidens worker --batch`` runs a confirmed import of 20,000 people against its own data directory
and SQLite database; this test process polls ``job_view`` (side file while the job runs, row after)
and must see the job part way, also while the rows are being saved inside the import's transaction.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from evidens.processes.jobs import job_progress_path
from evidens.processes.models import Job, JobStatus
from evidens.processes.selectors import JobView, job_view
from tests.core.test_cli import evidens, migrated_data_dir, migrated_template, subprocess_env

__all__ = ["migrated_template"]  # a fixture, shared with the CLI tests

ROWS = 20_000

CONFIRM = f"""
from django.core.files.uploadedfile import SimpleUploadedFile
from evidens.processes.services import process_create
from evidens.stakeholders import services

lines = ["Navn;E-mail;Organisation;Stilling;Segment"]
lines += [f"Person {{number}};person{{number}}@eksempel.example;;Konsulent;Drift" for number in range({ROWS})]
process = process_create(slug="import-probe", name="Import probe")
upload = SimpleUploadedFile("kontakter.csv", "\\r\\n".join(lines).encode("utf-8"))
stakeholder_import = services.stakeholder_import_create(process=process, actor=None, kind="people", upload=upload)
services.stakeholder_import_map(stakeholder_import=stakeholder_import, actor=None,
                                mapping=stakeholder_import.mapping)
job = services.stakeholder_import_confirm(stakeholder_import=stakeholder_import, actor=None)
print("JOB", job.pk)
"""


def _row_job(database: Path, job_id: int) -> Job:
    """The job as the row in the worker's database has it now (an unsaved instance for ``job_view``)."""
    with sqlite3.connect(database, timeout=20) as db:
        status, done, total, message = db.execute(
            "SELECT status, progress_done, progress_total, message FROM processes_job WHERE id = ?",
            (job_id,)).fetchone()
    return Job(pk=job_id, status=status, progress_done=done, progress_total=total, message=message)


def test_progress_of_a_large_import_is_visible_while_the_worker_runs_it(
        migrated_template: Path, tmp_path: Path, settings: Any) -> None:
    data_dir = migrated_data_dir(migrated_template, tmp_path / "data")
    english = {"EVIDENS_LANGUAGE": "en"}
    confirmed = evidens(data_dir, "shell", "--command", CONFIRM, **english)
    job_id = int(confirmed.stdout.split("JOB", 1)[1])
    database = data_dir / "evidens.sqlite3"
    settings.DATA_DIR = data_dir  # job_view reads the worker's side files
    assert _row_job(database, job_id).status == JobStatus.QUEUED

    log = (tmp_path / "worker.log").open("w+")
    worker = subprocess.Popen([sys.executable, "-m", "evidens", "worker", "--batch"],
                              env=subprocess_env(data_dir, **english), cwd=tmp_path,
                              stdout=log, stderr=subprocess.STDOUT)
    seen: list[JobView] = []
    try:
        deadline = time.monotonic() + 300
        while worker.poll() is None:
            assert time.monotonic() < deadline, "the worker did not finish within 300 s"
            view = job_view(_row_job(database, job_id))
            if not seen or view != seen[-1]:
                seen.append(view)
            time.sleep(0.01)
    finally:
        if worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)
    log.seek(0)
    output = log.read()
    assert worker.returncode == 0, output

    final = _row_job(database, job_id)
    assert (final.status, final.progress_done, final.progress_total, final.message) == (
        JobStatus.SUCCEEDED, ROWS, ROWS, ""), output
    assert job_view(final) == JobView(JobStatus.SUCCEEDED, ROWS, ROWS, "")
    assert not job_progress_path(job_id).exists()
    assert list((data_dir / "jobs").iterdir()) == []
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM stakeholders_person").fetchone() == (ROWS,)

    part_way = [view for view in seen if view.status == JobStatus.RUNNING and 0 < view.done < view.total]
    summary = ", ".join(f"{view.message or '-'} {view.done}/{view.total}" for view in seen)
    print(f"\nProgress seen while the worker ran: {summary}")
    assert part_way, summary
    # Also while the rows are saved in the import's one transaction, when the row cannot show it.
    assert any(view.message == "Saving the rows" for view in part_way), summary
