"""The ``evidens`` console command: Django's management commands under one name.

``evidens process create`` and other two-word commands map to the management
command ``process_create``; everything else passes straight through.
"""

from __future__ import annotations

import os
import sys

TWO_WORD_GROUPS = {"process", "stakeholders", "survey", "webstats", "qda", "archive", "evidence", "report", "privacy"}


def command_line(argv: list[str]) -> list[str]:
    if len(argv) >= 2 and argv[0] in TWO_WORD_GROUPS and not argv[1].startswith("-"):
        return [f"{argv[0]}_{argv[1]}", *argv[2:]]
    return argv


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evidens.settings")
    from django.core.management import execute_from_command_line

    args = command_line(list(sys.argv[1:] if argv is None else argv))
    execute_from_command_line(["evidens", *args])


if __name__ == "__main__":
    main()
