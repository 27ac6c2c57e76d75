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

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from evidens.processes.models import StrategyProcess
from evidens.stakeholders import importing, services


class Command(BaseCommand):
    help = "Import organisations or people into a process's stakeholder register from CSV or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV (; or , separated, UTF-8 or Windows-1252) or XLSX file")
        parser.add_argument("--process", required=True, help="the process's short name (slug)")
        parser.add_argument("--kind", required=True, choices=importing.KINDS)
        parser.add_argument("--map", action="append", default=[], dest="mapping", metavar="HEADING=FIELD",
                            help="read a column as a field (repeatable); an empty field ignores the column. "
                                 "Fields: organisations: " + ", ".join(importing.ORGANISATION_FIELDS)
                                 + "; people: " + ", ".join(importing.PERSON_FIELDS))
        parser.add_argument("--dry-run", action="store_true", help="check the file only; store nothing")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the report as JSON")

    def handle(self, *args: Any, file: str, process: str, kind: importing.Kind, mapping: list[str],
               dry_run: bool, as_json: bool, **options: Any) -> None:
        strategy_process = StrategyProcess.objects.filter(slug=process).first()
        if strategy_process is None:
            raise CommandError(f"No process with the short name {process!r}.")
        path = Path(file)
        try:
            table = importing.read_table(path.read_bytes(), path.name)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        except importing.UnreadableFile as error:
            raise CommandError(str(error)) from None
        column_map = importing.guess_mapping(table.headers, kind)
        try:
            overrides = importing.parse_mapping_options(mapping, kind)
        except ValueError as error:
            raise CommandError(str(error)) from None
        unknown = [heading for heading in overrides if heading not in column_map]
        if unknown:
            raise CommandError(f"No column {', '.join(map(repr, unknown))} in the file; its columns are: "
                               + ", ".join(map(repr, table.headers)))
        for heading, target in overrides.items():
            if target:  # a field named explicitly is taken from any column the guess gave it to
                column_map.update({other: "" for other, name in column_map.items() if name == target})
            column_map[heading] = target
        problems = importing.mapping_problems(column_map, kind)
        if problems:
            raise CommandError(" ".join(problems) + " Use --map \"Heading=field\".")

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
            raise CommandError(f"{len(prepared.issues)} problems in {prepared.invalid_rows} rows; nothing was "
                               "imported.", returncode=1)

    def _store(self, process: StrategyProcess, prepared: services.PreparedImport, *,
               show_progress: bool) -> tuple[int, int]:
        console = Console(file=sys.stderr)
        with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeRemainingColumn(), console=console, disable=not show_progress, transient=True) as bar:
            task = bar.add_task("Importing", total=len(prepared.records))

            def progress(done: int, total: int | None = None, message: str = "") -> None:
                bar.update(task, completed=done, total=total)

            return services.register_file_store(process=process, actor=None, prepared=prepared, progress=progress)

    def _print(self, report: dict[str, Any], issues: list[importing.RowIssue]) -> None:
        stdout: Any = self.stdout
        console = Console(file=stdout._out, highlight=False, soft_wrap=True)
        console.print(f"{report['file']}: {report['rows']} rows of {report['kind']}")
        for heading, name in report["mapping"].items():
            console.print(f"  {heading} -> {name or '(ignored)'}", markup=False)
        if issues:
            table = Table("Row", "Column", "Problem", title="Validation report")
            for issue in issues:
                table.add_row(str(issue.row), issue.column_label, issue.message)
            console.print(table)
            console.print("Nothing was imported.")
        elif report["imported"]:
            imported = report["imported"]
            console.print(f"Imported {imported['organisations']} organisations and {imported['people']} people "
                          f"into {report['process']}.")
        else:
            console.print("Every row is valid (dry run: nothing was stored).")
