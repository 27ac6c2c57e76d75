"""Reads of interviews that the pages, the demo checks and reports share."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, QuerySet

from evidens.interviews.models import Interview, InterviewGuide
from evidens.processes.models import StrategyProcess


def interviews(process: StrategyProcess) -> QuerySet[Interview]:
    return (Interview.objects.filter(process=process).select_related("person", "guide", "document")
            .annotate(coding_count=Count("document__codings"),
                      coder_count=Count("document__codings__coder_name", distinct=True)))


def current_guide(process: StrategyProcess) -> InterviewGuide | None:
    return InterviewGuide.objects.filter(process=process).order_by("-version").first()


def guides(process: StrategyProcess) -> QuerySet[InterviewGuide]:
    return InterviewGuide.objects.filter(process=process).annotate(used=Count("interviews")).order_by("-version")


def status_counts(process: StrategyProcess) -> Counter[tuple[str, str]]:
    """Interviews per (stakeholder group, status)."""
    return Counter({(row["group"], row["status"]): row["n"] for row in
                    Interview.objects.filter(process=process).values("group", "status").annotate(n=Count("id"))})
