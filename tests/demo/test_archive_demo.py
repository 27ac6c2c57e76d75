"""The demo's archive at full size: about 500 documents from 2005 to 2020 in several formats, imported as one
folder, three files that cannot be read and four duplicates reported, types and themes set, and searchable."""

from __future__ import annotations

import pytest

from evidens.archive import search, selectors
from evidens.archive.models import ArchiveDocument, ArchiveImport, DocumentStatus, TopicRun
from evidens.demo import builder
from evidens.processes.services import process_create

pytestmark = [pytest.mark.django_db, pytest.mark.full_archive]


def test_the_archive_of_fifteen_years() -> None:
    process = process_create(slug="archive-demo", name="Arkivdemo")
    builder.archive_build(builder.DemoContext(process=process, actor=None, users={}))

    archive_import = ArchiveImport.objects.get(process=process)
    counts = archive_import.counts
    assert 480 <= counts["files"] <= 520
    assert counts["duplicates"] == 4 and counts["failed"] == 3
    assert counts["imported"] == counts["files"] - 4 - 3
    failed = ArchiveDocument.objects.filter(process=process, status=DocumentStatus.FAILED)
    assert {document.error for document in failed} <= {"damaged", "empty"}
    ready = ArchiveDocument.objects.filter(process=process, status=DocumentStatus.READY)
    assert set(ready.values_list("kind", flat=True)) >= {"docx", "odt", "pptx", "xlsx", "html", "text", "eml"}
    assert len(set(ready.values_list("doc_type", flat=True))) == 7
    assert ready.filter(themes__isnull=False).distinct().count() == ready.count()
    assert ready.filter(date__isnull=True).count() == 0

    per_year = selectors.per_year_and_type(process)
    years = {year for year, _type in per_year}
    assert min(years) == 2005 and max(years) == 2020
    assert sum(n for (year, _t), n in per_year.items() if year >= 2016) > sum(
        n for (year, _t), n in per_year.items() if year <= 2009)  # more recent documents than old ones
    found = search.search(process, "renovering")
    assert found.total >= 20
    assert any("<mark>renoveringer" in hit.snippet.lower() or "<mark>renoveringen" in hit.snippet.lower()
               for hit in search.search(process, "renovering", limit=100).hits)
    # Themes over time, as the demo's texts were written: digitalisation rises, and 2020 is the year of online
    # meetings.
    run = TopicRun.objects.get(process=process)
    topics = list(run.topics.all())
    assert len(topics) == 8 and ready.filter(topic__isnull=False).count() == ready.count()
    digital = next(topic for topic in topics if "digital" in topic.terms)
    assert digital.per_year["2020"] > 2 * digital.per_year["2005"]
    assert "online" in run.keywords_per_year["2020"] and "online" not in run.keywords_per_year["2008"]
