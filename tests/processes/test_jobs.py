from __future__ import annotations

from typing import Any

import pytest

from evidens.processes.jobs import JobError, job_run
from evidens.processes.models import Job, JobStatus
from tests.conftest import Cast


def _job(cast: Cast) -> Job:
    return Job.objects.create(process=cast.process, kind="test", label="Test")


def test_job_run_records_progress_and_result(cast: Cast) -> None:
    job = _job(cast)
    seen: list[tuple[int, int]] = []

    def work(progress: Any) -> dict[str, Any]:
        progress(3, 10)
        row = Job.objects.get(pk=job.pk)
        seen.append((row.progress_done, row.progress_total))
        assert row.status == JobStatus.RUNNING
        return {"rows": 10}

    assert job_run(job.pk, work) == {"rows": 10}
    job.refresh_from_db()
    assert seen == [(3, 10)]
    assert job.status == JobStatus.SUCCEEDED
    assert job.result == {"rows": 10}
    assert job.percent == 100
    assert job.started_at and job.finished_at


def test_a_user_facing_error_fails_the_job_with_its_message(cast: Cast) -> None:
    job = _job(cast)

    def work(progress: Any) -> None:
        raise JobError("Filen kunne ikke læses.")

    job_run(job.pk, work)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == "Filen kunne ikke læses."


def test_an_unexpected_error_fails_the_job_and_is_raised_for_the_worker(cast: Cast) -> None:
    job = _job(cast)

    def work(progress: Any) -> None:
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        job_run(job.pk, work)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message
