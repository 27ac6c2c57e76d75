"""``evidens report build --process SLUG --kind vidensrapport|beslutningsgrundlag|survey --format html|pdf|docx
--out FILE [--survey ID] [--by VARIABLE]``: build a report now, keep it as a version, and write it to FILE."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rich.progress import Progress

from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp
from evidens.processes.commands import process_named
from evidens.reports import services
from evidens.reports.models import ReportFormat, ReportKind
from evidens.surveys.models import Survey


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop("Build a report of a process (the knowledge report, the decision memo or a "
                                    "survey's results) as HTML, PDF or Word, keep it as a version and write it to "
                                    "a file."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--process", required=True, help=_("the process's short name (slug)"))
        parser.add_argument("--kind", required=True, choices=ReportKind.values, help=_("which report"))
        parser.add_argument("--format", required=True, choices=ReportFormat.values, dest="file_format",
                            help=_("the file format"))
        parser.add_argument("--out", required=True, type=Path, help=_("the file to write"))
        parser.add_argument("--survey", type=int, help=_("the survey's number (for --kind survey)"))
        parser.add_argument("--by", default="", help=_("compare a survey's results by this variable"))
        parser.add_argument("--identified-quotes", action="store_true",
                            help=_("name the interviewees who agreed to be quoted by name (knowledge report)"))

    def handle(self, *args: Any, process: str, kind: str, file_format: str, out: Path, survey: int | None,
               by: str, identified_quotes: bool, **options: Any) -> None:
        found = process_named(process)
        chosen = Survey.objects.filter(process=found, pk=survey).first() if survey is not None else None
        if survey is not None and chosen is None:
            raise CommandError(_("The process has no survey number %(number)s.") % {"number": survey})
        try:
            build = services.report_build_create(process=found, actor=None, kind=kind, file_format=file_format,
                                                 survey=chosen, compare_by=by, identified_quotes=identified_quotes)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        with Progress(transient=True) as bar:
            step = bar.add_task(_("Building"), total=3)
            services.report_build_run(build_id=build.pk,
                                      progress=lambda done, total=None, *_args: bar.update(step, completed=done))
        build.refresh_from_db()
        out.write_bytes(build.file.read())
        self.stdout.write(_("%(report)s written to %(file)s (%(bytes)s bytes).") % {
            "report": build, "file": out, "bytes": build.size})
