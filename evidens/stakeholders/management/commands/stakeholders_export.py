"""``evidens stakeholders export --process SLUG --kind organisations|people --format csv|xlsx --out FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evidens.processes.models import StrategyProcess
from evidens.stakeholders import importing, services


class Command(BaseCommand):
    help = "Export a process's organisations or people as CSV (for Danish Excel) or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--process", required=True, help="the process's short name (slug)")
        parser.add_argument("--kind", required=True, choices=importing.KINDS)
        parser.add_argument("--format", dest="file_format", choices=["csv", "xlsx"],
                            help="default: from the --out file name")
        parser.add_argument("--out", required=True, help="file to write")

    def handle(self, *args: Any, process: str, kind: importing.Kind, file_format: str | None, out: str,
               **options: Any) -> None:
        strategy_process = StrategyProcess.objects.filter(slug=process).first()
        if strategy_process is None:
            raise CommandError(f"No process with the short name {process!r}.")
        path = Path(out)
        file_format = file_format or path.suffix.lower().lstrip(".")
        if file_format not in ("csv", "xlsx"):
            raise CommandError("Give --format csv or xlsx (or an --out file ending in .csv or .xlsx).")
        content, _name, _type = services.register_export(process=strategy_process, actor=None, kind=kind,
                                                         file_format=file_format)
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror}") from None
        self.stdout.write(f"Wrote {kind} of {strategy_process.slug} to {path} ({len(content)} bytes).")
