"""Migration 0007 rebuilds SQLite's full-text index keyed by the document's id from the rows already there, and
back. The rows are written here in the shape migration 0002 made, so every expected row is known by reading them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from evidens.archive import search
from evidens.archive.models import ArchiveDocument, DocumentStatus
from evidens.processes.models import StrategyProcess

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's index is not changed")]

BEFORE = [("archive", "0006_activities")]
AFTER = [("archive", "0007_search_by_document_id")]


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def _rows(sql: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


@pytest.fixture
def before_0007() -> Iterator[None]:
    _migrate(BEFORE)
    try:
        yield
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _document(process: StrategyProcess, name: str) -> ArchiveDocument:
    return ArchiveDocument.objects.create(process=process, title=name, text=name, original_name=f"{name}.txt",
                                          sha256=name.ljust(64, "0"), status=DocumentStatus.READY)


def test_the_index_is_rebuilt_by_document_and_back(before_0007: None) -> None:
    process = StrategyProcess.objects.create(slug="proc", name="Proces")
    renovation, budget = _document(process, "renovering"), _document(process, "budget")
    with connection.cursor() as cursor:
        for title, body, document_id in [("gammel", "gammel tekst", renovation.pk),  # replaced by the next row
                                         ("renovering", "renovering af tag", renovation.pk),
                                         ("budget", "budget", budget.pk),
                                         ("slettet", "slettet dokument", budget.pk + 100)]:  # no such document
            cursor.execute("INSERT INTO archive_fts (title, body, document_id, process_id) VALUES (%s, %s, %s, %s)",
                           [title, body, document_id, process.pk])

    _migrate(AFTER)
    assert _rows("SELECT rowid, title, body FROM archive_fts ORDER BY rowid") == [
        (renovation.pk, "renovering", "renovering af tag"), (budget.pk, "budget", "budget")]
    assert [hit.document for hit in search.search(process, "tag").hits] == [renovation]
    assert search.search(process, "gammel").total == 0

    _migrate(BEFORE)
    assert _rows("SELECT document_id, process_id, title, body FROM archive_fts ORDER BY document_id") == [
        (renovation.pk, process.pk, "renovering", "renovering af tag"), (budget.pk, process.pk, "budget", "budget")]
