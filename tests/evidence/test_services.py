"""Evidence items are frozen snapshots: saved once, versioned on refresh, never changed."""

from __future__ import annotations

import pytest

from evidens.evidence import services
from evidens.evidence.models import EvidenceItem, SnapshotChanged
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def _save(cast: Cast, rows: list[list[object]]) -> EvidenceItem:
    return services.evidence_item_save(
        process=cast.process, actor=cast.users["analyst"], channel="surveys", title="Tilfredshed, alle",
        source_key="survey:1:question:tilfreds", definition={"question": "tilfreds", "filters": []},
        result={"headings": ["Svar", "Antal"], "rows": rows}, link="/p/proc/surveys/1/results/")


def test_a_snapshot_cannot_be_changed_after_it_is_written(cast: Cast) -> None:
    item = _save(cast, [["Helt enig", 12]])
    item.result = {"headings": ["Svar", "Antal"], "rows": [["Helt enig", 99]]}
    with pytest.raises(SnapshotChanged):
        item.save()
    assert EvidenceItem.objects.get(pk=item.pk).result["rows"] == [["Helt enig", 12]]


def test_saving_a_changed_view_makes_a_new_version_and_keeps_the_old(cast: Cast) -> None:
    first = _save(cast, [["Helt enig", 12]])
    second = _save(cast, [["Helt enig", 14]])
    assert (first.version, second.version) == (1, 2)
    assert EvidenceItem.objects.get(pk=first.pk).result["rows"] == [["Helt enig", 12]]
    assert first.content_hash != second.content_hash


def test_saving_an_unchanged_view_returns_the_latest_version(cast: Cast) -> None:
    first = _save(cast, [["Helt enig", 12]])
    assert _save(cast, [["Helt enig", 12]]).pk == first.pk
    assert EvidenceItem.objects.count() == 1


def test_the_content_hash_is_the_sha256_of_the_canonical_snapshot() -> None:
    import hashlib

    expected = hashlib.sha256(b'{"chart":null,"definition":{"q":"a"},"result":{"n":1}}').hexdigest()
    assert services.content_hash({"q": "a"}, {"n": 1}, None) == expected
