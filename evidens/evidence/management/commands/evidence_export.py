"""``evidens evidence export --process SLUG [--json]``: the evidence base — challenges, assumptions with their
verdicts, findings with their evidence, needs — as JSON for other tools, or as a short overview."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp
from evidens.evidence import selectors
from evidens.evidence.models import Verdict
from evidens.processes.commands import process_named


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop("Print a process's evidence base: challenges, assumptions with their verdicts, "
                                    "findings with their evidence, and needs."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--process", required=True, help=_("the process's short name (slug)"))
        parser.add_argument("--json", action="store_true", dest="as_json", help=_("print everything as JSON"))

    def handle(self, *args: Any, process: str, as_json: bool, **options: Any) -> None:
        exported = selectors.evidence_export(process_named(process))
        if as_json:
            self.stdout.write(json.dumps(exported, ensure_ascii=False, indent=2))
            return
        words = {word: Verdict(value).label for value, word in selectors.EXPORT_VERDICTS.items()}
        for assumption in exported["assumptions"]:
            self.stdout.write(f"[{words[assumption['verdict']]}] {assumption['statement']}")
        self.stdout.write(_("%(assumptions)s assumptions, %(findings)s findings, %(needs)s needs.") % {
            "assumptions": len(exported["assumptions"]), "findings": len(exported["findings"]),
            "needs": len(exported["needs"])})
