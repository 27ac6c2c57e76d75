"""What every ``evidens`` command that works on one process shares."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from evidens.processes.models import StrategyProcess


def process_named(slug: str) -> StrategyProcess:
    """The process with the short name ``slug``, or a command error that names it."""
    found = StrategyProcess.objects.filter(slug=slug).first()
    if found is None:
        raise CommandError(_("There is no process with the short name %(slug)s.") % {"slug": slug})
    return found
