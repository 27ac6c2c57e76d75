"""Writing the audit trail. Services call ``audit_record`` inside their transaction."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_noop

from evidens.processes.models import AuditEntry, StrategyProcess


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        # 0, 0.00 and 0E+2 are one amount; write it one way so unchanged amounts do not show as changes.
        return format(value.normalize(), "f")
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def field_values(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: _plain(getattr(instance, name)) for name in fields}


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def audit_record(
    *,
    process: StrategyProcess,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    message: str,
    params: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record a change. ``message`` is marked with ``gettext_noop`` by the caller and translated when read."""
    return AuditEntry.objects.create(
        process=process,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        message=message,
        params={key: _plain(value) for key, value in (params or {}).items()},
        changes=changes or {},
    )


def personal_data_viewed(*, process: StrategyProcess, actor: Any, obj: models.Model) -> AuditEntry:
    """Record that someone looked at a page with a person's data (GDPR: who had access, and when). The entry
    names the object by kind and id, never by the person's data."""
    return audit_record(process=process, actor=actor, action="view", obj=obj,
                        message=gettext_noop("Personal data viewed: %(kind)s #%(id)s"),
                        params={"kind": _installation_text(obj._meta.verbose_name), "id": obj.pk})


def personal_data_listed(*, process: StrategyProcess, actor: Any, model: type[models.Model]) -> AuditEntry:
    """Record that someone fetched a list with people's data through the API (one entry per page fetched)."""
    return audit_record(process=process, actor=actor, action="view",
                        message=gettext_noop("Personal data fetched through the API: %(kind)s"),
                        params={"kind": _installation_text(model._meta.verbose_name_plural)})


def _installation_text(text: Any) -> str:
    # Parameters are stored as written; the installation's language is the one the trail is read in.
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def audit_entries_for(obj: models.Model) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("at", "id")
