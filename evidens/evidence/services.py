"""Every write to the evidence base. Channels hand over snapshots through ``evidence_item_save``; this app
imports no channel."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext_noop

from evidens.evidence.models import EvidenceItem
from evidens.processes.audit import audit_record
from evidens.processes.models import StrategyProcess


def content_hash(definition: Any, result: Any, chart: Any) -> str:
    canonical = json.dumps({"definition": definition, "result": result, "chart": chart}, sort_keys=True,
                           ensure_ascii=False, cls=DjangoJSONEncoder, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def evidence_item_save(*, process: StrategyProcess, actor: Any, channel: str, title: str, source_key: str,
                       definition: dict[str, Any], result: Any, link: str,
                       chart: dict[str, Any] | None = None) -> EvidenceItem:
    """Freeze what a live view shows now. Saving the same view again makes its next version, unless nothing
    changed, in which case the latest version is returned as it is."""
    plain = json.loads(json.dumps({"definition": definition, "result": result, "chart": chart},
                                  cls=DjangoJSONEncoder, ensure_ascii=False))
    digest = content_hash(plain["definition"], plain["result"], plain["chart"])
    latest = (EvidenceItem.objects.select_for_update().filter(process=process, source_key=source_key)
              .order_by("-version").first())
    if latest is not None and latest.content_hash == digest:
        return latest
    item = EvidenceItem.objects.create(
        process=process, channel=channel, title=title, source_key=source_key,
        version=(latest.version + 1) if latest else 1, definition=plain["definition"], result=plain["result"],
        chart=plain["chart"], link=link, content_hash=digest,
        created_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit_record(process=process, actor=actor, action="create", obj=item,
                 message=gettext_noop("Evidence saved: %(title)s (version %(version)s)"),
                 params={"title": title, "version": item.version})
    return item


@transaction.atomic
def evidence_items_erase(*, process: StrategyProcess, source_key_prefix: str) -> int:
    """Delete every version of the items whose live view starts with ``source_key_prefix``: what a person's
    erasure takes out of the evidence base (a quote of theirs). Returns how many were deleted."""
    items = EvidenceItem.objects.filter(process=process, source_key__startswith=source_key_prefix)
    count = items.count()
    if count:
        items.delete()
        audit_record(process=process, actor=None, action="delete", obj=None,
                     message=gettext_noop("%(count)s evidence items deleted with a person's data"),
                     params={"count": count})
    return count
