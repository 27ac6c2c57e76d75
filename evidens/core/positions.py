"""The next free place at the end of an ordered list (rows with a ``position`` field)."""

from __future__ import annotations

from typing import Any

from django.db.models import Max


def next_position(queryset: Any) -> int:
    last = queryset.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1
