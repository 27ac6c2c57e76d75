"""SQLite's full-text index keyed by the document (see ``evidens/archive/search.py``).

The FTS5 rowid becomes the document's id, so indexing or unindexing one document finds its row by the rowid instead
of scanning the whole index for an unindexed ``document_id`` (which made indexing slow down as the archive grew),
and searches join the documents on it. The process is no longer copied into the index: searches take it, with the
date and type, from the new index ``archive_document_search`` on the documents. The existing rows are copied
(their stems are already computed), the newest one of each document that still exists. PostgreSQL's
``archive_search`` is keyed by ``document_id`` already and stays as it is; the documents' index is made on both."""

from typing import Any

from django.db import migrations, models

TOKENIZE = "tokenize = 'unicode61 remove_diacritics 0'"
BY_DOCUMENT = [
    f"CREATE VIRTUAL TABLE archive_fts_rebuilt USING fts5(title, body, {TOKENIZE})",
    "INSERT INTO archive_fts_rebuilt (rowid, title, body) SELECT document_id, title, body FROM archive_fts "
    "WHERE rowid IN (SELECT max(rowid) FROM archive_fts GROUP BY document_id) "
    "AND document_id IN (SELECT id FROM archive_archivedocument)",
    "DROP TABLE archive_fts",
    "ALTER TABLE archive_fts_rebuilt RENAME TO archive_fts",
]
WITH_COLUMNS = [
    f"CREATE VIRTUAL TABLE archive_fts_rebuilt USING fts5(title, body, document_id UNINDEXED, "
    f"process_id UNINDEXED, {TOKENIZE})",
    "INSERT INTO archive_fts_rebuilt (title, body, document_id, process_id) SELECT f.title, f.body, f.rowid, "
    "d.process_id FROM archive_fts f JOIN archive_archivedocument d ON d.id = f.rowid",
    "DROP TABLE archive_fts",
    "ALTER TABLE archive_fts_rebuilt RENAME TO archive_fts",
]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("archive", "0006_activities")]
    operations = [
        migrations.RunPython(_run(BY_DOCUMENT), _run(WITH_COLUMNS)),
        migrations.AddIndex(model_name="archivedocument", index=models.Index(
            fields=["process", "id", "date", "doc_type"], name="archive_document_search")),
    ]
