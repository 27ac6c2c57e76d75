"""Background jobs of privacy operations: take ids, call one service."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from evidens.processes.jobs import job_run


@task()
def retention_task(job_id: int) -> dict[str, Any]:
    from evidens.privacy.services import retention_job
    from evidens.processes.models import Job

    process_id = Job.objects.values_list("process_id", flat=True).get(pk=job_id)
    return job_run(job_id, lambda progress: retention_job(process_id=process_id, progress=progress))
