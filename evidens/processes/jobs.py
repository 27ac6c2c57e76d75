"""Background jobs with visible progress.

A service calls ``job_enqueue`` inside its transaction; the task is queued only
when that transaction commits. The task function wraps its work in ``job_run``,
which records start, progress, and how the job ended on the ``Job`` row.

While a job runs, its progress also lives in a small side file
(``DATA_DIR/jobs/<id>.json``): work inside one long transaction cannot show
progress through the ``Job`` row, because nobody else sees the row's updates
before the commit (and on SQLite nobody else may write while it holds the write
lock). ``job_progress_read`` reads the side file; ``job_run`` copies the final
progress to the row and removes the file when the job ends.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks.base import Task

from evidens.processes.models import Job, JobStatus, StrategyProcess

logger = logging.getLogger(__name__)

# Seconds between two writes of progress (side file and row): at most ~10 writes a second.
PROGRESS_INTERVAL = 0.1


class JobCrashed(Exception):
    """A job stopped by an unexpected error; carries the error's type, never its text."""


class JobError(Exception):
    """A failure whose message is meant for the user (already translated)."""


def job_enqueue(
    *,
    process: StrategyProcess,
    kind: str,
    label: str,
    task: Task[Any, Any],
    user: Any = None,
    **task_kwargs: Any,
) -> Job:
    job = Job.objects.create(
        process=process,
        kind=kind,
        label=label,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )

    def enqueue() -> None:
        result = task.enqueue(job_id=job.pk, **task_kwargs)
        Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id))

    transaction.on_commit(enqueue)
    return job


# ---------------------------------------------------------------------------------------------
# The side file
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressState:
    done: int = 0
    total: int = 0
    message: str = ""


def job_progress_path(job_id: int) -> Path:
    return Path(settings.DATA_DIR) / "jobs" / f"{job_id}.json"


def job_progress_read(job_id: int) -> ProgressState | None:
    """The progress a running job last wrote to its side file, or None when there is none."""
    try:
        data = json.loads(job_progress_path(job_id).read_text(encoding="utf-8"))
        return ProgressState(done=int(data["done"]), total=int(data["total"]), message=str(data["message"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _progress_file_write(job_id: int, state: ProgressState) -> None:
    """Replace the side file in one step: a reader sees the old content or the new, never half of it."""
    path = job_progress_path(job_id)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{job_id}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump({"done": state.done, "total": state.total, "message": state.message}, file,
                      ensure_ascii=False)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _progress_file_delete(job_id: int) -> None:
    """Remove the side file; one that cannot be removed is harmless (only running jobs read theirs)."""
    with contextlib.suppress(OSError):
        job_progress_path(job_id).unlink()


# ---------------------------------------------------------------------------------------------
# Running a job
# ---------------------------------------------------------------------------------------------


class JobProgress:
    """The ``progress(done, total=None, message=None)`` callback handed to a job's work.

    ``total`` None keeps the total; ``message`` None keeps the message ("" clears it). Progress goes
    to the side file, and also to the ``Job`` row when no transaction is open (an update inside one
    would stay invisible until its commit). Writes are throttled to one per ``PROGRESS_INTERVAL``
    except when the message changes or ``done`` reaches ``total``; ``job_run`` stores the last value.
    """

    def __init__(self, job_id: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.job_id = job_id
        self.state = ProgressState()
        self.reported = False
        self._clock = clock
        self._written_at: float | None = None
        self._file_failed = False

    def __call__(self, done: int, total: int | None = None, message: str | None = None) -> None:
        previous = self.state
        self.state = ProgressState(
            done=done,
            total=previous.total if total is None else total,
            message=previous.message if message is None else message,
        )
        self.reported = True
        now = self._clock()
        due = self._written_at is None or now - self._written_at >= PROGRESS_INTERVAL
        if due or self.state.message != previous.message or (self.state.total and done >= self.state.total):
            self._written_at = now
            self._write()

    def _write(self) -> None:
        try:
            _progress_file_write(self.job_id, self.state)
        except OSError as error:  # progress is only shown; the job itself goes on
            if not self._file_failed:
                logger.warning("Job %s: cannot write its progress file: %s", self.job_id, error.strerror)
            self._file_failed = True
        if not transaction.get_connection().in_atomic_block:
            Job.objects.filter(pk=self.job_id).update(
                progress_done=self.state.done, progress_total=self.state.total, message=self.state.message)


def job_run(job_id: int, work: Callable[[JobProgress], dict[str, Any] | None]) -> dict[str, Any]:
    _progress_file_delete(job_id)  # left behind by a worker that died: it must not show as this run's progress
    Job.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, started_at=timezone.now())
    progress = JobProgress(job_id)
    try:
        try:
            result = work(progress) or {}
        except JobError as error:
            _finish(progress, JobStatus.FAILED, message=str(error))
            return {}
        except Exception as error:
            # An exception's text may quote personal data (PostgreSQL quotes the duplicate e-mail of a
            # unique constraint), and the worker logs and stores what it is given: pass on where, not what.
            frames = "".join(traceback.format_tb(error.__traceback__))
            logger.error("Job %s failed with %s\n%s", job_id, type(error).__name__, frames)
            _finish(progress, JobStatus.FAILED,
                    message=_("An unexpected error stopped the job. Nothing was saved."))
            raise JobCrashed(f"Job {job_id} failed with {type(error).__name__}") from None
        _finish(progress, JobStatus.SUCCEEDED, result=result)
        return result
    finally:
        _progress_file_delete(job_id)


def _finish(progress: JobProgress, status: str, *, message: str | None = None,
            result: dict[str, Any] | None = None) -> None:
    """End the job on its row, with the last progress the work reported."""
    fields: dict[str, Any] = {"status": status, "finished_at": timezone.now()}
    if progress.reported:
        fields.update(progress_done=progress.state.done, progress_total=progress.state.total,
                      message=progress.state.message)
    if message:
        fields["message"] = message
    if result is not None:
        fields["result"] = result
    Job.objects.filter(pk=progress.job_id).update(**fields)
