"""An interview guide written as plain text: a theme per line, its questions below it, each starting with a dash.

    Om dig og din organisation
    - Hvad er din rolle?
    - Hvor længe har I været medlem?
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

QUESTION_MARKS = ("-", "–", "•", "*")


class GuideError(ValueError):
    pass


def parse_guide(text: str) -> list[dict[str, Any]]:
    themes: list[dict[str, Any]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith(QUESTION_MARKS):
            if not themes:
                raise GuideError(_("Line %(line)d is a question before any theme. Write the theme on a line of its "
                                   "own above it.") % {"line": number})
            question = line[1:].strip()
            if question:
                themes[-1]["questions"].append(question)
        else:
            themes.append({"theme": line, "questions": []})
    if not themes:
        raise GuideError(_("Write at least one theme."))
    return themes


def guide_text(themes: list[dict[str, Any]]) -> str:
    lines = []
    for theme in themes:
        lines.append(theme["theme"])
        lines.extend(f"- {question}" for question in theme.get("questions", []))
        lines.append("")
    return "\n".join(lines).strip() + "\n"
