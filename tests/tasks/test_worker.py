"""``evidens worker`` as a real subprocess on the queue the environment selects (the database by default, Redis with
EVIDENS_TASK_BACKEND=django_tasks_rq.RQBackend): jobs queued through ``job_enqueue`` run once, end with their
result or fail without personal data, wait for their time, and a stopped worker finishes the job at hand."""

from __future__ import annotations

import contextlib
import re
import signal
import subprocess
import zlib
from datetime import datetime
from typing import Any

import pytest

from tests.tasks.conftest import Stack, on_redis, wait_until
from tests.tasks.probe_tasks import PERSONAL_DATA, RELEASE_FILE

# pytest-django makes the test database only for a run with tests that use it; the stack copies it.
pytestmark = pytest.mark.django_db

GRACEFUL_STOP = re.compile(r"shutting down gracefully|warm shut down requested")


def settled(stack: Stack, job_ids: list[int]) -> bool:
    return all(stack.database.job(job_id).status in {"succeeded", "failed"} for job_id in job_ids)


def stored_task_results(stack: Stack) -> str:
    """Everything the queue keeps about tasks (arguments, errors, tracebacks), as text to search."""
    if on_redis():
        return "\n".join(redis_contents(stack.env["EVIDENS_REDIS_URL"]))
    return "\n".join(map(repr, stack.database.rows("SELECT * FROM django_tasks_database_dbtaskresult")))


def redis_contents(url: str) -> list[str]:
    """Every key of the Redis database with its values; RQ keeps a job's data zlib-compressed, so values that
    decompress are shown decompressed."""
    import redis

    def readable(value: bytes) -> str:
        with contextlib.suppress(zlib.error):
            value = zlib.decompress(value)
        return repr(value)

    client: Any = redis.Redis.from_url(url)
    contents = []
    for key in client.scan_iter():
        kind = client.type(key).decode()
        values: list[bytes]
        if kind == "string":
            values = [client.get(key)]
        elif kind == "hash":
            values = [item for pair in client.hgetall(key).items() for item in pair]
        elif kind == "list":
            values = client.lrange(key, 0, -1)
        elif kind in {"set", "zset"}:
            values = list(client.smembers(key)) if kind == "set" else client.zrange(key, 0, -1)
        else:  # stream: RQ's results
            values = [item for _id, entry in client.xrange(key) for pair in entry.items() for item in pair]
        contents.append(f"{key.decode()}: " + " ".join(readable(value) for value in values))
    return contents


# --- one batch: a job that succeeds, one that fails, one left for later --------------------------------------------


@pytest.fixture(scope="module")
def batch(stack: Stack) -> dict[str, Any]:
    jobs = [planned["job"] for planned in stack.enqueue(
        ("record_run", 0, {}), ("fail_quoting_personal_data", 0, {}), ("record_run", 0, {}))]
    queued = {job_id: stack.database.job(job_id) for job_id in jobs}
    run = stack.evidens("worker", "--batch", "--max-tasks", "2")
    return {"jobs": jobs, "queued": queued, "output": run.stdout + run.stderr}


def test_a_queued_job_runs_in_the_worker_and_succeeds_with_its_result(stack: Stack, batch: dict[str, Any]) -> None:
    job_id = batch["jobs"][0]
    assert batch["queued"][job_id].status == "queued"
    assert batch["queued"][job_id].task_id  # set when the enqueuing transaction committed

    job = stack.database.job(job_id)

    assert job.status == "succeeded", batch["output"]
    assert job.result == {"job": job_id, "answer": 42}
    assert (job.progress, job.message) == ((1, 2), "halfway")
    assert stack.runs()[job_id] == 1


def test_a_failing_job_ends_failed_without_personal_data(stack: Stack, batch: dict[str, Any]) -> None:
    job_id = batch["jobs"][1]

    job = stack.database.job(job_id)

    assert job.status == "failed", batch["output"]
    assert job.message == "En uventet fejl stoppede jobbet. Intet blev gemt."
    assert job.result == {}
    assert stack.runs()[job_id] == 1
    # Where the failure is told: the worker's log names the error's type, never its text.
    assert "ValueError" in batch["output"]
    assert PERSONAL_DATA not in batch["output"]
    stored = stored_task_results(stack)
    assert job.task_id.replace("-", "") in stored.replace("-", "")  # the failure is there to search
    assert PERSONAL_DATA not in stored


def test_max_tasks_stops_the_worker_after_that_many_jobs(stack: Stack, batch: dict[str, Any]) -> None:
    left = batch["jobs"][2]

    assert stack.database.job(left).status == "queued"
    assert stack.runs()[left] == 0


# --- two workers: each job once, a deferred job at its time ----------------------------------------------------------


@pytest.fixture(scope="module")
def two_workers(stack: Stack) -> dict[str, Any]:
    first, second = stack.start("worker"), stack.start("worker")
    for worker in (first, second):
        stack.wait_ready(worker)
    planned = stack.enqueue(*[("record_run", 0, {"pause": 0.3}) for _ in range(8)], ("record_run", 4, {}))
    jobs = [item["job"] for item in planned]
    wait_until(lambda: settled(stack, jobs), seconds=90, what="the jobs to run")
    result = {"jobs": jobs, "run_after": datetime.fromisoformat(planned[-1]["run_after"]),
              "workers": {first[0].pid, second[0].pid}, "runs": stack.runs(), "ran_by": stack.run_workers(),
              "task_starts": stack.task_starts()}
    stack.stop_all()
    return result


def test_two_workers_run_each_job_exactly_once(stack: Stack, two_workers: dict[str, Any]) -> None:
    jobs = two_workers["jobs"]

    assert {job_id: two_workers["runs"][job_id] for job_id in jobs} == dict.fromkeys(jobs, 1)
    assert all(stack.database.job(job_id).status == "succeeded" for job_id in jobs)
    # Both took part: with 0.3 s a job, neither worker could take all eight before the other asked.
    assert {two_workers["ran_by"][job_id] for job_id in jobs[:8]} == two_workers["workers"]
    task_ids = [stack.database.job(job_id).task_id for job_id in jobs]
    assert [two_workers["task_starts"][task_id] for task_id in task_ids] == [1] * len(jobs)


def test_a_deferred_job_runs_at_its_time_and_not_before(stack: Stack, two_workers: dict[str, Any]) -> None:
    deferred = stack.database.job(two_workers["jobs"][-1])

    assert deferred.status == "succeeded"
    assert deferred.started_at is not None
    # The workers were idle and waiting before it was queued: only its time held it back.
    assert deferred.started_at >= two_workers["run_after"]


# --- stopping ----------------------------------------------------------------------------------------------------


def test_sigterm_lets_the_running_job_finish_before_the_worker_exits(workers: Stack) -> None:
    stack = workers
    worker = stack.start("worker")
    stack.wait_ready(worker)
    (planned,) = stack.enqueue(("wait_for_release", 0, {}))
    wait_until(lambda: stack.database.job(planned["job"]).status == "running", seconds=60, what="the job to start")

    process, log = worker
    process.send_signal(signal.SIGTERM)
    wait_until(lambda: GRACEFUL_STOP.search(log.read_text()), seconds=30, what="the worker to take the signal")
    assert process.poll() is None  # still running the job
    (stack.data_dir / RELEASE_FILE).touch()

    try:
        code = process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the worker did not stop after its job:\n{log.read_text()}")
    job = stack.database.job(planned["job"])
    assert (job.status, job.result) == ("succeeded", {"released": True}), log.read_text()
    assert code == 0
