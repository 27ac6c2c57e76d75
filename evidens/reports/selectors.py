from __future__ import annotations

from django.db.models import QuerySet

from evidens.processes.models import StrategyProcess
from evidens.reports.models import ReportBuild


def builds(process: StrategyProcess) -> QuerySet[ReportBuild]:
    return ReportBuild.objects.filter(process=process).select_related("survey", "job", "created_by")
