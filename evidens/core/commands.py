"""The base of every ``evidens`` command."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation


class EvidensCommand(BaseCommand):
    """A management command that speaks the installation's language (``EVIDENS_LANGUAGE``).

    Django runs commands with translations switched off, so messages from services and forms would
    come out in English on the command line and in Danish on the pages. Evidens' commands use the
    language the pages default to.
    """

    leave_locale_alone = True

    def execute(self, *args: Any, **options: Any) -> str | None:
        with translation.override(settings.LANGUAGE_CODE):
            return super().execute(*args, **options)
