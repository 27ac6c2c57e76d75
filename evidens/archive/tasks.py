"""Background jobs of the archive: take ids, call one service."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from evidens.processes.jobs import job_run


@task()
def archive_extract_task(job_id: int, import_id: int) -> dict[str, Any]:
    from evidens.archive.services import archive_import_run

    return job_run(job_id, lambda progress: archive_import_run(import_id=import_id, progress=progress))


@task()
def archive_topics_task(job_id: int, process_id: int) -> dict[str, Any]:
    from evidens.archive.services import topics_refresh

    return job_run(job_id, lambda progress: topics_refresh(process_id=process_id, progress=progress))


@task()
def activity_import_task(job_id: int, activity_import_id: int) -> dict[str, Any]:
    from evidens.archive.services import activity_import_run

    return job_run(job_id, lambda progress: activity_import_run(activity_import_id=activity_import_id,
                                                                progress=progress))
