"""``evidens privacy retention (--process SLUG | --all) [--dry-run] [--json]``: erase the people past their delete-by
date and prune the web statistics to each process's retention period. Meant to run every night (a systemd timer
in docs/operations.md)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rich.progress import Progress

from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp
from evidens.privacy import services
from evidens.processes.commands import process_named
from evidens.processes.models import StrategyProcess


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop("Erase the people whose delete-by date has passed and delete web statistics older "
                                    "than the process keeps them."))

    def add_arguments(self, parser: CommandParser) -> None:
        chosen = parser.add_mutually_exclusive_group(required=True)
        chosen.add_argument("--process", help=_("the process's short name (slug)"))
        chosen.add_argument("--all", action="store_true", dest="every", help=_("every process"))
        parser.add_argument("--dry-run", action="store_true", help=_("only count what is due; change nothing"))
        parser.add_argument("--json", action="store_true", dest="as_json", help=_("print the result as JSON"))

    def handle(self, *args: Any, process: str | None, every: bool, dry_run: bool, as_json: bool,
               **options: Any) -> None:
        processes = list(StrategyProcess.objects.order_by("slug")) if every else [process_named(process or "")]
        if not processes:
            raise CommandError(_("There are no processes."))
        results = []
        with Progress(transient=True, disable=as_json) as bar:
            for found in processes:
                step = bar.add_task(found.slug, total=None)
                results.append(services.retention_run(
                    process=found, actor=None, dry_run=dry_run,
                    progress=lambda done, total=None, *_args, step=step: bar.update(step, completed=done,
                                                                                      total=total)))
        if as_json:
            self.stdout.write(json.dumps([result.as_dict() for result in results], ensure_ascii=False, indent=2))
            return
        for result in results:
            text = (_("%(process)s: %(people)s people and %(imports)s web imports are due (nothing changed).")
                    if dry_run else _("%(process)s: %(people)s people erased, %(imports)s web imports pruned."))
            self.stdout.write(text % {"process": result.process, "people": result.people_erased,
                                      "imports": result.web_imports_pruned})
