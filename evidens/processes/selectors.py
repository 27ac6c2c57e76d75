"""Reads of process data shared by views, reports and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum

from evidens.processes.models import (
    AuditEntry,
    BudgetLine,
    Job,
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


def jobs(process: StrategyProcess) -> QuerySet[Job]:
    return process.jobs.select_related("created_by")
