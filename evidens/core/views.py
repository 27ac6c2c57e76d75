"""GET /health/ for load balancers and monitoring: no login, no personal data, only counts and ages."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Min
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


class QueueUnavailable(Exception):
    """The task queue outside the database (Redis) does not answer."""


def _queue() -> dict[str, Any]:
    """Jobs waiting to run now and how long the oldest has waited; unknown (None) with another kind of queue."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend == settings.DATABASE_TASK_BACKEND:
        waiting, oldest = _database_queue()
    elif backend == settings.REDIS_TASK_BACKEND:
        waiting, oldest = _redis_queue()
    else:
        return {"waiting": None, "oldest_waiting_seconds": None}
    return {"waiting": waiting,
            "oldest_waiting_seconds": round((timezone.now() - oldest).total_seconds()) if oldest else 0}


def _database_queue() -> tuple[int, datetime | None]:
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready()
    return waiting.count(), waiting.aggregate(oldest=Min("enqueued_at"))["oldest"]


def _redis_queue() -> tuple[int, datetime | None]:
    """The jobs in RQ's queue, and the deferred jobs whose time has come but that no scheduler has moved there
    yet (they wait since their time): a stopped scheduler shows as a growing wait. Five small Redis commands."""
    import django_rq
    from redis.exceptions import RedisError
    from rq.registry import ScheduledJobRegistry

    try:
        queue = django_rq.get_queue("default")
        scheduled = ScheduledJobRegistry(queue=queue)
        now = timezone.now().timestamp()
        queued = queue.count
        due = scheduled.connection.zcount(scheduled.key, 0, now)
        earliest_due = scheduled.connection.zrangebyscore(scheduled.key, 0, now, start=0, num=1, withscores=True)
        first_id = queue.get_job_ids(0, 1)
        # Jobs are taken from the front of the list, so the first is the one that has waited longest.
        first = queue.fetch_job(first_id[0]) if first_id else None
    except RedisError as error:
        raise QueueUnavailable from error
    starts = [moment for moment in (
        first.enqueued_at if first else None,
        datetime.fromtimestamp(float(earliest_due[0][1]), tz=UTC) if earliest_due else None,
    ) if moment is not None]
    return queued + due, min(starts, default=None)


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        queue = _queue()
    except DatabaseError:
        logger.exception("health check: the database does not answer")
        return JsonResponse({"status": "error", "database": "error", "queue": None}, status=503)
    except QueueUnavailable:
        logger.exception("health check: the task queue does not answer")
        return JsonResponse({"status": "error", "database": "ok", "queue": None}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "queue": queue})
