"""``evidens stakeholders import FILE --process SLUG --kind organisations|people``.

Reads a CSV or XLSX file, maps its columns (guessed from the headings, ``--map "Heading=field"`` to
override), prints the validation report and, when every row is valid, stores all rows in one
transaction. On any invalid row nothing is stored and the exit code is 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp, number_text
from evidens.processes.commands import process_named
from evidens.processes.models import StrategyProcess
from evidens.stakeholders import importing, services


def quoted(text: str) -> str:
    """``text`` in the active language's quotation marks: »Navn« in Danish."""
    return _("“%(text)s”") % {"text": text}


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop(
        "Import organisations or people into a process's stakeholder register from CSV or XLSX."
    ))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("CSV (; or , separated, UTF-8 or Windows-1252) or XLSX file"))
        parser.add_argument("--process", required=True, help=_("the process's short name (slug)"))
        parser.add_argument("--kind", required=True, choices=importing.KINDS,
                            help=_("what the file holds: organisations or people"))
        parser.add_argument("--map", action="append", default=[], dest="mapping", metavar="HEADING=FIELD",
                            help=_("read a column as a field (repeatable); an empty field ignores the column. "
                                   "Fields for organisations: %(organisations)s; for people: %(people)s") % {
                                "organisations": ", ".join(importing.ORGANISATION_FIELDS),
                                "people": ", ".join(importing.PERSON_FIELDS)})
        parser.add_argument("--dry-run", action="store_true", help=_("check the file only; store nothing"))
        parser.add_argument("--json", action="store_true", dest="as_json",
                            help=_("print the report as JSON"))

    def handle(self, *args: Any, file: str, process: str, kind: importing.Kind, mapping: list[str],
               dry_run: bool, as_json: bool, **options: Any) -> None:
        strategy_process = process_named(process)
        path = Path(file)
        try:
            table = importing.read_table(path.read_bytes(), path.name)
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(reason)s")
                               % {"file": file, "reason": error.strerror or error}) from None
        except importing.UnreadableFile as error:
            raise CommandError(str(error)) from None
        column_map = importing.guess_mapping(table.headers, kind)
        try:
            overrides = importing.parse_mapping_options(mapping, kind)
        except ValueError as error:
            raise CommandError(str(error)) from None
        unknown = [heading for heading in overrides if heading not in column_map]
        if unknown:
            raise CommandError(ngettext(
                "The file has no column %(unknown)s; its columns are: %(columns)s.",
                "The file has no columns %(unknown)s; its columns are: %(columns)s.", len(unknown),
            ) % {"unknown": ", ".join(map(quoted, unknown)), "columns": ", ".join(map(quoted, table.headers))})
        for heading, target in overrides.items():
            if target:  # a field named explicitly is taken from any column the guess gave it to
                column_map.update({other: "" for other, name in column_map.items() if name == target})
            column_map[heading] = target
        problems = importing.mapping_problems(column_map, kind)
        if problems:
            raise CommandError(_('%(problems)s Choose the columns with --map "Heading=field".')
                               % {"problems": " ".join(problems)})

        prepared = services.register_file_prepare(process=strategy_process, kind=kind, table=table,
                                                  mapping=column_map)
        stored: tuple[int, int] | None = None
        if not prepared.issues and not dry_run:
            try:
                stored = self._store(strategy_process, prepared, show_progress=not as_json)
            except importing.RegisterImportError as error:  # the register changed since the check
                prepared.issues = error.issues
        report = {
            "file": path.name,
            "process": strategy_process.slug,
            "kind": kind,
            "rows": len(prepared.records),
            "mapping": column_map,
            "valid": not prepared.issues,
            "dry_run": dry_run,
            "issues": [issue.as_dict() for issue in prepared.issues],
            "imported": None if stored is None else {"organisations": stored[0], "people": stored[1]},
        }
        if as_json:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            self._print(report, prepared.issues)
        if prepared.issues:
            rows = prepared.invalid_rows
            raise CommandError(ngettext("Nothing was imported: %(rows)s row has errors.",
                                        "Nothing was imported: %(rows)s rows have errors.", rows)
                               % {"rows": number_text(rows)}, returncode=1)

    def _store(self, process: StrategyProcess, prepared: services.PreparedImport, *,
               show_progress: bool) -> tuple[int, int]:
        console = Console(file=sys.stderr)
        with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeRemainingColumn(), console=console, disable=not show_progress, transient=True) as bar:
            task = bar.add_task(_("Importing"), total=len(prepared.records))

            def progress(done: int, total: int | None = None, message: str = "") -> None:
                bar.update(task, completed=done, total=total)

            return services.register_file_store(process=process, actor=None, prepared=prepared, progress=progress)

    def _print(self, report: dict[str, Any], issues: list[importing.RowIssue]) -> None:
        stdout: Any = self.stdout
        console = Console(file=stdout._out, highlight=False, soft_wrap=True)
        rows = report["rows"]
        values = {"file": report["file"], "count": number_text(rows)}
        if report["kind"] == "organisations":
            console.print(ngettext("%(file)s: %(count)s row with organisations",
                                   "%(file)s: %(count)s rows with organisations", rows) % values, markup=False)
        else:
            console.print(ngettext("%(file)s: %(count)s row with people",
                                   "%(file)s: %(count)s rows with people", rows) % values, markup=False)
        for heading, name in report["mapping"].items():
            target = f"{name} ({importing.field_label(name)})" if name else _("(do not import)")
            console.print(f"  {heading} -> {target}", markup=False)
        if issues:
            table = Table(_("Row"), _("Column"), _("Problem"), title=_("Validation report"), title_justify="left")
            for issue in issues:
                table.add_row(str(issue.row), Text(issue.column_label), Text(issue.message))
            console.print(table)
        elif report["imported"]:
            imported = report["imported"]
            if report["kind"] == "organisations" or imported["organisations"]:
                console.print(ngettext("%(count)s organisation was imported.", "%(count)s organisations were imported.",
                                       imported["organisations"]) % {"count": number_text(imported["organisations"])})
            if report["kind"] == "people" or imported["people"]:
                console.print(ngettext("%(count)s person was imported.", "%(count)s people were imported.",
                                       imported["people"]) % {"count": number_text(imported["people"])})
        else:
            console.print(_("Every row is valid. Nothing was stored (--dry-run)."))
