"""The full-text index beside the documents: FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL
(see ``evidens/archive/search.py``)."""

from typing import Any

from django.db import migrations

SQLITE = [
    ("CREATE VIRTUAL TABLE archive_fts USING fts5(title, body, document_id UNINDEXED, process_id UNINDEXED, "
     "tokenize = 'unicode61 remove_diacritics 0')", "DROP TABLE archive_fts"),
]
POSTGRES = [
    ("CREATE TABLE archive_search (document_id integer PRIMARY KEY REFERENCES archive_archivedocument (id) "
     "ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, process_id integer NOT NULL, tsv tsvector NOT NULL)",
     "DROP TABLE archive_search"),
    ("CREATE INDEX archive_search_tsv ON archive_search USING GIN (tsv)", "DROP INDEX archive_search_tsv"),
    ("CREATE INDEX archive_search_process ON archive_search (process_id)", "DROP INDEX archive_search_process"),
]


def _statements(schema_editor: Any) -> list[tuple[str, str]]:
    return POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE


def create(apps: Any, schema_editor: Any) -> None:
    for forward, _backward in _statements(schema_editor):
        schema_editor.execute(forward)


def drop(apps: Any, schema_editor: Any) -> None:
    for _forward, backward in reversed(_statements(schema_editor)):
        schema_editor.execute(backward)


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
