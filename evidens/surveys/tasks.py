"""Background jobs of surveys: take ids, call one service."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from evidens.processes.jobs import job_run


@task()
def mailing_send_task(job_id: int, mailing_id: int) -> dict[str, Any]:
    from evidens.surveys.services import mailing_send

    return job_run(job_id, lambda progress: mailing_send(mailing_id=mailing_id, progress=progress))
