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

A worker that is killed (out of memory, a reboot, SIGKILL) cannot end its job, so while a job runs its
worker also touches a heartbeat file (``DATA_DIR/job-heartbeats/<id>``) every ``HEARTBEAT_INTERVAL``, from
a thread, so a long step without progress or a long transaction still beats. A running job whose heartbeat
is older than ``STOPPED_AFTER`` has lost its worker: ``job_is_stopped`` says so to the pages, and
``jobs_stopped_fail`` ends it as failed and sends ``job_stopped``, so the app whose record it was filling
can mark that record failed too (and a new run can start). ``jobs_stopped_watch`` does that every little while
from a thread of the worker command, so it happens also when nobody looks.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks.base import Task

from evidens.processes.models import Job, JobStatus, StrategyProcess

logger = logging.getLogger(__name__)

# Seconds between two writes of progress (side file and row): at most ~10 writes a second.
PROGRESS_INTERVAL = 0.1
# Seconds between two heartbeats of a running job, and how long without one before the job counts as stopped:
# ten missed beats, so a worker slowed down by a busy machine is not declared dead.
HEARTBEAT_INTERVAL = 30.0
STOPPED_AFTER = timedelta(minutes=5)

# Sent with ``job`` (the row before it was marked failed) when ``jobs_stopped_fail`` ends a job whose worker died.
job_stopped = Signal()


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
    heartbeat = _Heartbeat(job_id)
    heartbeat.start()
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
        heartbeat.stop()
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


# ---------------------------------------------------------------------------------------------
# Jobs whose worker died
# ---------------------------------------------------------------------------------------------


def job_heartbeat_path(job_id: int) -> Path:
    return Path(settings.DATA_DIR) / "job-heartbeats" / str(job_id)


class _Heartbeat:
    """Touches the job's heartbeat file now and every ``HEARTBEAT_INTERVAL`` until stopped."""

    def __init__(self, job_id: int) -> None:
        self.path = job_heartbeat_path(job_id)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"job-{job_id}-heartbeat", daemon=True)

    def start(self) -> None:
        if not self._touch():  # like progress: the job itself goes on; the beats that follow try again
            logger.warning("Job %s: cannot write its heartbeat file", self.path.name)
        self._thread.start()

    def _touch(self) -> bool:
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            self.path.touch()
        except OSError:
            return False
        return True

    def _beat(self) -> None:
        while not self._stopping.wait(HEARTBEAT_INTERVAL):
            self._touch()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()
        with contextlib.suppress(OSError):
            self.path.unlink()


def job_heartbeat_at(job: Job) -> datetime | None:
    """When the job's worker last showed it was alive: the heartbeat file's time, else the job's start."""
    try:
        return datetime.fromtimestamp(job_heartbeat_path(job.pk).stat().st_mtime, tz=UTC)
    except OSError:
        return job.started_at


def job_is_stopped(job: Job, *, now: datetime | None = None) -> bool:
    """True for a job shown as running whose worker has not shown a sign of life for ``STOPPED_AFTER``."""
    if job.status != JobStatus.RUNNING:
        return False
    beat = job_heartbeat_at(job)
    return beat is not None and (now or timezone.now()) - beat > STOPPED_AFTER


def jobs_stopped_fail(*, now: datetime | None = None) -> list[int]:
    """End every stopped job (see ``job_is_stopped``) as failed, with its task, and send ``job_stopped``
    for each, so what the job was filling is marked failed too and can be started again. Returns their ids."""
    moment = now or timezone.now()
    ended = []
    for job in Job.objects.filter(status=JobStatus.RUNNING):
        if not job_is_stopped(job, now=moment):
            continue
        with transaction.atomic():
            # A worker that comes back to life in between has set another status: leave its job alone.
            if not Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
                    status=JobStatus.FAILED, finished_at=moment,
                    message=_("The job stopped unexpectedly (the worker was interrupted). Nothing half-done was "
                              "saved; start it again.")):
                continue
            _task_result_fail(job.task_id, moment)
            job_stopped.send(sender=Job, job=job)
        _progress_file_delete(job.pk)
        with contextlib.suppress(OSError):
            job_heartbeat_path(job.pk).unlink()
        logger.warning("Job %s stopped without its worker ending it; marked as failed", job.pk)
        ended.append(job.pk)
    return ended


def jobs_stopped_watch(*, interval: float = HEARTBEAT_INTERVAL) -> Callable[[], None]:
    """Run ``jobs_stopped_fail`` now and every ``interval`` seconds in a thread; returns what stops the thread.

    For ``evidens worker``: a worker killed mid-job has its job ended by the next worker within ``STOPPED_AFTER``
    plus ``interval``, without anyone having to look at the job.
    """
    stopping = threading.Event()

    def watch() -> None:
        while True:
            try:
                jobs_stopped_fail()
            except Exception as error:  # SQLite busy under a long import, say: the next round tries again
                logger.warning("Cannot end stopped jobs now: %s", type(error).__name__)
            finally:
                connection.close()  # this thread's own connection
            if stopping.wait(interval):
                return

    thread = threading.Thread(target=watch, name="stopped-jobs", daemon=True)
    thread.start()

    def stop() -> None:
        stopping.set()
        thread.join()

    return stop


def _task_result_fail(task_id: str, moment: datetime) -> None:
    """The database queue's own record of the task would otherwise stay running for ever too."""
    if not task_id or not apps.is_installed("django_tasks_db"):
        return
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED, finished_at=moment,
        exception_class_path=f"{JobCrashed.__module__}.{JobCrashed.__qualname__}", traceback="")
