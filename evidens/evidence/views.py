from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from evidens.evidence import selectors
from evidens.evidence.models import Channel, EvidenceItem
from evidens.processes.access import Permission, ProcessAccess, process_view


@process_view(Permission.VIEW)
def item_list(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    channel = request.GET.get("channel", "")
    channel = channel if channel in Channel.values else ""
    return render(request, "evidence/item_list.html", {
        "access": access, "items": selectors.evidence_items(process=access.process, channel=channel),
        "channels": Channel.choices, "channel": channel})


@process_view(Permission.VIEW)
def item_detail(request: HttpRequest, access: ProcessAccess, item_id: int) -> HttpResponse:
    item = get_object_or_404(EvidenceItem, pk=item_id, process=access.process)
    return render(request, "evidence/item_detail.html", {
        "access": access, "item": item, "versions": selectors.versions_of(item)})
