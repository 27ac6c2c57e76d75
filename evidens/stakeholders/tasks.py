"""Background jobs of the stakeholder register: take ids, call one service."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from evidens.processes.jobs import job_run


@task()
def stakeholder_import_task(job_id: int, import_id: int) -> dict[str, Any]:
    from evidens.stakeholders.services import stakeholder_import_commit

    return job_run(job_id, lambda progress: stakeholder_import_commit(import_id=import_id, progress=progress))
