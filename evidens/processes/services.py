"""Every write to a process, its facts, phases, budget, steering group and team."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from evidens.processes.audit import audit_record, changed_fields, field_values
from evidens.processes.models import (
    BudgetLine,
    Membership,
    Milestone,
    Phase,
    PhaseState,
    Role,
    SteeringGroupSeat,
    StrategyProcess,
)

DEFAULT_PHASES = [
    _("Board workshop"),
    _("Knowledge gathering (web statistics, archives, interviews, survey)"),
    _("Strategy development"),
    _("Validation"),
    _("The board's choice"),
]

PROCESS_FACT_FIELDS = [
    "name", "organisation", "purpose", "status", "horizon_year", "start_date", "end_date",
    "contact_name", "contact_email", "funders", "consultant", "total_budget", "anonymity_threshold",
]


# The contact person is a person: the trail says that the contact changed, not who it was or became.
PERSONAL_FACT_FIELDS = {"contact_name", "contact_email"}
HIDDEN = "•••"


def _without_personal_values(changes: dict[str, Any]) -> dict[str, Any]:
    return {
        name: ([HIDDEN, HIDDEN] if isinstance(value, list) else HIDDEN) if name in PERSONAL_FACT_FIELDS else value
        for name, value in changes.items()
    }


@transaction.atomic
def process_create(
    *,
    slug: str,
    name: str,
    actor: Any = None,
    with_default_phases: bool = True,
    **facts: Any,
) -> StrategyProcess:
    unknown = set(facts) - set(PROCESS_FACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown process fields: {sorted(unknown)}")
    process = StrategyProcess(slug=slug, name=name, **facts)
    process.full_clean()
    process.save()
    if with_default_phases:
        # Phase names are stored in the installation's language, not the requester's.
        with translation.override(settings.LANGUAGE_CODE):
            Phase.objects.bulk_create(
                Phase(process=process, order=index, name=str(title))
                for index, title in enumerate(DEFAULT_PHASES, start=1)
            )
    if getattr(actor, "is_authenticated", False):
        Membership.objects.create(process=process, user=actor, role="secretariat")
    audit_record(process=process, actor=actor, action="create", obj=process,
                 message=gettext_noop("Process created: %(name)s"), params={"name": name},
                 changes=_without_personal_values(field_values(process, PROCESS_FACT_FIELDS)))
    return process


@transaction.atomic
def process_update(*, process: StrategyProcess, actor: Any, **facts: Any) -> StrategyProcess:
    unknown = set(facts) - set(PROCESS_FACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown process fields: {sorted(unknown)}")
    before = field_values(process, PROCESS_FACT_FIELDS)
    for field, value in facts.items():
        setattr(process, field, value)
    process.full_clean()
    process.save()
    changes = _without_personal_values(changed_fields(before, field_values(process, PROCESS_FACT_FIELDS)))
    if changes:
        audit_record(process=process, actor=actor, action="update", obj=process,
                     message=gettext_noop("Process facts changed"), changes=changes)
    return process


PHASE_FIELDS = ["name", "description", "start_date", "end_date", "state"]


@transaction.atomic
def phase_update(*, phase: Phase, actor: Any, **fields: Any) -> Phase:
    before = field_values(phase, PHASE_FIELDS)
    for field, value in fields.items():
        if field not in PHASE_FIELDS:
            raise TypeError(f"Unknown phase field: {field}")
        setattr(phase, field, value)
    phase.full_clean()
    phase.save()
    changes = changed_fields(before, field_values(phase, PHASE_FIELDS))
    if changes:
        audit_record(process=phase.process, actor=actor, action="update", obj=phase,
                     message=gettext_noop("Phase changed: %(name)s"), params={"name": phase.name}, changes=changes)
    return phase


@transaction.atomic
def phase_add(
    *,
    process: StrategyProcess,
    actor: Any,
    name: str,
    start_date: date | None = None,
    end_date: date | None = None,
    state: str = PhaseState.NOT_STARTED,
    description: str = "",
) -> Phase:
    last = process.phases.order_by("-order").values_list("order", flat=True).first() or 0
    phase = Phase(process=process, order=last + 1, name=name, start_date=start_date, end_date=end_date,
                  state=state, description=description)
    phase.full_clean()
    phase.save()
    audit_record(process=process, actor=actor, action="create", obj=phase,
                 message=gettext_noop("Phase added: %(name)s"), params={"name": name},
                 changes=field_values(phase, PHASE_FIELDS))
    return phase


@transaction.atomic
def milestone_add(*, phase: Phase, actor: Any, name: str, due_date: date, reached: bool = False) -> Milestone:
    milestone = Milestone(phase=phase, name=name, due_date=due_date, reached=reached)
    milestone.full_clean()
    milestone.save()
    audit_record(process=phase.process, actor=actor, action="create", obj=milestone,
                 message=gettext_noop("Milestone added: %(name)s"), params={"name": name},
                 changes={"due_date": due_date.isoformat()})
    return milestone


@transaction.atomic
def milestone_set_reached(*, milestone: Milestone, actor: Any, reached: bool) -> Milestone:
    milestone.reached = reached
    milestone.save(update_fields=["reached"])
    audit_record(process=milestone.phase.process, actor=actor, action="update", obj=milestone,
                 message=gettext_noop("Milestone reached: %(name)s") if reached
                 else gettext_noop("Milestone reopened: %(name)s"),
                 params={"name": milestone.name}, changes={"reached": [not reached, reached]})
    return milestone


BUDGET_FIELDS = ["category", "budgeted", "spent"]


@transaction.atomic
def budget_line_save(
    *,
    process: StrategyProcess,
    actor: Any,
    category: str,
    budgeted: Decimal,
    spent: Decimal = Decimal("0"),
    line: BudgetLine | None = None,
) -> BudgetLine:
    creating = line is None
    line = line or BudgetLine(process=process)
    before = field_values(line, BUDGET_FIELDS)
    line.category, line.budgeted, line.spent = category, budgeted, spent
    line.full_clean()
    line.save()
    audit_record(process=process, actor=actor, action="create" if creating else "update", obj=line,
                 message=gettext_noop("Budget line added: %(category)s") if creating
                 else gettext_noop("Budget line changed: %(category)s"),
                 params={"category": category}, changes=changed_fields(before, field_values(line, BUDGET_FIELDS)))
    return line


@transaction.atomic
def budget_line_delete(*, line: BudgetLine, actor: Any) -> None:
    audit_record(process=line.process, actor=actor, action="delete", obj=line,
                 message=gettext_noop("Budget line removed: %(category)s"), params={"category": line.category},
                 changes=field_values(line, BUDGET_FIELDS))
    line.delete()


@transaction.atomic
def steering_seat_add(
    *, process: StrategyProcess, actor: Any, person_name: str, organisation: str, role: str = ""
) -> SteeringGroupSeat:
    order = process.steering_group.count() + 1
    seat = SteeringGroupSeat(process=process, person_name=person_name, organisation=organisation, role=role,
                             order=order)
    seat.full_clean()
    seat.save()
    audit_record(process=process, actor=actor, action="create", obj=seat,
                 message=gettext_noop("Steering group member added: %(organisation)s"),
                 params={"organisation": organisation})
    return seat


@transaction.atomic
def steering_seat_delete(*, seat: SteeringGroupSeat, actor: Any) -> None:
    audit_record(process=seat.process, actor=actor, action="delete", obj=seat,
                 message=gettext_noop("Steering group member removed: %(organisation)s"),
                 params={"organisation": seat.organisation})
    seat.delete()


def _guard_team_change(*, process: StrategyProcess, actor: Any, user: Any, new_role: str | None) -> None:
    """Nobody changes their own place on the team, and a process always keeps a secretariat."""
    if getattr(actor, "pk", None) is not None and actor.pk == user.pk:
        raise ValidationError(_("You cannot change your own role or remove yourself."), code="self")
    current = Membership.objects.filter(process=process, user=user).values_list("role", flat=True).first()
    if current == Role.SECRETARIAT and new_role != Role.SECRETARIAT:
        secretariat = Membership.objects.filter(process=process, role=Role.SECRETARIAT).count()
        if secretariat <= 1:
            raise ValidationError(_("The process must keep at least one member of the secretariat."),
                                  code="last_secretariat")


@transaction.atomic
def team_member_add(
    *,
    process: StrategyProcess,
    actor: Any,
    username: str,
    role: str,
    password: str = "",
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> Membership:
    """Give an existing user a role in the process, or create the user first (which needs a password)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        if not password:
            raise ValidationError({"password": _("A new user needs a password.")})
        validate_password(password)
        user = user_create(username=username, password=password, email=email, first_name=first_name,
                           last_name=last_name)
    return membership_change(process=process, actor=actor, user=user, role=role)


@transaction.atomic
def membership_change(*, process: StrategyProcess, actor: Any, user: Any, role: str) -> Membership:
    """A team change made by a person: guarded against locking the process out."""
    _guard_team_change(process=process, actor=actor, user=user, new_role=role)
    return membership_set(process=process, actor=actor, user=user, role=role)


@transaction.atomic
def membership_set(*, process: StrategyProcess, actor: Any, user: Any, role: str) -> Membership:
    previous = Membership.objects.filter(process=process, user=user).values_list("role", flat=True).first()
    membership, created = Membership.objects.update_or_create(process=process, user=user,
                                                              defaults={"role": role})
    membership.full_clean()
    audit_record(process=process, actor=actor, action="create" if created else "update", obj=membership,
                 message=gettext_noop("Team member added: %(user)s") if created
                 else gettext_noop("Role changed for %(user)s"),
                 params={"user": user.username}, changes={"role": [previous, role]})
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: Any) -> None:
    _guard_team_change(process=membership.process, actor=actor, user=membership.user, new_role=None)
    audit_record(process=membership.process, actor=actor, action="delete", obj=membership,
                 message=gettext_noop("Team member removed: %(user)s"), params={"user": membership.user.username})
    membership.delete()


@transaction.atomic
def user_create(*, username: str, password: str, email: str = "", first_name: str = "",
                last_name: str = "") -> Any:
    user_model = get_user_model()
    user = user_model(username=username, email=email, first_name=first_name, last_name=last_name)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user
