"""Reads of the evidence base."""

from __future__ import annotations

from django.db.models import QuerySet

from evidens.evidence.models import EvidenceItem
from evidens.processes.models import StrategyProcess


def evidence_items(*, process: StrategyProcess, channel: str = "") -> QuerySet[EvidenceItem]:
    items = EvidenceItem.objects.filter(process=process).select_related("created_by")
    if channel:
        items = items.filter(channel=channel)
    return items.order_by("-created_at", "-id")


def versions_of(item: EvidenceItem) -> QuerySet[EvidenceItem]:
    return EvidenceItem.objects.filter(process=item.process, source_key=item.source_key).order_by("-version")
