"""Build the "AlmenNet 2030" demo process through the services, from one seed.

``demo_build`` is the one entry point. It creates the demo users and the process, then runs the
sections in ``SECTIONS`` in order. A later capability adds its part of the demo by appending a
``Section`` whose function takes the ``DemoContext``; it draws its random numbers from
``context.rng("<section name>")`` so that adding a section never changes what the others build.
Nothing here reads the clock or the global random generator: dates are fixed, and every random
number comes from ``random.Random`` seeded with ``DEMO_SEED`` and the section's name.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evidens.archive.models import ArchiveDocument
from evidens.coding.models import Coding
from evidens.demo import data, interview_build, weblog
from evidens.demo.archive_build import activities_build
from evidens.demo.archive_build import archive_build as archive_build_section
from evidens.demo.evidence_build import evidence_base_build
from evidens.demo.generator import register_generate
from evidens.demo.strategy_build import strategy_build
from evidens.demo.survey_build import survey_build as member_survey_build
from evidens.interviews.models import Interview
from evidens.processes import services as process_services
from evidens.processes.models import (
    BudgetLine,
    Membership,
    Milestone,
    ProcessStatus,
    StrategyProcess,
)
from evidens.stakeholders import services as stakeholder_services
from evidens.stakeholders.importing import OrganisationData, PersonData
from evidens.stakeholders.models import Organisation, OrganisationKind, Person
from evidens.surveys.models import Recipient, Response, ResponseStatus, Survey
from evidens.webstats import services as webstats_services
from evidens.webstats.models import LogImport

# ``progress(done, total, message)``: the same shape as the job progress callbacks.
Progress = Callable[..., None]


class DemoError(Exception):
    """The demo cannot be built as asked (the message says why and what to do)."""


@dataclass
class DemoContext:
    process: StrategyProcess
    actor: Any  # the secretariat user; every change is recorded as theirs
    users: dict[str, Any]  # role -> user
    seed: int = data.DEMO_SEED
    progress: Progress | None = None  # progress within the running section: (done, total)

    def rng(self, section: str) -> random.Random:
        """The random generator of one section: seeded from the demo seed and the section's name."""
        return random.Random(f"{self.seed}:{section}")  # noqa: S311 - reproducible demo data, not secrets

    def report(self, done: int, total: int | None = None, *_args: Any, **_kwargs: Any) -> None:
        if self.progress is not None:
            self.progress(done, total)


@dataclass(frozen=True)
class Section:
    name: str
    label: Any  # shown in the progress display (a lazy translation)
    build: Callable[[DemoContext], None]
    weight: int = 1  # share of the progress bar


@dataclass
class DemoSummary:
    slug: str
    name: str
    created: bool
    counts: dict[str, Any] = field(default_factory=dict)
    users: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def url(self) -> str:
        return f"/p/{self.slug}/"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "url": self.url}


# --- sections -------------------------------------------------------------------------------


def facts_build(context: DemoContext) -> None:
    """Budget lines and the steering group (the facts proper are set when the process is created)."""
    for category, budgeted, spent in data.BUDGET_LINES:
        process_services.budget_line_save(process=context.process, actor=context.actor, category=category,
                                          budgeted=budgeted, spent=spent)
    for org in data.STEERING_GROUP:
        process_services.steering_seat_add(process=context.process, actor=context.actor,
                                           person_name=org.seat_person, organisation=org.name,
                                           role=org.seat_role)


def phases_build(context: DemoContext) -> None:
    phases = list(context.process.phases.order_by("order"))
    if len(phases) != len(data.PHASE_PLANS):
        raise DemoError(f"Expected {len(data.PHASE_PLANS)} default phases, found {len(phases)}")
    for phase, plan in zip(phases, data.PHASE_PLANS, strict=True):
        process_services.phase_update(phase=phase, actor=context.actor, start_date=plan.start,
                                      end_date=plan.end, state=plan.state, description=plan.description)
        for name, due, reached in plan.milestones:
            process_services.milestone_add(phase=phase, actor=context.actor, name=name, due_date=due,
                                           reached=reached)


def team_build(context: DemoContext) -> None:
    """Every demo user gets their role (the secretariat user already has it as the process's creator)."""
    for role, user in context.users.items():
        if role != "secretariat":
            process_services.membership_set(process=context.process, actor=context.actor, user=user, role=role)


def register_build(context: DemoContext) -> None:
    register = register_generate(context.rng("register"))
    organisations = [
        OrganisationData(name=org.name, kind=org.kind, is_member=org.is_member, member_since=org.member_since,
                         homes=org.homes, region=org.region, municipality=org.municipality)
        for org in register.organisations
    ]
    people = [
        PersonData(name=person.name, email=person.email, phone=person.phone,
                   organisation_name=person.organisation, role_title=person.role_title,
                   segment=person.segment, source=person.source, consent=person.consent,
                   lawful_basis=person.lawful_basis, delete_by=person.delete_by)
        for person in register.people
    ]
    stakeholder_services.register_bulk_create(process=context.process, actor=context.actor,
                                              organisations=organisations, people=people,
                                              progress=context.report)


def survey_build(context: DemoContext) -> None:
    member_survey_build(context.rng("survey"), context.process, context.actor, context.report)


def webstats_build(context: DemoContext) -> None:
    """A year of the association's web log (Oct 2019 – Sep 2020), its content areas and partner sites."""
    webstats_services.webstats_settings_update(
        process=context.process, actor=context.actor, retention_months=120,  # the demo's year is history
        own_hosts="\n".join((urlsplit(weblog.SITE_ORIGIN).hostname or "", "almennet.dk")),
        partner_hosts="\n".join(data.WEB_PARTNER_HOSTS))
    webstats_services.content_areas_replace(process=context.process, actor=context.actor,
                                            # Downloads are counted apart from page views, never in an area.
                                            areas=[(area.name, area.prefix) for area in weblog.SITE_AREAS
                                                   if area != weblog.DOWNLOADS])
    with tempfile.TemporaryDirectory(prefix="evidens-demo-") as folder:
        path = Path(folder) / "www.almennet.dk-access.log.gz"
        weblog.write_log(path, first_day=data.WEB_LOG_FIRST_DAY, last_day=data.WEB_LOG_LAST_DAY,
                         visits=data.WEB_LOG_VISITS, seed=context.seed)
        log_import = webstats_services.log_import_register(process=context.process, actor=context.actor,
                                                           paths=[path], log_format_text="combined")
        webstats_services.log_import_run(import_id=log_import.pk, paths=[path], progress=context.report)


def interviews_build(context: DemoContext) -> None:
    interview_build.interviews_build(rng=context.rng("interviews"), process=context.process, actor=context.actor,
                                     users=context.users, report=context.report)


def archive_build(context: DemoContext) -> None:
    archive_build_section(rng=context.rng("archive"), process=context.process, actor=context.actor,
                          report=context.report)
    # The same register the register section stored: its generator is seeded by the section's name.
    activities_build(rng=context.rng("activities"), process=context.process, actor=context.actor,
                     register=register_generate(context.rng("register")))


def evidence_build(context: DemoContext) -> None:
    evidence_base_build(process=context.process, actor=context.actor, users=context.users, report=context.report)


def strategy_section_build(context: DemoContext) -> None:
    strategy_build(process=context.process, actor=context.actor, users=context.users)


SECTIONS: list[Section] = [
    Section("facts", gettext_lazy("Budget and steering group"), facts_build),
    Section("phases", gettext_lazy("Phases and milestones"), phases_build),
    Section("team", gettext_lazy("Team"), team_build),
    Section("register", gettext_lazy("Stakeholder register"), register_build, weight=8),
    Section("survey", gettext_lazy("Member survey"), survey_build, weight=4),
    Section("webstats", gettext_lazy("Web statistics"), webstats_build, weight=4),
    Section("interviews", gettext_lazy("Interviews and coding"), interviews_build, weight=2),
    Section("archive", gettext_lazy("Archive"), archive_build, weight=3),
    Section("evidence", gettext_lazy("Evidence base"), evidence_build, weight=2),
    Section("strategy", gettext_lazy("Strategy options"), strategy_section_build),
]


# --- the entry point ------------------------------------------------------------------------


def demo_users() -> list[Any]:
    usernames = [user.username for user in data.DEMO_USERS]
    return list(get_user_model().objects.filter(username__in=usernames))


def demo_delete() -> None:
    """Remove the demo process (with everything that belongs to it) and the demo users."""
    StrategyProcess.objects.filter(slug=data.DEMO_SLUG).delete()
    get_user_model().objects.filter(username__in=[user.username for user in data.DEMO_USERS]).delete()


def _users_create() -> dict[str, Any]:
    if demo_users():
        raise DemoError(_("Demo users exist but the demo process does not; run the demo with --reset."))
    return {
        user.role: process_services.user_create(username=user.username, password=data.DEMO_PASSWORD,
                                                email=user.email, first_name=user.first_name,
                                                last_name=user.last_name)
        for user in data.DEMO_USERS
    }


def _process_create(actor: Any) -> StrategyProcess:
    contact = next(user for user in data.DEMO_USERS if user.username == data.CONTACT_USER)
    return process_services.process_create(
        slug=data.DEMO_SLUG,
        name=data.PROCESS_NAME,
        actor=actor,
        organisation=data.PROCESS_ORGANISATION,
        purpose=data.PROCESS_PURPOSE,
        status=ProcessStatus.ACTIVE,
        horizon_year=data.PROCESS_HORIZON,
        start_date=data.PROCESS_START,
        end_date=data.PROCESS_END,
        contact_name=f"{contact.first_name} {contact.last_name}",
        contact_email=contact.email,
        funders=data.PROCESS_FUNDERS,
        consultant=data.PROCESS_CONSULTANT,
        total_budget=data.PROCESS_TOTAL_BUDGET,
    )


def demo_counts(process: StrategyProcess) -> dict[str, Any]:
    organisations = Organisation.objects.filter(process=process)
    housing = organisations.filter(kind=OrganisationKind.HOUSING)
    budget = BudgetLine.objects.filter(process=process).aggregate(budgeted=Sum("budgeted"), spent=Sum("spent"))
    return {
        "organisations": organisations.count(),
        "housing_organisations": housing.count(),
        "homes": housing.aggregate(total=Sum("homes"))["total"] or 0,
        "members": organisations.filter(is_member=True).count(),
        "people": Person.objects.filter(process=process).count(),
        "budget_lines": BudgetLine.objects.filter(process=process).count(),
        "budgeted": int(budget["budgeted"] or 0),
        "spent": int(budget["spent"] or 0),
        "steering_seats": process.steering_group.count(),
        "phases": process.phases.count(),
        "milestones": Milestone.objects.filter(phase__process=process).count(),
        "team": Membership.objects.filter(process=process).count(),
        "surveys": Survey.objects.filter(process=process).count(),
        "survey_recipients": Recipient.objects.filter(survey__process=process).count(),
        "survey_responses": Response.objects.filter(survey__process=process, status=ResponseStatus.COMPLETE).count(),
        "interviews": Interview.objects.filter(process=process).count(),
        "archive_documents": ArchiveDocument.objects.filter(process=process).count(),
        "codings": Coding.objects.filter(document__process=process).count(),
        "web_log_lines": sum(log_import.counts.get("lines", 0) for log_import in LogImport.objects.filter(
            process=process)),
    }


def _logins(process: StrategyProcess | None) -> list[dict[str, str]]:
    roles: dict[int, str] = {}
    if process is not None:
        roles = dict(Membership.objects.filter(process=process).values_list("user_id", "role"))
    by_name = {user.username: user for user in demo_users()}
    return [
        {"username": user.username, "password": data.DEMO_PASSWORD,
         "role": roles.get(by_name[user.username].pk, ""), "name": f"{user.first_name} {user.last_name}"}
        for user in data.DEMO_USERS if user.username in by_name
    ]


def database_holds_other_data() -> bool:
    """True when the database has processes or users and the demo is not among them."""
    if StrategyProcess.objects.filter(slug=data.DEMO_SLUG).exists():
        return False
    return StrategyProcess.objects.exists() or get_user_model().objects.exists()


def demo_build(*, reset: bool = False, progress: Progress | None = None) -> DemoSummary:
    """Build the demo process unless it exists; with ``reset``, delete it and the demo users first.

    ``progress(done, total, message)`` is called as the sections run. Everything happens in one
    transaction: a failure leaves the database as it was.
    """
    started = time.perf_counter()
    with transaction.atomic():
        existing = StrategyProcess.objects.filter(slug=data.DEMO_SLUG).first()
        if existing is not None and not reset:
            return DemoSummary(slug=existing.slug, name=existing.name, created=False,
                               counts=demo_counts(existing), users=_logins(existing),
                               seconds=round(time.perf_counter() - started, 2))
        if reset:
            demo_delete()

        units = 100
        total = units * (1 + sum(section.weight for section in SECTIONS))
        if progress:
            progress(0, total, _("Users and process"))
        users = _users_create()
        process = _process_create(users["secretariat"])
        done = units
        context = DemoContext(process=process, actor=users["secretariat"], users=users)
        for section in SECTIONS:
            share = units * section.weight
            if progress:
                progress(done, total, str(section.label))
                context.progress = _scaled(progress, done, share, total, str(section.label))
            else:
                context.progress = None
            section.build(context)
            done += share
        if progress:
            progress(total, total, _("Done"))
        return DemoSummary(slug=process.slug, name=process.name, created=True, counts=demo_counts(process),
                           users=_logins(process), seconds=round(time.perf_counter() - started, 2))


def _scaled(progress: Progress, offset: int, share: int, total: int, label: str) -> Progress:
    """A section's own (done, total) turned into a position on the whole demo's bar."""

    def report(done: int, section_total: int | None = None, *_args: Any, **_kwargs: Any) -> None:
        if section_total:
            progress(offset + share * min(done, section_total) // section_total, total, label)

    return report
