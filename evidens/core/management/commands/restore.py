"""``evidens restore FILE``: an archive from ``evidens backup`` into an empty installation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from evidens.core.backup import BackupError, backup_restore
from evidens.core.commands import EvidensCommand
from evidens.core.management.commands.backup import byte_progress, plural


class Command(EvidensCommand):
    help = (
        "Restore an archive written by `evidens backup` into an empty installation: it migrates the "
        "database, loads the data in one transaction and puts the files back, after checking every "
        "file against the archive's manifest. A database that already holds processes or users is "
        "refused."
    )
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, metavar="FILE", help="an archive from `evidens backup`")

    def handle(self, *args: Any, archive: Path, **options: Any) -> None:
        try:
            with byte_progress("Restoring", verbosity=options["verbosity"]) as progress:
                summary = backup_restore(archive=archive, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] >= 1:
            manifest = summary.manifest
            self.stdout.write(
                f"Restored {plural(summary.objects, 'database row')} and {plural(summary.files, 'file')} "
                f"from {archive} "
                f"(made {manifest.get('created_at')} by Evidens {manifest.get('evidens_version')} "
                f"on {manifest.get('database_engine')})."
            )
