"""``evidens survey results --survey ID --json [--by VARIABLE] [--weighted] [--filter VARIABLE=VALUE]``."""

from __future__ import annotations

import json as json_module
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp
from evidens.surveys import results, selectors
from evidens.surveys.analysis import AnalysisError
from evidens.surveys.models import Survey


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop("Print the numbers of a survey's results page: each question's counts and "
                                    "percentages with 95 % intervals, optionally compared by a variable."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--survey", type=int, required=True, help=_("the survey's number (see survey list)"))
        parser.add_argument("--by", default="", help=_("compare by: segment, or the name of a single-choice question"))
        parser.add_argument("--weighted", action="store_true", help=_(
            "weight to the register's people by segment, and by membership when every response knows it"))
        parser.add_argument("--dont-know", action="store_true", help=_("count “don't know” in the percentages"))
        parser.add_argument("--filter", action="append", default=[], metavar="VARIABLE=VALUE",
                            help=_("only the responses with this answer (one for an anonymous survey)"))
        parser.add_argument("--json", action="store_true", help=_("print JSON"))

    def handle(self, *args: Any, survey: int, by: str, weighted: bool, dont_know: bool, filter: list[str],
               json: bool, **options: Any) -> None:
        found = Survey.objects.filter(pk=survey).select_related("process").first()
        if found is None:
            raise CommandError(_("There is no survey number %(id)s.") % {"id": survey})
        data = selectors.analysis_input(found, weighted=weighted)
        if data.weighting_problem:
            raise CommandError(data.weighting_problem)
        known = {name for name, _label in results.variables(data.questionnaire, "da")}
        if by and by not in known:
            raise CommandError(_("Cannot compare by “%(by)s”: use one of %(known)s.")
                               % {"by": by, "known": ", ".join(sorted(known))})
        filters = dict(text.partition("=")[::2] for text in filter)
        selection = results.Selection(by=by, weighted=weighted, include_dont_know=dont_know, filters=filters)
        if found.anonymous and len(filters) > 1:
            raise CommandError(_("An anonymous survey takes one filter at a time."))
        try:
            shown = results.results(data.questionnaire, data.respondents, selection, anonymous=found.anonymous,
                                    threshold=found.process.anonymity_threshold)
        except AnalysisError as error:
            raise CommandError(str(error)) from None
        document = results.results_json(found.title, shown)
        if json:
            self.stdout.write(json_module.dumps(document, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{found.title}: {shown.responses}")
        if shown.hidden:
            self.stdout.write(shown.hidden)
        for question in document["questions"]:
            n = "·" if question["n"] is None else question["n"]
            self.stdout.write(f"\n{question['label']} (n = {n})")
            for option in question["options"]:
                percent = ("·" if option.get("suppressed") else "–" if option["percent"] is None
                           else f"{option['percent']:.1f} %")
                self.stdout.write(f"  {option['label']:<40} {percent:>8}")
