"""Background jobs with visible progress.

A service calls ``job_enqueue`` inside its transaction; the task is queued only
when that transaction commits. The task function wraps its work in ``job_run``,
which records start, progress, and how the job ended on the ``Job`` row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks.base import Task

from evidens.processes.models import Job, JobStatus, StrategyProcess

logger = logging.getLogger(__name__)


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


class JobProgress:
    def __init__(self, job_id: int) -> None:
        self.job_id = job_id

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        fields: dict[str, Any] = {"progress_done": done}
        if total is not None:
            fields["progress_total"] = total
        if message:
            fields["message"] = message
        Job.objects.filter(pk=self.job_id).update(**fields)


def job_run(job_id: int, work: Callable[[JobProgress], dict[str, Any] | None]) -> dict[str, Any]:
    Job.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, started_at=timezone.now())
    try:
        result = work(JobProgress(job_id)) or {}
    except JobError as error:
        _finish(job_id, JobStatus.FAILED, message=str(error))
        return {}
    except Exception:
        logger.exception("Job %s failed", job_id)
        _finish(job_id, JobStatus.FAILED, message=_("An unexpected error stopped the job. Nothing was saved."))
        raise
    _finish(job_id, JobStatus.SUCCEEDED, result=result)
    return result


def _finish(job_id: int, status: str, *, message: str = "", result: dict[str, Any] | None = None) -> None:
    fields: dict[str, Any] = {"status": status, "finished_at": timezone.now()}
    if message:
        fields["message"] = message
    if result is not None:
        fields["result"] = result
    Job.objects.filter(pk=job_id).update(**fields)
