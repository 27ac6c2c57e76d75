"""Background jobs of web statistics: take ids, call one service."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from evidens.processes.jobs import job_run


@task()
def log_import_task(job_id: int, import_id: int) -> dict[str, Any]:
    from evidens.webstats.services import log_import_run

    return job_run(job_id, lambda progress: log_import_run(import_id=import_id, progress=progress))
