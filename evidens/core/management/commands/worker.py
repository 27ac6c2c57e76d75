"""``evidens worker``: runs the background jobs of the configured queue (settings.TASK_BACKEND).

The database queue runs through django-tasks-db's ``db_worker``, the Redis queue through django-rq's ``rqworker``.
Either way SIGTERM or Ctrl-C lets the job at hand finish first (a second one stops it).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandParser
from django.db import close_old_connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp
from evidens.processes.jobs import jobs_stopped_watch

# One process that runs the jobs itself, one after another, as db_worker does; RQ's default worker forks a
# child per job instead. The reason: a job that outlives its timeout gets an exception inside it here, so
# ``job_run`` marks its Job failed; a forked child is killed outright and would leave its Job "running" for good.
# Also no database connection crosses a fork. The price: a job that crashes the interpreter takes the worker
# with it, which the service manager restarts (as with db_worker).
RQ_WORKER_CLASS = "rq.worker.SimpleWorker"


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop(
        "Run background jobs from the queue until stopped (SIGTERM or Ctrl-C finish the job first)."
    ))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help=_("run every queued job, then exit"))
        parser.add_argument("--interval", type=float, default=1.0,
                            help=_("seconds to wait between looks at an empty database queue (default 1); "
                                   "a worker on Redis is woken by each new job"))
        parser.add_argument("--max-tasks", type=int, default=None,
                            help=_("exit after this many jobs"))

    def handle(self, *args: Any, batch: bool, interval: float, max_tasks: int | None, **options: Any) -> None:
        self.check_migrations()
        # A job whose worker was killed would otherwise show as running for ever and block its import's retry.
        stop_watch = jobs_stopped_watch()
        try:
            if settings.TASK_BACKEND == settings.REDIS_TASK_BACKEND:
                self._work_on_redis(batch=batch, max_tasks=max_tasks, verbosity=options["verbosity"])
                return
            call_command(
                "db_worker",
                queue_name="default",
                batch=batch,
                interval=interval,
                max_tasks=max_tasks,
                reload=False,
                startup_delay=not batch,
                verbosity=options["verbosity"],
            )
        finally:
            stop_watch()

    def _work_on_redis(self, *, batch: bool, max_tasks: int | None, verbosity: int) -> None:
        from django_tasks.signals import task_finished, task_started

        # db_worker drops a broken or outlived (CONN_MAX_AGE) database connection around each job; RQ knows
        # nothing of Django's connections, so the same happens on the task signals, which RQ's job sends.
        task_started.connect(_close_old_connections, dispatch_uid="evidens-worker-connections-started")
        task_finished.connect(_close_old_connections, dispatch_uid="evidens-worker-connections-finished")
        call_command(
            "rqworker",
            "default",
            worker_class=RQ_WORKER_CLASS,
            job_class="django_tasks_rq.Job",
            # Deferred jobs (``run_after``, e.g. a planned mailing) wait in RQ's scheduled registry until a
            # scheduler moves them to the queue; one worker at a time holds the scheduler's lock.
            with_scheduler=True,
            burst=batch,
            max_jobs=max_tasks,
            verbosity=verbosity,
        )


def _close_old_connections(**kwargs: Any) -> None:
    close_old_connections()
