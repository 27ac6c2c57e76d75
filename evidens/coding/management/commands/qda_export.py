"""``evidens qda export --process SLUG --out FILE.qdpx [--json]``: the codebook and every coded text as a REFI-QDA
project (or, for a ``.qdc`` file, the codebook alone)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evidens.coding import refiqda, selectors
from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp
from evidens.processes.commands import process_named


def counts_text(counts: dict[str, int]) -> str:
    return _("%(sources)s texts, %(codes)s codes, %(codings)s codings") % counts


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop("Export a process's codebook and coded texts as a REFI-QDA project (.qdpx), "
                                    "or the codebook alone (.qdc)."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--process", required=True, help=_("the process's short name (slug)"))
        parser.add_argument("--out", required=True, help=_("the file to write: .qdpx, or .qdc for the codebook"))
        parser.add_argument("--json", action="store_true", dest="as_json", help=_("print the counts as JSON"))

    def handle(self, *args: Any, process: str, out: str, as_json: bool, **options: Any) -> None:
        strategy_process = process_named(process)
        target = Path(out)
        if target.suffix.lower() == ".qdc":
            codes = selectors.qda_codes(strategy_process)
            content = refiqda.write_qdc(codes)
            counts = {"sources": 0, "codes": len(codes), "codings": 0}
        else:
            project = selectors.qda_project(strategy_process)
            content = refiqda.write_qdpx(project)
            counts = {"sources": len(project.sources), "codes": len(project.codes), "codings": len(project.codings)}
        try:
            target.write_bytes(content)
        except OSError as error:
            raise CommandError(_("Cannot write %(file)s: %(reason)s")
                               % {"file": target, "reason": error.strerror or error}) from None
        if as_json:
            self.stdout.write(json.dumps(counts))
        else:
            self.stdout.write(_("Wrote %(file)s: %(counts)s.") % {"file": target, "counts": counts_text(counts)})
