"""One content hash for frozen records (evidence snapshots, signed-off decisions): SHA-256 of canonical JSON."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder


def canonical_hash(value: Any) -> str:
    """The same content always gives the same hash: keys sorted, no spaces, text as UTF-8."""
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
