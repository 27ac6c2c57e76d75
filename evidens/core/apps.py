from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "evidens.core"
    label = "core"
    verbose_name = "Evidens"

    def ready(self) -> None:
        from django.db import models
        from django.db.backends.signals import connection_created

        from evidens.core.collation import register_sqlite_collation
        from evidens.core.lookups import UNICODE_LOOKUPS, register_sqlite_functions

        # Case-insensitive search folds æ, ø, å (and every other letter) on SQLite and PostgreSQL alike.
        for field in (models.CharField, models.TextField):
            for lookup in UNICODE_LOOKUPS:
                field.register_lookup(lookup)
        connection_created.connect(register_sqlite_functions, dispatch_uid="evidens.core.sqlite_functions")
        # Names in Danish alphabetical order: æ, ø, å after z.
        connection_created.connect(register_sqlite_collation, dispatch_uid="evidens.core.sqlite_collation")
