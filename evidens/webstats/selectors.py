"""Reads of web statistics that views, commands and reports share."""

from __future__ import annotations

import calendar
from datetime import date

from django.db.models import Max, Min, QuerySet

from evidens.processes.models import StrategyProcess
from evidens.webstats import warehouse
from evidens.webstats.models import ContentArea, ImportKind, ImportStatus, LogImport, WebstatsSettings


def imports(process: StrategyProcess) -> QuerySet[LogImport]:
    return (LogImport.objects.filter(process=process).select_related("job", "created_by")
            .prefetch_related("files"))


def completed(process: StrategyProcess, kind: str = ImportKind.LOG) -> QuerySet[LogImport]:
    """Completed imports, with their files (an import is named by them)."""
    return (LogImport.objects.filter(process=process, status=ImportStatus.COMPLETED, kind=kind).order_by("pk")
            .prefetch_related("files"))


def data_range(process: StrategyProcess) -> tuple[date | None, date | None]:
    """The first and last day any completed import (access log or analytics export) covers."""
    found = LogImport.objects.filter(process=process, status=ImportStatus.COMPLETED).aggregate(
        first=Min("first_day"), last=Max("last_day"))
    return found["first"], found["last"]


def settings_of(process: StrategyProcess) -> WebstatsSettings:
    """The process's settings; unsaved defaults until the first save (reading creates no row)."""
    return WebstatsSettings.objects.filter(process=process).first() or WebstatsSettings(process=process)


def retention_cutoff(process: StrategyProcess, today: date) -> date:
    """The first day the process keeps web statistics for: requests before it are deleted."""
    return _months_before(today, settings_of(process).retention_months)


def _months_before(day: date, months: int) -> date:
    """The same day ``months`` months earlier (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def areas(process: StrategyProcess) -> list[ContentArea]:
    return list(ContentArea.objects.filter(process=process))


def scope(process: StrategyProcess, *, first_day: date | None = None, last_day: date | None = None
          ) -> warehouse.Scope:
    """What the views read: the completed imports' files, the range and the process's settings."""
    settings = settings_of(process)
    return warehouse.Scope(
        folders=tuple(log_import.folder for log_import in completed(process)),
        first_day=first_day, last_day=last_day,
        search_parameters=settings.search_parameter_names,
        partner_hosts=WebstatsSettings.lines(settings.partner_hosts),
        own_hosts=WebstatsSettings.lines(settings.own_hosts),
        areas=tuple(warehouse.Area(pattern=area.pattern, name=area.name) for area in areas(process)),
        analytics=tuple((log_import.source, log_import.folder)
                        for log_import in completed(process, ImportKind.ANALYTICS)),
    )
