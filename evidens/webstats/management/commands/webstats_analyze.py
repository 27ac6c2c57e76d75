"""``evidens webstats analyze LOG... [--format FORMAT] [--json] [--quiet]``: read access logs and print what
they show, without a database. The figures are those of the web pages, including GoAccess-compatible counts."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp, number_text
from evidens.webstats import warehouse
from evidens.webstats.logformat import LogFormat, LogFormatError, log_format
from evidens.webstats.management.commands._progress import reading_bar

UNREADABLE = 2


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop(
        "Analyse access logs (plain, .gz or .bz2) without storing anything, and print a summary."))
    requires_migrations_checks = False
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("logs", nargs="+", help=_("access log files"))
        parser.add_argument("--format", default="combined", dest="log_format",
                            help=_("combined, common, or a format string in Apache or nginx syntax"))
        parser.add_argument("--json", action="store_true", dest="as_json", help=_("print the summary as JSON"))
        parser.add_argument("--quiet", action="store_true", help=_("no progress bar"))

    def handle(self, *args: Any, logs: list[str], log_format: str, as_json: bool, quiet: bool,
               **options: Any) -> None:
        try:
            parsed_format = log_format_or_error(log_format)
            paths = [readable(Path(name)) for name in logs]
            summary = analyse(paths, parsed_format, quiet=quiet)
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(reason)s")
                               % {"file": error.filename, "reason": error.strerror or error},
                               returncode=UNREADABLE) from None
        if as_json:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        for key, label in (("lines", _("Lines")), ("parsed", _("Read")), ("malformed", _("Not readable")),
                           ("hits", _("Requests")), ("bot_hits", _("Requests by robots")),
                           ("human_page_views", _("Page views")), ("visits", _("Visits")),
                           ("unique_visitors_daily_sum", _("Unique visitors (sum of days)")),
                           ("goaccess_unique_visitors", _("Unique visitors as GoAccess counts them"))):
            self.stdout.write(f"{label:<42} {number_text(summary[key]):>14}")
        self.stdout.write(_("From %(first)s to %(last)s") % {"first": summary["first_timestamp"],
                                                              "last": summary["last_timestamp"]})
        for page in summary["top_pages"][:10]:
            self.stdout.write(f"  {number_text(page['page_views']):>10}  {page['path']}")
        for line in summary["malformed_sample"][:5]:
            self.stdout.write(f"  ! {line['file']}:{line['line']}: {line['text'][:100]}")


def log_format_or_error(text: str) -> LogFormat:
    try:
        return log_format(text)
    except LogFormatError as error:
        raise CommandError(str(error)) from None


def readable(path: Path) -> Path:
    with path.open("rb"):
        return path


def analyse(paths: list[Path], parsed_format: LogFormat, *, quiet: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="evidens-analyse-") as folder:
        destination = Path(folder) / "import"
        with reading_bar(quiet=quiet) as progress:
            counts = warehouse.build_import(paths, parsed_format, destination, progress=progress)
        with warehouse.Reader(warehouse.Scope(folders=(destination,))) as reader:
            totals = reader.totals()
            top = reader.top_pages(20)
    counted = counts.as_dict()
    return {
        "lines": counts.lines, "parsed": counts.parsed, "malformed": counts.malformed,
        "replaced_encoding": counts.replaced, **totals,
        "top_pages": [{"path": path, "page_views": views} for path, views, _entries, _exits in top],
        "malformed_sample": counted["malformed_sample"], "bot_rules": counted["rules"],
        "bot_rules_skipped": counted["rules_skipped"],
    }
