"""``evidens survey inspect FILE [--json]``: read an XLSForm or LimeSurvey file without touching the database."""

from __future__ import annotations

import json as json_module
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp
from evidens.surveys.inspection import SurveyFileError, inspection_json, read_survey_file

UNREADABLE = 2


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop("Read an XLSForm (.xlsx) or LimeSurvey (.lss) file and show the questionnaire "
                                    "as Evidens understands it, without saving anything."))
    requires_migrations_checks = False
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("the survey file"))
        parser.add_argument("--json", action="store_true", help=_("print the normalised questionnaire as JSON"))

    def handle(self, *args: Any, file: str, json: bool, **options: Any) -> None:
        try:
            result = read_survey_file(file)
        except SurveyFileError as error:
            raise CommandError(str(error), returncode=UNREADABLE) from None
        inspected = inspection_json(result)
        if json:
            self.stdout.write(json_module.dumps(inspected, ensure_ascii=False, indent=2))
            return
        self.stdout.write(_("%(title)s: %(count)s questions in %(languages)s") % {
            "title": inspected["title"], "count": len(inspected["questions"]),
            "languages": ", ".join(inspected["languages"])})
        for question in inspected["questions"]:
            label = next(iter(question["label"].values()), "")
            self.stdout.write(f"  {question['name']:<24} {question['type']:<16} {label[:60]}")
        for note in inspected["report"]:
            self.stdout.write(f"  ! {note.get('where') or '-'}: {note['message']}")
