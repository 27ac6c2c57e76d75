"""``evidens backup --out FILE``: database, uploaded files and analytics files in one archive."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from evidens.core.backup import BackupError, backup_create
from evidens.core.backup import Progress as ProgressCallback
from evidens.core.commands import EvidensCommand


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


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def size_text(count: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1000  # type: ignore[assignment]
    return str(count)  # pragma: no cover


class Command(EvidensCommand):
    help = (
        "Write the database, uploaded files and analytics files to one .tar.gz archive (mode 0600). "
        "The archive contains personal data: store it as carefully as the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, metavar="FILE", help="the archive to write")
        parser.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")

    def handle(self, *args: Any, out: Path, overwrite: bool, **options: Any) -> None:
        try:
            with byte_progress("Backing up", verbosity=options["verbosity"]) as progress:
                summary = backup_create(out=out, overwrite=overwrite, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Backup written to {summary.path}: the database and {plural(summary.files, 'file')} "
                f"({size_text(summary.bytes)} before compression). It contains personal data; keep it safe."
            )
