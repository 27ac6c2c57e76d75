"""Reads of the archive that the pages, the evidence snapshots and the command line share."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear

from evidens.archive.models import ArchiveDocument, ArchiveImport, DocumentStatus, TopicRun
from evidens.archive.search import NO_FILTERS, Filters
from evidens.processes.models import StrategyProcess


def documents(process: StrategyProcess, filters: Filters = NO_FILTERS) -> QuerySet[ArchiveDocument]:
    found = ArchiveDocument.objects.filter(process=process).prefetch_related("themes")
    if filters.doc_type:
        found = found.filter(doc_type=filters.doc_type)
    if filters.year:
        found = found.filter(date__year=filters.year)
    if filters.theme_id:
        found = found.filter(themes__id=filters.theme_id)
    return found.defer("text")


def per_year_and_type(process: StrategyProcess, filters: Filters = NO_FILTERS) -> Counter[tuple[int, str]]:
    """Searchable documents with a date, counted per (year, type)."""
    rows = (documents(process, filters).filter(status=DocumentStatus.READY, date__isnull=False)
            .annotate(year=ExtractYear("date")).values("year", "doc_type").annotate(n=Count("id")).order_by())
    return Counter({(row["year"], row["doc_type"]): row["n"] for row in rows})


def years(process: StrategyProcess) -> list[int]:
    return sorted({day.year for day in ArchiveDocument.objects.filter(process=process, date__isnull=False)
                   .dates("date", "year")}, reverse=True)


def imports(process: StrategyProcess) -> QuerySet[ArchiveImport]:
    return ArchiveImport.objects.filter(process=process).select_related("job", "created_by").annotate(
        failed_count=Count("documents", filter=Q(documents__status=DocumentStatus.FAILED)))


def failures(archive_import: ArchiveImport) -> QuerySet[ArchiveDocument]:
    return archive_import.documents.filter(status=DocumentStatus.FAILED).defer("text").order_by("original_name")


def topic_run(process: StrategyProcess) -> TopicRun | None:
    return TopicRun.objects.filter(process=process).select_related("job").first()


def topic_sizes(process: StrategyProcess) -> dict[int, int]:
    """Documents per main topic of the latest run."""
    rows = (ArchiveDocument.objects.filter(process=process, topic__isnull=False).values("topic")
            .annotate(n=Count("id")).order_by())
    return {row["topic"]: row["n"] for row in rows}
