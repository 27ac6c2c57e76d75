"""``evidens backup --out FILE``: database, uploaded files and analytics files in one archive."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from evidens.core.backup import BackupError, backup_create
from evidens.core.backup import Progress as ProgressCallback
from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp, number_text


@contextmanager
def byte_progress(description: str, *, verbosity: int) -> Iterator[ProgressCallback | None]:
    """A progress bar on the terminal's stderr; nothing when output goes to a file or cron."""
    console = Console(stderr=True)
    if verbosity < 1 or not console.is_terminal:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def size_text(count: int) -> str:
    """A size in bytes for people: ``940 bytes``, ``12,3 MB`` (decimal units, localised numbers)."""
    if count < 1000:
        return ngettext("%(count)s byte", "%(count)s bytes", count) % {"count": number_text(count)}
    value = float(count)
    for unit in ("kB", "MB", "GB"):
        value /= 1000
        if value < 1000 or unit == "GB":
            break
    return f"{number_text(value, 1)} {unit}"


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop(
        "Write the database, uploaded files and analytics files to one .tar.gz archive (mode 0600). "
        "The archive contains personal data: store it as carefully as the database."
    ))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, metavar="FILE",
                            help=_("the archive to write"))
        parser.add_argument("--overwrite", action="store_true", help=_("replace FILE if it exists"))

    def handle(self, *args: Any, out: Path, overwrite: bool, **options: Any) -> None:
        try:
            with byte_progress(_("Backing up"), verbosity=options["verbosity"]) as progress:
                summary = backup_create(out=out, overwrite=overwrite, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] >= 1:
            self.stdout.write(ngettext(
                "Backup written to %(path)s: the database and %(count)s file (%(size)s before compression). "
                "It contains personal data; keep it safe.",
                "Backup written to %(path)s: the database and %(count)s files (%(size)s before compression). "
                "It contains personal data; keep it safe.",
                summary.files,
            ) % {"path": summary.path, "count": number_text(summary.files), "size": size_text(summary.bytes)})
