"""PostgreSQL's index table without a foreign key to the documents: Django's test flush (TRUNCATE) cannot empty a
table that another table it does not know references. Rows go with their document through ``search.unindex``
(called from a ``post_delete`` receiver), and searches join the documents, so a stale row can never be found."""

from typing import Any

from django.db import migrations


def drop_foreign_key(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE archive_search DROP CONSTRAINT IF EXISTS archive_search_document_id_fkey")


class Migration(migrations.Migration):
    dependencies = [("archive", "0003_topics")]
    operations = [migrations.RunPython(drop_foreign_key, migrations.RunPython.noop)]
