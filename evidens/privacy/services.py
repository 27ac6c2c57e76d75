"""Retention across the apps: people past their delete-by date are erased, web statistics older than the process
keeps them are deleted. Each app's own service does the work (and writes the audit trail); this module decides
what is due."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from evidens.privacy import selectors
from evidens.privacy.selectors import Retention
from evidens.processes.models import StrategyProcess
from evidens.stakeholders import services as stakeholder_services
from evidens.webstats import services as webstats_services

Progress = Callable[..., None]


def retention_run(*, process: StrategyProcess, actor: Any, today: date | None = None, dry_run: bool = False,
                  progress: Progress | None = None) -> Retention:
    """Erase every person of the process whose delete-by date has passed, and prune the web statistics to the
    process's retention period. Each erasure is its own transaction, so a stop halfway leaves whole erasures and a
    second run finishes the rest. ``dry_run`` counts what is due and changes nothing."""
    today = today or timezone.localdate()
    if dry_run:
        return selectors.retention_due(process, today)
    report = progress or (lambda *_args, **_kwargs: None)
    due = list(selectors.people_past_delete_by(process, today))
    total = len(due) + 1
    for done, person in enumerate(due):
        report(done, total, _("Erasing people past their delete-by date"))
        stakeholder_services.person_erase(person=person, actor=actor)
    report(len(due), total, _("Pruning the web statistics"))
    pruned = webstats_services.retention_apply(process=process, today=today)
    report(total, total, "")
    return Retention(process.slug, len(due), len(pruned), dry_run=False)


def retention_request(*, process: StrategyProcess, actor: Any) -> Any:
    """Run the retention now as a background job with visible progress."""
    from evidens.privacy.tasks import retention_task
    from evidens.processes.jobs import job_enqueue

    return job_enqueue(process=process, kind="retention", user=actor, task=retention_task,
                       label=_("Retention: erase and prune what is past its time"))


def retention_job(*, process_id: int, progress: Progress | None = None) -> dict[str, Any]:
    process = StrategyProcess.objects.get(pk=process_id)
    result = retention_run(process=process, actor=None, progress=progress)
    return {**result.as_dict(), "summary": _("%(people)s people erased, %(imports)s web imports pruned.") % {
        "people": result.people_erased, "imports": result.web_imports_pruned}}
