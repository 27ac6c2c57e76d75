"""``evidens webstats import LOG... --process SLUG [--format FORMAT] [--json]``: import access logs into a
process's web statistics, with a progress bar, and print what the import counted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp, error_text, number_text
from evidens.processes.commands import process_named
from evidens.processes.jobs import JobError
from evidens.webstats import services
from evidens.webstats.management.commands._progress import reading_bar
from evidens.webstats.management.commands.webstats_analyze import readable


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop("Import access logs (plain, .gz or .bz2) into a process's web statistics."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("logs", nargs="+", help=_("access log files, imported together as one import"))
        parser.add_argument("--process", required=True, help=_("the process's short name (slug)"))
        parser.add_argument("--format", default="combined", dest="log_format",
                            help=_("combined, common, or a format string in Apache or nginx syntax"))
        parser.add_argument("--json", action="store_true", dest="as_json", help=_("print the counts as JSON"))
        parser.add_argument("--quiet", action="store_true", help=_("no progress bar"))

    def handle(self, *args: Any, logs: list[str], process: str, log_format: str, as_json: bool, quiet: bool,
               **options: Any) -> None:
        strategy_process = process_named(process)
        try:
            paths = [readable(Path(name)) for name in logs]
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(reason)s")
                               % {"file": error.filename, "reason": error.strerror or error}) from None
        try:
            log_import = services.log_import_register(process=strategy_process, actor=None, paths=paths,
                                                      log_format_text=log_format)
        except ValidationError as error:
            raise CommandError(error_text(error)) from None
        try:
            with reading_bar(quiet=quiet or as_json) as progress:
                result = services.log_import_run(import_id=log_import.pk, paths=paths,
                                                 progress=lambda done, total, _message: progress(done * 1024,
                                                                                                 total * 1024))
        except JobError as error:
            raise CommandError(str(error)) from None
        counts = result["counts"]
        if as_json:
            self.stdout.write(json.dumps({"import": log_import.pk, "retention_applied": result["retention_applied"],
                                          **counts}, ensure_ascii=False, indent=2))
            return
        self.stdout.write(_("Imported %(lines)s lines into %(process)s: %(views)s page views, %(bots)s requests by "
                            "robots, %(malformed)s lines not readable.") % {
            "lines": number_text(counts["lines"]), "process": strategy_process.slug,
            "views": number_text(counts["human_page_views"]), "bots": number_text(counts["bot_hits"]),
            "malformed": number_text(counts["malformed"])})
        if result["retention_applied"]:
            self.stdout.write(result["summary"])
        for line in counts["malformed_sample"][:5]:
            self.stdout.write(f"  ! {line['file']}:{line['line']}: {line['text'][:100]}")
