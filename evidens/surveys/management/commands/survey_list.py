"""``evidens survey list --process SLUG [--json]``."""

from __future__ import annotations

import json as json_module
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp
from evidens.processes.commands import process_named
from evidens.surveys import selectors


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop("List a process's surveys with their recipients and responses."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--process", required=True, help=_("the process's short name (slug)"))
        parser.add_argument("--json", action="store_true", help=_("print JSON"))

    def handle(self, *args: Any, process: str, json: bool, **options: Any) -> None:
        strategy_process = process_named(process)
        rows = [selectors.survey_summary(survey) for survey in selectors.survey_list(process=strategy_process)]
        if json:
            self.stdout.write(json_module.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(_("%(id)s  %(title)s  (%(status)s)  %(recipients)s recipients, %(complete)s complete, "
                                "%(partial)s partial") % row)
