"""Tiny tasks that the task tests enqueue; a worker subprocess imports this module (PYTHONPATH is the repository).

Each run leaves a file in the data directory's ``probe-runs/`` named after its job and the worker's process id,
so a test can count how often each job ran and which worker ran it.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django_tasks import task

from evidens.processes.jobs import JobProgress, job_run

# What an exception text may quote (PostgreSQL quotes the duplicate value of a unique constraint).
PERSONAL_DATA = "anna.jensen@example.org"
RUNS_FOLDER = "probe-runs"
RELEASE_FILE = "release"


def runs_folder(data_dir: Path) -> Path:
    return data_dir / RUNS_FOLDER


def _record_run(job_id: int) -> None:
    folder = runs_folder(Path(settings.DATA_DIR))
    folder.mkdir(exist_ok=True)
    (folder / f"{job_id}.{os.getpid()}.{uuid.uuid4().hex}").touch()


@task()
def record_run(job_id: int, pause: float = 0.0) -> dict[str, Any]:
    def work(progress: JobProgress) -> dict[str, Any]:
        progress(1, 2, "halfway")
        _record_run(job_id)
        time.sleep(pause)  # long enough that a second worker finds the next job while this one works
        return {"job": job_id, "answer": 42}

    return job_run(job_id, work)


@task()
def fail_quoting_personal_data(job_id: int) -> dict[str, Any]:
    def work(progress: JobProgress) -> dict[str, Any]:
        _record_run(job_id)
        raise ValueError(f'duplicate key value violates unique constraint: (email)=({PERSONAL_DATA})')

    return job_run(job_id, work)


@task()
def wait_for_release(job_id: int) -> dict[str, Any]:
    """Runs until the test creates the release file: the test decides when the job is over."""

    def work(progress: JobProgress) -> dict[str, Any]:
        _record_run(job_id)
        release = Path(settings.DATA_DIR) / RELEASE_FILE
        deadline = time.monotonic() + 120
        while not release.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return {"released": release.exists()}

    return job_run(job_id, work)
