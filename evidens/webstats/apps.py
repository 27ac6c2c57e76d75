from typing import Any

from django.apps import AppConfig


class WebstatsConfig(AppConfig):
    name = "evidens.webstats"
    label = "webstats"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        # Also when a whole process goes (the demo's --reset): its imports' files must go with the rows.
        post_delete.connect(_log_import_files_remove, sender="webstats.LogImport",
                            dispatch_uid="webstats.files_remove")

        from evidens.processes.jobs import job_stopped

        # A worker killed mid-import leaves its import running; it must fail, so it can be retried or deleted.
        job_stopped.connect(_log_import_job_stopped, dispatch_uid="webstats.job_stopped")


def _log_import_files_remove(**signal: Any) -> None:
    # Imported when an import is deleted, not when Django starts: the services bring DuckDB and Arrow, which
    # every other command and process can do without.
    from evidens.webstats.services import log_import_files_remove

    log_import_files_remove(**signal)


def _log_import_job_stopped(**signal: Any) -> None:
    from evidens.webstats.services import log_import_job_stopped

    log_import_job_stopped(**signal)
