from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext

from evidens.processes import selectors
from evidens.processes.jobs import (
    JobCrashed,
    JobError,
    JobProgress,
    ProgressState,
    job_progress_path,
    job_progress_read,
    job_run,
)
from evidens.processes.models import Job, JobStatus, StrategyProcess
from tests.conftest import Cast


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> Path:
    """Side files of this module's jobs go to the test's own folder (job ids repeat between test databases)."""
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


def _job(process: StrategyProcess, **fields: Any) -> Job:
    return Job.objects.create(process=process, kind="test", label="Test", **fields)


def _side_files(data_dir: Path) -> list[str]:
    folder = data_dir / "jobs"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


# --- job_run ---------------------------------------------------------------------------------


def test_job_run_records_progress_and_result(cast: Cast, _data_dir: Path) -> None:
    job = _job(cast.process)
    seen: list[Any] = []

    def work(progress: Any) -> dict[str, Any]:
        progress(3, 10, "Læser")
        row = Job.objects.get(pk=job.pk)
        assert row.status == JobStatus.RUNNING
        seen.append((job_progress_read(job.pk), selectors.job_view(row)))
        return {"rows": 10}

    assert job_run(job.pk, work) == {"rows": 10}
    job.refresh_from_db()
    assert seen == [(ProgressState(3, 10, "Læser"),
                     selectors.JobView(status=JobStatus.RUNNING, done=3, total=10, message="Læser"))]
    assert seen[0][1].percent == 30
    assert job.status == JobStatus.SUCCEEDED
    assert (job.progress_done, job.progress_total, job.message) == (3, 10, "Læser")  # the last progress, kept
    assert job.result == {"rows": 10}
    assert job.percent == 100
    assert job.started_at and job.finished_at
    assert _side_files(_data_dir) == []


def test_a_user_facing_error_fails_the_job_with_its_message_and_removes_the_side_file(
        cast: Cast, _data_dir: Path) -> None:
    job = _job(cast.process)

    def work(progress: Any) -> None:
        progress(4, 8)
        assert _side_files(_data_dir) == [f"{job.pk}.json"]
        raise JobError("Filen kunne ikke læses.")

    assert job_run(job.pk, work) == {}
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == "Filen kunne ikke læses."
    assert (job.progress_done, job.progress_total) == (4, 8)  # how far it came
    assert _side_files(_data_dir) == []


def test_an_unexpected_error_fails_the_job_removes_the_side_file_and_is_raised(
        cast: Cast, _data_dir: Path) -> None:
    job = _job(cast.process)

    def work(progress: Any) -> None:
        progress(1, 2)
        raise ZeroDivisionError

    with pytest.raises(JobCrashed, match="ZeroDivisionError"):
        job_run(job.pk, work)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == gettext("An unexpected error stopped the job. Nothing was saved.")
    assert _side_files(_data_dir) == []


def test_an_unexpected_error_passes_on_its_type_but_not_its_personal_text(
        cast: Cast, caplog: pytest.LogCaptureFixture) -> None:
    job = _job(cast.process)

    address = "@".join(["anne", "example.org"])  # as data, the way a database error carries it

    def work(progress: Any) -> None:
        raise ValueError(f"Key (process_id, email)=(1, {address}) already exists.")

    with caplog.at_level("ERROR"), pytest.raises(JobCrashed) as raised:
        job_run(job.pk, work)
    assert "anne@example.org" not in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    assert "ValueError" in caplog.text
    assert "anne@example.org" not in caplog.text


def test_a_side_file_left_by_a_dead_worker_is_removed_when_the_job_runs_again(cast: Cast) -> None:
    job = _job(cast.process)
    path = job_progress_path(job.pk)
    path.parent.mkdir(parents=True)
    path.write_text('{"done": 7, "total": 9, "message": "old"}')
    seen = []

    def work(progress: Any) -> None:
        seen.append(job_progress_read(job.pk))

    job_run(job.pk, work)
    assert seen == [None]
    assert not path.exists()


def test_a_job_that_reports_no_progress_keeps_its_row_values(cast: Cast) -> None:
    job = _job(cast.process, progress_done=2, progress_total=5, message="fra før")
    job_run(job.pk, lambda progress: {"ok": True})
    job.refresh_from_db()
    assert (job.status, job.progress_done, job.progress_total, job.message) == (
        JobStatus.SUCCEEDED, 2, 5, "fra før")


# --- JobProgress: side file, throttling, row --------------------------------------------------


def test_progress_writes_the_side_file_whole_and_for_the_owner_only(cast: Cast, _data_dir: Path) -> None:
    job = _job(cast.process)
    JobProgress(job.pk)(5, 20, "Gemmer rækkerne")
    path = _data_dir / "jobs" / f"{job.pk}.json"
    assert job_progress_path(job.pk) == path
    assert json.loads(path.read_text(encoding="utf-8")) == {"done": 5, "total": 20, "message": "Gemmer rækkerne"}
    assert _side_files(_data_dir) == [f"{job.pk}.json"]  # no temporary file left beside it
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_progress_is_throttled_but_keeps_phase_changes_ends_and_the_last_value(cast: Cast) -> None:
    job = _job(cast.process)
    clock = Clock()
    progress = JobProgress(job.pk, clock=clock)
    progress(0, 100, "Læser")
    clock.now += 0.05
    progress(10)  # within 0.1 s: not written
    assert job_progress_read(job.pk) == ProgressState(0, 100, "Læser")
    clock.now += 0.06
    progress(20)  # 0.11 s after the last write
    assert job_progress_read(job.pk) == ProgressState(20, 100, "Læser")
    clock.now += 0.01
    progress(30, message="Gemmer")  # a new phase is shown at once
    assert job_progress_read(job.pk) == ProgressState(30, 100, "Gemmer")
    clock.now += 0.01
    progress(100)  # done == total is shown at once
    assert job_progress_read(job.pk) == ProgressState(100, 100, "Gemmer")
    clock.now += 0.01
    progress(0, 50, None)  # None keeps the message; within 0.1 s: not written ...
    assert job_progress_read(job.pk) == ProgressState(100, 100, "Gemmer")
    assert progress.state == ProgressState(0, 50, "Gemmer")  # ... but kept for job_run's last word


def test_the_throttled_last_value_reaches_the_row(cast: Cast) -> None:
    job = _job(cast.process)

    def work(progress: Any) -> None:
        progress(1, 1000)
        for done in range(2, 1000):
            progress(done)  # all within 0.1 s of each other (on any sane machine): not written

    job_run(job.pk, work)
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total) == (999, 1000)


def test_a_progress_file_that_cannot_be_written_does_not_stop_the_job(cast: Cast, settings: Any,
                                                                      tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.DATA_DIR = blocker  # DATA_DIR/jobs cannot be created
    job = _job(cast.process)
    job_run(job.pk, lambda progress: progress(1, 2) or {"ok": True})
    job.refresh_from_db()
    assert (job.status, job.progress_done, job.progress_total) == (JobStatus.SUCCEEDED, 1, 2)


@pytest.mark.django_db(transaction=True)
def test_progress_reaches_the_row_only_outside_a_transaction() -> None:
    process = StrategyProcess.objects.create(slug="p", name="P")
    job = _job(process)

    def row() -> tuple[int, int, str]:
        return Job.objects.values_list("progress_done", "progress_total", "message").get(pk=job.pk)

    progress = JobProgress(job.pk, clock=Clock())
    progress(3, 10, "Læser")
    assert row() == (3, 10, "Læser")  # durable at once
    with transaction.atomic():
        progress(6, message="Gemmer")
        assert row() == (3, 10, "Læser")  # would stay invisible to others until the commit
        assert job_progress_read(job.pk) == ProgressState(6, 10, "Gemmer")


# --- selectors ---------------------------------------------------------------------------------


def test_job_view_prefers_the_side_file_while_the_job_is_queued_or_running(cast: Cast) -> None:
    job = _job(cast.process, status=JobStatus.RUNNING, progress_done=1, progress_total=10, message="række")
    assert selectors.job_view(job) == selectors.JobView(JobStatus.RUNNING, 1, 10, "række")
    JobProgress(job.pk)(4, 10, "fil")
    assert selectors.job_view(job) == selectors.JobView(JobStatus.RUNNING, 4, 10, "fil")
    assert selectors.job_view(job).percent == 40
    job.status = JobStatus.QUEUED
    assert selectors.job_view(job).done == 4
    for status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
        job.status = status
        assert selectors.job_view(job) == selectors.JobView(status, 1, 10, "række")
    assert selectors.JobView(JobStatus.SUCCEEDED, 0, 0, "").percent == 100


@pytest.mark.parametrize("content", ["", "{", "[]", '{"done": 1}', '{"done": "x", "total": 2, "message": ""}'])
def test_a_broken_side_file_falls_back_to_the_row(cast: Cast, content: str) -> None:
    job = _job(cast.process, status=JobStatus.RUNNING, progress_done=2, progress_total=8)
    path = job_progress_path(job.pk)
    path.parent.mkdir(parents=True)
    path.write_text(content)
    assert job_progress_read(job.pk) is None
    assert (selectors.job_view(job).done, selectors.job_view(job).total) == (2, 8)


def test_jobs_and_job_detail_carry_live_progress(cast: Cast) -> None:
    running = _job(cast.process, status=JobStatus.RUNNING)
    done = _job(cast.process, status=JobStatus.SUCCEEDED, progress_done=5, progress_total=5)
    foreign = _job(cast.other_process, status=JobStatus.RUNNING)
    JobProgress(running.pk)(30, 120, "Gemmer")
    JobProgress(done.pk)(1, 5)  # a finished job shows its row, whatever a file says
    listed = {job.pk: (job.progress_done, job.progress_total, job.message, job.percent)
              for job in selectors.jobs(cast.process)[:100]}
    assert listed == {running.pk: (30, 120, "Gemmer", 25), done.pk: (5, 5, "", 100)}
    detail = selectors.job_detail(cast.process, running.pk)
    assert detail is not None and (detail.progress_done, detail.percent) == (30, 25)
    assert selectors.jobs(cast.process).get(pk=running.pk).progress_done == 30
    assert selectors.job_detail(cast.process, foreign.pk) is None
    assert Job.objects.get(pk=running.pk).progress_done == 0  # only shown, never saved


def test_the_job_pages_show_live_progress(cast: Cast, client_for: Any) -> None:
    job = _job(cast.process, status=JobStatus.RUNNING)
    JobProgress(job.pk)(50, 200, "Gemmer rækkerne")
    client = client_for(cast.users["analyst"])
    partial = client.get(reverse("processes:job", args=["proc", job.pk]), HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert 'value="25" max="100"' in body and "Gemmer rækkerne" in body and "hx-trigger" in body
    assert "25 %" in client.get(reverse("processes:jobs", args=["proc"])).content.decode()
    for user, status in ((cast.users["reader"], 403), (cast.outsider, 404)):
        other = client_for(user)
        assert other.get(reverse("processes:job", args=["proc", job.pk])).status_code == status
        assert other.get(reverse("processes:jobs", args=["proc"])).status_code == status
