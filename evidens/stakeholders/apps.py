from typing import Any

from django.apps import AppConfig


class StakeholdersConfig(AppConfig):
    name = "evidens.stakeholders"
    label = "stakeholders"

    def ready(self) -> None:
        from evidens.processes.jobs import job_stopped

        # A worker killed mid-import leaves its import queued; it must fail, so it can be confirmed again.
        job_stopped.connect(_stakeholder_import_job_stopped, dispatch_uid="stakeholders.job_stopped")


def _stakeholder_import_job_stopped(**signal: Any) -> None:
    from evidens.stakeholders.services import stakeholder_import_job_stopped

    stakeholder_import_job_stopped(**signal)
