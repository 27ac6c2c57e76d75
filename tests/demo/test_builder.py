"""The demo built through the services into the database. Expected values are the issue's:
492.000 kr., Realdania, JA Studio, nine steering-group seats from the named organisations, five phases
from autumn 2020 to 2021, about 540 housing organisations with about 590,000 homes, 55 members, about
2,200 people, and the five role-named users with password "demo"."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import statistics
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from evidens.demo import builder
from evidens.demo.builder import DemoError, Section, demo_build
from evidens.processes.models import AuditEntry, Membership, StrategyProcess
from evidens.processes.services import process_create, user_create
from evidens.stakeholders.models import Organisation, Person

pytestmark = pytest.mark.django_db

STEERING_ORGANISATIONS = {"KAB", "FSB", "AL2bolig", "Domea.dk", "FA09", "Boligkontoret Danmark",
                          "Himmerland Boligforening", "Bygherreforeningen", "BL"}
ROLES = {"sekretariat": "secretariat", "analytiker": "analyst", "bestyrelse": "board",
         "styregruppe": "steering", "laeser": "reader"}


def register_digest(process: StrategyProcess) -> str:
    """A digest of the register's content, independent of database ids and insertion order."""
    organisations = sorted(
        Organisation.objects.filter(process=process).values_list(
            "name", "kind", "is_member", "member_since", "homes", "region", "municipality"))
    people = sorted(
        Person.objects.filter(process=process).values_list(
            "name", "email", "phone", "organisation__name", "role_title", "segment", "source", "consent",
            "lawful_basis", "delete_by"))
    return hashlib.sha256(repr((organisations, people)).encode()).hexdigest()


def test_the_facts() -> None:
    summary = demo_build()
    assert summary.created
    process = StrategyProcess.objects.get(slug="almennet-2030")
    assert summary.slug == "almennet-2030" and summary.url == "/p/almennet-2030/"
    assert process.name == "AlmenNet 2030"
    assert process.organisation == "AlmenNet"
    assert process.status == "active"
    assert process.horizon_year == 2030
    assert (process.start_date, process.end_date) == (date(2020, 9, 1), date(2021, 12, 31))
    assert process.total_budget == Decimal("492000")
    assert process.funder_list == ["Realdania"]
    assert process.consultant == "JA Studio"
    assert process.contact_name and process.contact_email.endswith("@almennet.example")
    assert 2 <= process.purpose.count(". ") + 1 <= 4  # two to four sentences

    lines = list(process.budget_lines.all())
    assert sum(line.budgeted for line in lines) == Decimal("492000")
    spent = sum(line.spent for line in lines)
    assert Decimal("0") < spent < Decimal("492000")  # under way: partly spent
    assert all(line.spent <= line.budgeted for line in lines)
    assert {"Konsulentbistand", "Uforudset"} <= {line.category for line in lines}

    seats = list(process.steering_group.all())
    assert len(seats) == 9
    assert {seat.organisation for seat in seats} == STEERING_ORGANISATIONS
    assert [seat.role for seat in seats].count("formand") == 1
    assert all(seat.person_name for seat in seats)

    phases = list(process.phases.order_by("order"))
    assert len(phases) == 5
    assert [phase.state for phase in phases] == ["done", "active", "not_started", "not_started", "not_started"]
    assert phases[0].start_date is not None and date(2020, 9, 1) <= phases[0].start_date <= date(2020, 11, 30)
    for phase in phases:
        assert phase.start_date and phase.end_date
        assert date(2020, 9, 1) <= phase.start_date <= phase.end_date <= date(2021, 12, 31)
        assert 2 <= phase.milestones.count() <= 4
        assert all(phase.start_date <= m.due_date <= phase.end_date for m in phase.milestones.all())
    for earlier, later in itertools.pairwise(phases):
        assert earlier.end_date and later.start_date and earlier.end_date < later.start_date
    assert all(m.reached for m in phases[0].milestones.all())
    assert not any(m.reached for phase in phases[2:] for m in phase.milestones.all())


def test_the_register_in_the_database() -> None:
    summary = demo_build()
    process = StrategyProcess.objects.get(slug="almennet-2030")
    housing = Organisation.objects.filter(process=process, kind="housing")
    assert housing.count() == 540
    homes = sum(housing.values_list("homes", flat=True))
    assert 578_200 <= homes <= 601_800  # 590,000 ± 2 %
    assert Organisation.objects.filter(process=process, is_member=True).count() == 55
    members = [h for h in housing.filter(is_member=True).values_list("homes", flat=True) if h]
    others = [h for h in housing.filter(is_member=False).values_list("homes", flat=True) if h]
    assert statistics.median(members) > statistics.median(others)
    assert 60 <= Organisation.objects.filter(process=process).exclude(kind="housing").count() <= 100
    assert Organisation.objects.get(process=process, name="Realdania").kind == "foundation"
    people = Person.objects.filter(process=process)
    assert 2100 <= people.count() <= 2300
    assert not people.filter(organisation__isnull=True).exists()
    assert summary.counts["people"] == people.count()
    assert summary.counts["housing_organisations"] == 540
    assert summary.counts["members"] == 55
    assert summary.counts["budgeted"] == 492000


def test_a_rebuild_gives_the_same_register_and_reset_rebuilds() -> None:
    demo_build()
    first = StrategyProcess.objects.get(slug="almennet-2030")
    first_digest = register_digest(first)
    first_users = set(get_user_model().objects.filter(username__in=ROLES).values_list("pk", flat=True))

    summary = demo_build(reset=True)
    assert summary.created
    second = StrategyProcess.objects.get(slug="almennet-2030")
    assert second.pk != first.pk
    assert register_digest(second) == first_digest
    # The old process and users are gone, not left behind.
    assert StrategyProcess.objects.filter(slug="almennet-2030").count() == 1
    assert not Organisation.objects.filter(process_id=first.pk).exists()
    new_users = set(get_user_model().objects.filter(username__in=ROLES).values_list("pk", flat=True))
    assert len(new_users) == 5 and not new_users & first_users


def test_without_reset_an_existing_demo_is_left_alone() -> None:
    demo_build()
    process = StrategyProcess.objects.get(slug="almennet-2030")
    audit_entries = AuditEntry.objects.count()
    people = Person.objects.count()

    summary = demo_build()
    assert not summary.created
    assert StrategyProcess.objects.get(slug="almennet-2030").pk == process.pk
    assert AuditEntry.objects.count() == audit_entries
    assert Person.objects.count() == people
    assert summary.counts["people"] == people
    assert [user["username"] for user in summary.users] == list(ROLES)


def test_demo_users_log_in_with_demo_and_have_their_roles() -> None:
    summary = demo_build()
    process = StrategyProcess.objects.get(slug="almennet-2030")
    for username, role in ROLES.items():
        user = authenticate(username=username, password="demo")
        assert user is not None, username
        assert authenticate(username=username, password="wrong") is None
        assert Membership.objects.get(process=process, user=user).role == role
        assert user.first_name and user.last_name
        assert not user.is_staff and not user.is_superuser
    assert Membership.objects.filter(process=process).count() == 5
    assert {user["username"]: user["role"] for user in summary.users} == ROLES
    assert all(user["password"] == "demo" for user in summary.users)


def test_changes_are_recorded_as_the_secretariat() -> None:
    demo_build()
    process = StrategyProcess.objects.get(slug="almennet-2030")
    entries = AuditEntry.objects.filter(process=process)
    assert entries.exists()
    assert set(entries.values_list("actor__username", flat=True)) == {"sekretariat"}


def test_demo_users_without_the_process_are_not_taken_over() -> None:
    user_create(username="analytiker", password="something else entirely")
    with pytest.raises(DemoError):
        demo_build()
    assert not StrategyProcess.objects.filter(slug="almennet-2030").exists()
    assert authenticate(username="analytiker", password="something else entirely") is not None
    # --reset replaces them.
    demo_build(reset=True)
    assert authenticate(username="analytiker", password="demo") is not None


def test_a_failing_section_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(context: builder.DemoContext) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(builder, "SECTIONS", [*builder.SECTIONS[:2], Section("fail", "Fails", fail)])
    with pytest.raises(RuntimeError):
        demo_build()
    assert not StrategyProcess.objects.filter(slug="almennet-2030").exists()
    assert not get_user_model().objects.filter(username__in=ROLES).exists()


def test_sections_draw_from_their_own_seeded_generator() -> None:
    demo_build()
    context = builder.DemoContext(process=StrategyProcess.objects.get(slug="almennet-2030"), actor=None,
                                  users={})
    assert context.rng("register").random() == context.rng("register").random()
    assert context.rng("register").random() != context.rng("surveys").random()


def test_progress_is_reported_up_to_the_total() -> None:
    calls: list[tuple[int, int | None, str]] = []
    demo_build(progress=lambda done, total=None, message="": calls.append((done, total, message)))
    totals = {total for _, total, _ in calls}
    assert len(totals) == 1
    total = totals.pop()
    assert total
    dones = [done for done, _, _ in calls]
    assert dones == sorted(dones)
    assert dones[0] == 0 and dones[-1] == total
    assert len(calls) > len(builder.SECTIONS) + 2  # the register reports its batches too


def test_command_json_then_existing_then_reset() -> None:
    out = StringIO()
    call_command("demo", "--json", stdout=out)
    first_json = out.getvalue()
    first = json.loads(first_json)
    assert first["created"] is True
    assert first["slug"] == "almennet-2030"
    assert first["counts"]["members"] == 55
    assert first["counts"]["steering_seats"] == 9
    assert [user["username"] for user in first["users"]] == list(ROLES)

    out = StringIO()
    call_command("demo", "--json", stdout=out)
    assert json.loads(out.getvalue())["created"] is False

    out = StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert ("Demoprocessen almennet-2030 findes allerede; intet blev ændret (brug --reset for at bygge den "
            "igen).") in text
    for username in ROLES:
        assert username in text

    out = StringIO()
    call_command("demo", "--reset", stdout=out)
    text = out.getvalue()
    # Danish text and numbers: decimal comma, full stop between thousands.
    assert re.search(r"^Demoprocessen AlmenNet 2030 er bygget på \d+,\d s: /p/almennet-2030/$", text, re.MULTILINE)
    summary = json.loads(first_json)
    counts = {key: f"{value:,}".replace(",", ".") for key, value in summary["counts"].items()}
    assert counts["people"] == "2.200" and counts["homes"].count(".") == 1
    assert (f"{counts['organisations']} organisationer ({counts['housing_organisations']} almene "
            f"boligorganisationer, {counts['members']} medlemmer, {counts['homes']} boliger) og "
            f"{counts['people']} personer i registret.") in text
    assert "Demologins" in text and "Brugernavn" in text and "Adgangskode" in text


def test_command_reports_demo_users_without_the_process() -> None:
    user_create(username="laeser", password="something else entirely")
    with pytest.raises(CommandError):
        call_command("demo", stdout=StringIO())


def test_if_empty_leaves_a_database_with_other_data_alone(db: None) -> None:
    process_create(slug="rigtig", name="En rigtig proces")
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert not StrategyProcess.objects.filter(slug="almennet-2030").exists()
    assert "ikke bygget" in out.getvalue()


def test_if_empty_builds_into_an_empty_database_and_then_reports_it(db: None) -> None:
    call_command("demo", "--if-empty", stdout=StringIO())
    assert StrategyProcess.objects.filter(slug="almennet-2030").exists()
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)  # the second make run: the demo is there, logins again
    assert "sekretariat" in out.getvalue()
