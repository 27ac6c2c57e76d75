"""``evidens archive import DIR --process SLUG [--json] [--quiet]``: every file below a folder into a process's
archive; returns when the documents are extracted and searchable, and prints what was imported, what was a
duplicate and what could not be read, with the reason."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from evidens.archive import selectors, services
from evidens.archive.models import ArchiveImport
from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp, error_text
from evidens.processes.commands import process_named


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop("Import every file below a folder into a process's archive and extract its "
                                    "text."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help=_("the folder; its sub-folders are imported too"))
        parser.add_argument("--process", required=True, help=_("the process's short name (slug)"))
        parser.add_argument("--json", action="store_true", dest="as_json", help=_("print the counts as JSON"))
        parser.add_argument("--quiet", action="store_true", help=_("no progress bar"))

    def handle(self, *args: Any, folder: str, process: str, as_json: bool, quiet: bool, **options: Any) -> None:
        strategy_process = process_named(process)
        root = Path(folder)
        try:
            files = services.folder_files(root)
            archive_import = services.archive_files_register(process=strategy_process, actor=None, files=files,
                                                             source=str(root.resolve()))
        except ValidationError as error:
            raise CommandError(error_text(error)) from None
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(reason)s")
                               % {"file": error.filename, "reason": error.strerror or error}) from None
        with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeRemainingColumn(), console=Console(file=sys.stderr), disable=quiet or as_json,
                      transient=True) as bar:
            task = bar.add_task(_("Extracting text"), total=None)

            def progress(done: int, total: int | None = None, *_args: Any) -> None:
                bar.update(task, completed=done, total=total)

            result = services.archive_import_run(import_id=archive_import.pk, progress=progress)
        self._report(ArchiveImport.objects.get(pk=archive_import.pk), result["counts"], as_json)

    def _report(self, archive_import: ArchiveImport, counts: dict[str, int], as_json: bool) -> None:
        failures = [{"file": document.original_name, "reason": str(services.ERRORS.get(document.error,
                                                                                         document.error))}
                    for document in selectors.failures(archive_import)]
        duplicates = [{"file": name, "document": document_id} for name, document_id in archive_import.duplicates]
        if as_json:
            self.stdout.write(json.dumps({"import": archive_import.pk, "imported": counts.get("imported", 0),
                                          "duplicates": counts.get("duplicates", 0), "failed": counts.get("failed", 0),
                                          "failures": failures, "duplicate_files": duplicates},
                                         ensure_ascii=False, indent=2))
            return
        self.stdout.write(_("%(imported)s imported, %(duplicates)s duplicates, %(failed)s not readable.") % {
            "imported": counts.get("imported", 0), "duplicates": counts.get("duplicates", 0),
            "failed": counts.get("failed", 0)})
        for failure in failures:
            self.stdout.write(f"  ! {failure['file']}: {failure['reason']}")
        for duplicate in duplicates:
            self.stdout.write("  = " + _("%(file)s is a duplicate of document %(document)s")
                              % {"file": duplicate["file"], "document": duplicate["document"]})
