"""``evidens process create SLUG --name NAME``: an empty process with the default phases."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from evidens.core.commands import EvidensCommand
from evidens.processes.models import StrategyProcess
from evidens.processes.services import process_create


class Command(EvidensCommand):
    help = "Create an empty strategy process with the default phases (for scripts and imports)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="short name used in addresses: /p/SLUG/")
        parser.add_argument("--name", required=True)
        parser.add_argument("--organisation", default="")
        parser.add_argument("--json", action="store_true", dest="as_json",
                            help="print the new process as JSON")

    def handle(self, *args: Any, slug: str, name: str, organisation: str, as_json: bool,
               **options: Any) -> None:
        if StrategyProcess.objects.filter(slug=slug).exists():
            raise CommandError(_("A process with the short name %(slug)s already exists.") % {"slug": slug})
        try:
            process = process_create(slug=slug, name=name, organisation=organisation)
        except ValidationError as error:
            details = "; ".join(f"{field}: {' '.join(str(m) for m in messages)}"
                                for field, messages in error.message_dict.items())
            raise CommandError(_("The process was not created: %(details)s") % {"details": details}) from None
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
            self.stdout.write(_("Created process %(slug)s (%(name)s) with %(count)s phases: %(url)s") % {
                "slug": process.slug, "name": process.name, "count": len(phases), "url": f"/p/{process.slug}/"})
