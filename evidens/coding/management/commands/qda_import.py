"""``evidens qda import FILE --process SLUG [--json]``: bring a REFI-QDA project (.qdpx) or codebook (.qdc) from
NVivo, ATLAS.ti, MAXQDA or QualCoder into a process; codes are merged by name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evidens.coding import services
from evidens.coding.management.commands.qda_export import counts_text
from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp, error_text
from evidens.processes.commands import process_named


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop("Import a REFI-QDA project (.qdpx) or codebook (.qdc) into a process."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("the .qdpx or .qdc file"))
        parser.add_argument("--process", required=True, help=_("the process's short name (slug)"))
        parser.add_argument("--json", action="store_true", dest="as_json", help=_("print the counts as JSON"))

    def handle(self, *args: Any, file: str, process: str, as_json: bool, **options: Any) -> None:
        strategy_process = process_named(process)
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(reason)s")
                               % {"file": path, "reason": error.strerror or error}) from None
        try:
            if path.suffix.lower() == ".qdc":
                summary = services.codebook_import(process=strategy_process, actor=None, data=data)
            else:
                summary = services.project_import(process=strategy_process, actor=None, data=data, name=path.name)
        except ValidationError as error:
            raise CommandError(error_text(error)) from None
        if as_json:
            self.stdout.write(json.dumps(summary.counts()))
            return
        self.stdout.write(_("Imported %(file)s: %(counts)s.") % {"file": path.name,
                                                                  "counts": counts_text(summary.counts())})
        if summary.merged_codes:
            self.stdout.write(_("Merged by name with codes already in the codebook: %(codes)s")
                              % {"codes": ", ".join(summary.merged_codes)})
        for note in summary.notes:
            self.stdout.write(f"  {note}")
