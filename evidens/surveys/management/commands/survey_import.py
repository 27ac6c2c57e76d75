"""``evidens survey import FILE --process SLUG``: a draft survey from an XLSForm or LimeSurvey file."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp
from evidens.processes.commands import process_named
from evidens.surveys import services
from evidens.surveys.inspection import SurveyFileError, read_survey_file


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop("Create a draft survey in a process from an XLSForm (.xlsx) or LimeSurvey (.lss) "
                                    "file."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("the survey file"))
        parser.add_argument("--process", required=True, help=_("the process's short name (slug)"))
        parser.add_argument("--title", default="", help=_("the survey's title (default: from the file)"))

    def handle(self, *args: Any, file: str, process: str, title: str, **options: Any) -> None:
        strategy_process = process_named(process)
        try:
            result = read_survey_file(file)
        except SurveyFileError as error:
            raise CommandError(str(error), returncode=2) from None
        survey = services.survey_import(process=strategy_process, actor=None, result=result, title=title)
        questions = sum(1 for _pair in result.definition.questions())
        self.stdout.write(_("Created the draft survey %(id)s “%(title)s” with %(count)s questions.") % {
            "id": survey.pk, "title": survey.title, "count": questions})
        for note in result.report:
            self.stdout.write(f"  ! {note.where or '-'}: {note.message}")
