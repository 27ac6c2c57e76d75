"""``evidens restore FILE``: an archive from ``evidens backup`` into an empty installation."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from evidens.core.backup import BackupError, backup_restore
from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp, number_text
from evidens.core.management.commands.backup import byte_progress


def made_at_text(value: Any) -> str:
    """The manifest's ``created_at`` in local time and the active language; as written when it is no date."""
    try:
        made = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if timezone.is_aware(made):
        made = timezone.localtime(made)
    return date_format(made, "DATETIME_FORMAT", use_l10n=True)


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop(
        "Restore an archive written by `evidens backup` into an empty installation: it migrates the "
        "database, loads the data in one transaction and puts the files back, after checking every "
        "file against the archive's manifest. An installation whose database or data folder already "
        "holds data is refused."
    ))
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, metavar="FILE",
                            help=_("an archive from `evidens backup`"))

    def handle(self, *args: Any, archive: Path, **options: Any) -> None:
        try:
            with byte_progress(_("Restoring"), verbosity=options["verbosity"]) as progress:
                summary = backup_restore(archive=archive, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] >= 1:
            manifest = summary.manifest
            self.stdout.write(_("Restored %(archive)s (made %(made)s by Evidens %(version)s on %(engine)s):") % {
                "archive": archive, "made": made_at_text(manifest.get("created_at")),
                "version": manifest.get("evidens_version"), "engine": manifest.get("database_engine")})
            self.stdout.write("  " + ngettext("%(count)s database row", "%(count)s database rows", summary.objects)
                              % {"count": number_text(summary.objects)})
            self.stdout.write("  " + ngettext("%(count)s file", "%(count)s files", summary.files)
                              % {"count": number_text(summary.files)})
