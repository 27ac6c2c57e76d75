from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from evidens.core.commands import EvidensCommand


class _Echo(EvidensCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        raise CommandError(_("Page not found"))


@pytest.mark.parametrize(("language", "expected"), [("da", "Siden blev ikke fundet"), ("en", "Page not found")])
def test_commands_speak_the_installation_language(settings: Any, language: str, expected: str) -> None:
    settings.LANGUAGE_CODE = language
    with translation.override("en"), pytest.raises(CommandError, match=expected):
        _Echo(stdout=io.StringIO()).execute(force_color=False, no_color=True, skip_checks=True)
