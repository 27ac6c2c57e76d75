"""/health/ with the queue on Redis: the jobs waiting in RQ's queue, the deferred ones whose time has come, and the
oldest's wait; 503 when Redis does not answer. (The database queue: tests/core/test_security.py.)"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from evidens.core import views
from tests.core.test_cli import free_port
from tests.tasks.conftest import REDIS_BACKEND, on_redis


def use_redis(settings: Any, url: str) -> None:
    settings.TASKS = {"default": {"BACKEND": REDIS_BACKEND, "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": url}}


def test_health_answers_503_when_redis_does_not(db: None, client: Client, settings: Any) -> None:
    use_redis(settings, f"redis://127.0.0.1:{free_port()}/0")  # nobody listens there

    response = client.get("/health/")

    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "error", "database": "ok", "queue": None}


def test_health_counts_queued_and_due_deferred_jobs_on_redis(settings: Any) -> None:
    import django_rq
    from rq.registry import ScheduledJobRegistry

    # Database 0 of the server: the task stacks use 1-15 (tests/tasks/conftest.py).
    use_redis(settings, os.environ["EVIDENS_REDIS_URL"].rsplit("/", 1)[0] + "/0")
    queue = django_rq.get_queue("default")
    queue.connection.flushdb()
    now = timezone.now()
    first, second, due, later = (queue.create_job("tests.tasks.probe_tasks.record_run", kwargs={"job_id": number})
                                 for number in range(1, 5))
    for job in (first, second):
        queue.enqueue_job(job)
    first.enqueued_at = now - timedelta(seconds=60)
    first.save()
    scheduled = ScheduledJobRegistry(queue=queue)
    for job, delay in ((due, -120), (later, 3600)):  # due two minutes ago (no scheduler moved it); in an hour
        job.save()
        scheduled.schedule(job, now + timedelta(seconds=delay))

    queue_state = views._queue()

    assert queue_state["waiting"] == 3
    assert 120 <= queue_state["oldest_waiting_seconds"] < 180
    queue.connection.flushdb()
    assert views._queue() == {"waiting": 0, "oldest_waiting_seconds": 0}


if not on_redis():  # collected only where a Redis server is given (EVIDENS_REDIS_URL, as in .ci/run), never skipped
    del test_health_counts_queued_and_due_deferred_jobs_on_redis
