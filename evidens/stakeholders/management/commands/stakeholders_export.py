"""``evidens stakeholders export --process SLUG --kind organisations|people --format csv|xlsx --out FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp, number_text
from evidens.processes.commands import process_named
from evidens.stakeholders import importing, services


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop("Export a process's organisations or people as CSV (for Danish Excel) or XLSX."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--process", required=True, help=_("the process's short name (slug)"))
        parser.add_argument("--kind", required=True, choices=importing.KINDS,
                            help=_("what to export: organisations or people"))
        parser.add_argument("--format", dest="file_format", choices=["csv", "xlsx"],
                            help=_("default: from the --out file name"))
        parser.add_argument("--out", required=True, help=_("file to write"))

    def handle(self, *args: Any, process: str, kind: importing.Kind, file_format: str | None, out: str,
               **options: Any) -> None:
        strategy_process = process_named(process)
        path = Path(out)
        file_format = file_format or path.suffix.lower().lstrip(".")
        if file_format not in ("csv", "xlsx"):
            raise CommandError(_("Give --format csv or xlsx (or an --out file ending in .csv or .xlsx)."))
        content, _name, _type = services.register_export(process=strategy_process, actor=None, kind=kind,
                                                         file_format=file_format)
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(_("Cannot write %(file)s: %(reason)s")
                               % {"file": out, "reason": error.strerror or error}) from None
        values = {"process": strategy_process.slug, "file": path, "count": number_text(len(content))}
        if kind == "organisations":
            message = ngettext("Wrote the organisations of %(process)s to %(file)s (%(count)s byte).",
                               "Wrote the organisations of %(process)s to %(file)s (%(count)s bytes).", len(content))
        else:
            message = ngettext("Wrote the people of %(process)s to %(file)s (%(count)s byte).",
                               "Wrote the people of %(process)s to %(file)s (%(count)s bytes).", len(content))
        self.stdout.write(message % values)
