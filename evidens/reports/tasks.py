"""Background jobs of the reports: take ids, call one service."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from evidens.processes.jobs import job_run


@task()
def report_build_task(job_id: int, build_id: int) -> dict[str, Any]:
    from evidens.reports.services import report_build_run

    return job_run(job_id, lambda progress: report_build_run(build_id=build_id, progress=progress))
