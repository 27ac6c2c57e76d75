"""Reads of process data shared by views, reports and the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum
from django.db.models.query import ModelIterable

from evidens.processes.jobs import job_progress_read
from evidens.processes.models import (
    AuditEntry,
    BudgetLine,
    Job,
    JobStatus,
    Membership,
    Milestone,
    Phase,
    SteeringGroupSeat,
    StrategyProcess,
)


def processes_for_user(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("process").order_by("process__name")


@dataclass(frozen=True)
class BudgetSummary:
    total: Decimal
    budgeted: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.total - self.spent

    @property
    def spent_percent(self) -> int:
        return round(100 * self.spent / self.total) if self.total else 0

    @property
    def unallocated(self) -> Decimal:
        return self.total - self.budgeted


def budget_summary(process: StrategyProcess) -> BudgetSummary:
    sums = process.budget_lines.aggregate(budgeted=Sum("budgeted"), spent=Sum("spent"))
    return BudgetSummary(
        total=process.total_budget,
        budgeted=sums["budgeted"] or Decimal("0"),
        spent=sums["spent"] or Decimal("0"),
    )


def budget_lines(process: StrategyProcess) -> QuerySet[BudgetLine]:
    return process.budget_lines.all()


def phases_with_milestones(process: StrategyProcess) -> QuerySet[Phase]:
    return process.phases.prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("due_date")))


def steering_group(process: StrategyProcess) -> QuerySet[SteeringGroupSeat]:
    return process.steering_group.all()


def team(process: StrategyProcess) -> QuerySet[Membership]:
    return process.memberships.select_related("user").order_by("role", "user__username")


def recent_activity(process: StrategyProcess, limit: int = 8) -> QuerySet[AuditEntry]:
    return process.audit_entries.select_related("actor")[:limit]


def audit_entries(process: StrategyProcess) -> QuerySet[AuditEntry]:
    return process.audit_entries.select_related("actor")


@dataclass(frozen=True)
class JobView:
    """How far a job has come, as it should be shown now."""

    status: str
    done: int
    total: int
    message: str

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, round(100 * self.done / self.total))


def job_view(job: Job) -> JobView:
    """The job's progress: from its side file while it is queued or running (the row may lag behind a
    transaction the job has not committed yet), from the row once it has ended or without a side file."""
    if job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
        live = job_progress_read(job.pk)
        if live is not None:
            return JobView(status=job.status, done=live.done, total=live.total, message=live.message)
    return JobView(status=job.status, done=job.progress_done, total=job.progress_total, message=job.message)


def _with_live_progress(job: Job) -> Job:
    """The job with ``progress_done``, ``progress_total`` and ``message`` (and so ``percent``) as shown now.

    Only for showing: the instance is not saved.
    """
    view = job_view(job)
    job.progress_done, job.progress_total, job.message = view.done, view.total, view.message
    return job


class _LiveProgressJobs(ModelIterable[Job]):
    def __iter__(self) -> Iterator[Job]:
        for job in super().__iter__():
            yield _with_live_progress(job)


def jobs(process: StrategyProcess) -> QuerySet[Job]:
    """The process's jobs, newest first; each job fetched carries its live progress (see ``job_view``)."""
    queryset = process.jobs.select_related("created_by")
    queryset._iterable_class = _LiveProgressJobs  # kept by slicing, filter() and get()
    return queryset


def job_detail(process: StrategyProcess, job_id: int) -> Job | None:
    """One of the process's jobs with its live progress, or None."""
    return jobs(process).filter(pk=job_id).first()
