from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from evidens.processes import selectors, services
from evidens.processes.models import AuditEntry, Phase, StrategyProcess
from tests.conftest import Cast


def test_a_new_process_gets_the_five_default_phases_in_danish(db: None) -> None:
    process = services.process_create(slug="ny", name="Ny proces")
    names = list(process.phases.order_by("order").values_list("name", flat=True))
    assert names == [
        "Bestyrelsesworkshop",
        "Vidensindsamling (webstatistik, arkiver, interviews, spørgeskema)",
        "Strategiudvikling",
        "Validering",
        "Bestyrelsens valg",
    ]


def test_process_create_rejects_a_duplicate_slug_and_leaves_nothing(db: None) -> None:
    services.process_create(slug="dup", name="A")
    with pytest.raises(ValidationError):
        services.process_create(slug="dup", name="B")
    assert StrategyProcess.objects.filter(slug="dup").count() == 1
    assert Phase.objects.filter(process__slug="dup").count() == 5


def test_process_update_records_only_what_changed(cast: Cast) -> None:
    actor = cast.users["secretariat"]
    services.process_update(process=cast.process, actor=actor, total_budget=Decimal("492000"), consultant="JA Studio")
    entry = AuditEntry.objects.filter(process=cast.process, action="update").latest("id")
    assert entry.actor == actor
    assert entry.changes == {"total_budget": ["0", "492000"], "consultant": ["", "JA Studio"]}


def test_process_update_rejects_end_before_start(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        services.process_update(process=cast.process, actor=None, start_date=date(2021, 1, 1),
                                end_date=date(2020, 1, 1))


def test_the_database_refuses_a_negative_budget_line(cast: Cast) -> None:
    from evidens.processes.models import BudgetLine

    with pytest.raises(IntegrityError):
        BudgetLine.objects.create(process=cast.process, category="X", budgeted=Decimal("-1"))


def test_budget_summary_totals_and_remaining(cast: Cast) -> None:
    services.process_update(process=cast.process, actor=None, total_budget=Decimal("492000"))
    services.budget_line_save(process=cast.process, actor=None, category="Konsulent", budgeted=Decimal("300000"),
                              spent=Decimal("120000"))
    services.budget_line_save(process=cast.process, actor=None, category="Møder", budgeted=Decimal("192000"),
                              spent=Decimal("30500"))
    summary = selectors.budget_summary(cast.process)
    # 120.000 + 30.500 = 150.500 spent; 492.000 - 150.500 = 341.500 left.
    assert summary.spent == Decimal("150500")
    assert summary.remaining == Decimal("341500")
    assert summary.unallocated == Decimal("0")
    assert summary.spent_percent == 31  # 150.500 / 492.000 = 30.6 %


def test_phase_add_appends_after_the_last_phase(cast: Cast) -> None:
    phase = services.phase_add(process=cast.process, actor=None, name="Opfølgning")
    assert phase.order == 6


def test_membership_set_changes_the_role_without_a_second_row(cast: Cast) -> None:
    user = cast.users["reader"]
    services.membership_set(process=cast.process, actor=None, user=user, role="board")
    assert cast.process.memberships.filter(user=user).count() == 1
    assert cast.process.memberships.get(user=user).role == "board"


def test_the_last_secretariat_cannot_be_removed_or_demoted(cast: Cast) -> None:
    board = cast.users["board"]
    secretariat = cast.process.memberships.get(role="secretariat")
    with pytest.raises(ValidationError, match="mindst ét medlem af sekretariatet"):
        services.membership_change(process=cast.process, actor=board, user=secretariat.user, role="reader")
    with pytest.raises(ValidationError):
        services.membership_remove(membership=secretariat, actor=board)
    # With a second secretariat member, the first may go.
    services.membership_set(process=cast.process, actor=None, user=cast.users["reader"], role="secretariat")
    services.membership_remove(membership=secretariat, actor=board)
    assert not cast.process.memberships.filter(pk=secretariat.pk).exists()


def test_team_member_add_creates_a_user_only_with_a_valid_password(cast: Cast) -> None:
    actor = cast.users["secretariat"]
    with pytest.raises(ValidationError):
        services.team_member_add(process=cast.process, actor=actor, username="ny", role="board", password="123")
    assert not cast.process.memberships.filter(user__username="ny").exists()
    membership = services.team_member_add(process=cast.process, actor=actor, username="ny", role="board",
                                          password="en lang og god adgangskode")
    assert membership.role == "board"


def test_the_audit_trail_records_a_new_contact_person_without_the_personal_data(cast: Cast) -> None:
    services.process_update(process=cast.process, actor=None, contact_name="Kirsten Møller",
                            contact_email="km@forening.example", consultant="JA Studio")
    entry = AuditEntry.objects.filter(process=cast.process, action="update").latest("id")
    assert entry.changes == {"contact_name": ["•••", "•••"], "contact_email": ["•••", "•••"],
                             "consultant": ["", "JA Studio"]}
    created = services.process_create(slug="ny2", name="Ny", contact_name="Anne Holm")
    entry = AuditEntry.objects.filter(process=created, action="create").get()
    assert "Anne Holm" not in str(entry.changes)
