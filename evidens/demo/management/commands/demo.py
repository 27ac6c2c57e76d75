"""``evidens demo [--reset] [--json]``: build the AlmenNet 2030 demo process (see ``evidens.demo.builder``)."""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp, number_text
from evidens.demo.builder import DemoError, DemoSummary, database_holds_other_data, demo_build
from evidens.processes.models import Role


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop("Build the demo process AlmenNet 2030 with its users, unless it exists."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true",
                            help=_("Delete the demo process and the demo users, then build them again."))
        parser.add_argument("--json", action="store_true", help=_("Print a JSON summary instead of text."))
        parser.add_argument("--if-empty", action="store_true",
                            help=_("Build the demo only into a database without processes or users."))

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = bool(options["json"])
        if options["if_empty"] and not options["reset"] and database_holds_other_data():
            if as_json:
                self.stdout.write(json.dumps({"created": False, "skipped": "database holds data"}))
            else:
                self.stdout.write(_("The database already holds processes or users, so the demo was not built."))
            return
        bar_console = Console(stderr=True)
        try:
            with Progress(
                TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(),
                console=bar_console, transient=True,
                disable=as_json or not bar_console.is_terminal or options.get("verbosity", 1) < 1,
            ) as bar:
                task = bar.add_task(_("Building the demo"), total=None)

                def progress(done: int, total: int | None = None, message: str = "") -> None:
                    bar.update(task, completed=done, total=total,
                               description=message or _("Building the demo"))

                summary = demo_build(reset=bool(options["reset"]), progress=progress)
        except DemoError as error:
            raise CommandError(str(error)) from error

        if as_json:
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
            return
        text = io.StringIO()
        self._print(Console(file=text, width=100, highlight=False, soft_wrap=True), summary)
        self.stdout.write(text.getvalue(), ending="")

    def _print(self, console: Console, summary: DemoSummary) -> None:
        counts = summary.counts
        if summary.created:
            console.print(_("Demo process %(name)s built in %(seconds)s s: %(url)s") % {
                "name": summary.name, "seconds": number_text(summary.seconds, 1), "url": summary.url})
            console.print(_("%(organisations)s organisations (%(housing)s housing organisations, %(members)s "
                            "members, %(homes)s homes) and %(people)s people in the register.") % {
                "organisations": number_text(counts["organisations"]),
                "housing": number_text(counts["housing_organisations"]),
                "members": number_text(counts["members"]), "homes": number_text(counts["homes"]),
                "people": number_text(counts["people"])})
        else:
            console.print(_("The demo process %(slug)s already exists; nothing was changed "
                            "(use --reset to build it again).") % {"slug": summary.slug})
        if not summary.users:
            return
        table = Table(title=_("Demo logins"), title_justify="left")
        table.add_column(_("User name"))
        table.add_column(_("Password"))
        table.add_column(_("Role"))
        for user in summary.users:
            role = str(Role(user["role"]).label) if user["role"] in Role.values else user["role"]
            table.add_row(user["username"], user["password"], role)
        console.print(table)
