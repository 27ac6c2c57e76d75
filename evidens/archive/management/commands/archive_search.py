"""``evidens archive search QUERY --process SLUG [--limit N] [--json]``: the archive's Danish full-text search."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evidens.archive import search
from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp
from evidens.processes.commands import process_named


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop("Search a process's archive in Danish: inflected forms, phrases in quotes, "
                                    "prefixes with *."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", help=_("the words to find"))
        parser.add_argument("--process", required=True, help=_("the process's short name (slug)"))
        parser.add_argument("--limit", type=int, default=10, help=_("at most this many hits (default 10)"))
        parser.add_argument("--json", action="store_true", dest="as_json", help=_("print the hits as JSON"))

    def handle(self, *args: Any, query: str, process: str, limit: int, as_json: bool, **options: Any) -> None:
        results = search.search(process_named(process), query, limit=max(1, min(limit, 1000)), count_cap=None)
        hits = [{"id": hit.document.pk, "title": hit.document.title,
                 "date": hit.document.date.isoformat() if hit.document.date else None,
                 "type": hit.document.doc_type, "score": round(hit.score, 4), "snippet": strip_tags(hit.snippet)}
                for hit in results.hits]
        if as_json:
            self.stdout.write(json.dumps(hits, ensure_ascii=False, indent=2))
            return
        self.stdout.write(_("%(total)s documents found.") % {"total": results.total})
        for hit in hits:
            self.stdout.write(f"[{hit['id']}] {hit['title']} ({hit['date'] or '–'}, {hit['type']})\n    "
                              f"{hit['snippet']}")
