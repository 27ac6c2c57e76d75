"""``evidens worker``: runs the background jobs (django-tasks-db's ``db_worker`` on the default queue)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop(
        "Run background jobs from the database queue until stopped (SIGTERM or Ctrl-C finish the job first)."
    ))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help=_("run every queued job, then exit"))
        parser.add_argument("--interval", type=float, default=1.0,
                            help=_("seconds to wait between looks at an empty queue (default 1)"))
        parser.add_argument("--max-tasks", type=int, default=None,
                            help=_("exit after this many jobs"))

    def handle(self, *args: Any, batch: bool, interval: float, max_tasks: int | None, **options: Any) -> None:
        self.check_migrations()
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
