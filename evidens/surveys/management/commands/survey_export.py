"""``evidens survey export --survey ID --format csv|xlsx|sav --out FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp, number_text
from evidens.surveys import services
from evidens.surveys.exporting import ExportError
from evidens.surveys.models import Survey


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop("Export a survey's responses as CSV, XLSX or SPSS (.sav) with labels, its "
                                    "codebook as CSV, or its questionnaire as XLSForm."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--survey", type=int, required=True, help=_("the survey's number (see survey list)"))
        parser.add_argument("--format", dest="file_format", required=True, choices=services.EXPORT_FORMATS)
        parser.add_argument("--out", required=True, help=_("file to write"))
        parser.add_argument("--language", default="da", choices=["da", "en"], help=_("language of the labels"))

    def handle(self, *args: Any, survey: int, file_format: str, out: str, language: str, **options: Any) -> None:
        found = Survey.objects.filter(pk=survey).select_related("process").first()
        if found is None:
            raise CommandError(_("There is no survey number %(id)s.") % {"id": survey})
        try:
            content = services.survey_export(survey=found, actor=None, file_format=file_format, language=language)
        except ExportError as error:
            raise CommandError(str(error)) from None
        try:
            Path(out).write_bytes(content)
        except OSError as error:
            raise CommandError(_("Cannot write %(file)s: %(reason)s")
                               % {"file": out, "reason": error.strerror or error}) from None
        self.stdout.write(_("Wrote %(file)s (%(size)s bytes).") % {"file": out, "size": number_text(len(content))})
