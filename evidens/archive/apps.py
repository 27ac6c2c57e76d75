from typing import Any

from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "evidens.archive"
    label = "archive"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        # Also when a whole process goes (the demo's --reset): the file and the index row go with the document.
        post_delete.connect(_document_removed, sender="archive.ArchiveDocument", dispatch_uid="archive.removed")
        # A restore (loaddata) writes rows without the services: the index is rebuilt as they arrive.
        post_save.connect(_document_restored, sender="archive.ArchiveDocument", dispatch_uid="archive.restored")


def _document_removed(instance: Any, **_signal: Any) -> None:
    from django.db import transaction

    from evidens.archive import search

    search.unindex(instance.pk)
    if instance.file.name:
        # Only once the deletion is committed: a rolled-back delete must find its file still there.
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name))


def _document_restored(instance: Any, raw: bool = False, **_signal: Any) -> None:
    from evidens.archive.models import DocumentStatus

    # As the services do: only a document whose text was read is in the index.
    if raw and instance.status == DocumentStatus.READY:
        from evidens.archive import search

        search.index(instance)
