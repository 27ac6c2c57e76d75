"""GET /health/ for load balancers and monitoring: no login, no personal data, only counts and ages."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Min
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

DATABASE_TASK_BACKEND = "django_tasks_db.DatabaseBackend"


def _queue() -> dict[str, Any]:
    """Jobs waiting to run now and how long the oldest has waited; unknown (None) with a queue outside the database."""
    if settings.TASKS["default"]["BACKEND"] != DATABASE_TASK_BACKEND:
        return {"waiting": None, "oldest_waiting_seconds": None}
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready()
    summary = waiting.aggregate(oldest=Min("enqueued_at"))
    oldest = summary["oldest"]
    return {"waiting": waiting.count(),
            "oldest_waiting_seconds": round((timezone.now() - oldest).total_seconds()) if oldest else 0}


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
    return JsonResponse({"status": "ok", "database": "ok", "queue": queue})
