"""``evidens process create SLUG --name NAME``: an empty process with the default phases."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp, error_text
from evidens.processes.models import StrategyProcess
from evidens.processes.services import process_create


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop(
        "Create an empty strategy process with the default phases (for scripts and imports)."
    ))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help=_("short name used in addresses: /p/SLUG/"))
        parser.add_argument("--name", required=True, help=_("the process's name"))
        parser.add_argument("--organisation", default="", help=_("the organisation that runs it"))
        parser.add_argument("--json", action="store_true", dest="as_json",
                            help=_("print the new process as JSON"))

    def handle(self, *args: Any, slug: str, name: str, organisation: str, as_json: bool,
               **options: Any) -> None:
        if StrategyProcess.objects.filter(slug=slug).exists():
            raise CommandError(_("A process with the short name %(slug)s already exists.") % {"slug": slug})
        try:
            process = process_create(slug=slug, name=name, organisation=organisation)
        except ValidationError as error:
            raise CommandError(_("The process was not created: %(details)s")
                               % {"details": error_text(error, StrategyProcess)}) from None
        phases = list(process.phases.order_by("order").values_list("name", flat=True))
        if as_json:
            self.stdout.write(json.dumps({
                "id": process.pk,
                "slug": process.slug,
                "name": process.name,
                "organisation": process.organisation,
                "status": process.status,
                "phases": phases,
                "url": f"/p/{process.slug}/",
            }, ensure_ascii=False))
        else:
            self.stdout.write(ngettext("Created process %(slug)s (%(name)s) with %(count)s phase: %(url)s",
                                       "Created process %(slug)s (%(name)s) with %(count)s phases: %(url)s",
                                       len(phases)) % {
                "slug": process.slug, "name": process.name, "count": len(phases), "url": f"/p/{process.slug}/"})
