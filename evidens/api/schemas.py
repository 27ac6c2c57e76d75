"""What the API answers, field by field. Choice fields carry their stored values (``"confirmed"``), not labels."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from evidens.evidence.models import Assumption, Finding
from evidens.processes.models import Membership
from evidens.strategy.models import StrategyOption


class ProcessSummary(Schema):
    """Read from the user's ``Membership``, which carries the role and the process."""

    slug: str = Field(alias="process.slug")
    name: str = Field(alias="process.name")
    organisation: str = Field(alias="process.organisation")
    status: str = Field(alias="process.status")
    role: str = Field(description="Your role in the process.")


class ProcessDetail(ProcessSummary):
    purpose: str = Field(alias="process.purpose")
    horizon_year: int | None = Field(alias="process.horizon_year")
    start_date: date | None = Field(alias="process.start_date")
    end_date: date | None = Field(alias="process.end_date")
    contact_name: str = Field(alias="process.contact_name")
    contact_email: str = Field(alias="process.contact_email")
    funders: list[str]
    consultant: str = Field(alias="process.consultant")
    total_budget: Decimal = Field(alias="process.total_budget")

    @staticmethod
    def resolve_funders(membership: Membership) -> list[str]:
        return membership.process.funder_list


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    is_member: bool
    member_since: date | None
    homes: int | None
    region: str
    municipality: str


class PersonOut(Schema):
    id: int
    name: str
    organisation_id: int | None
    role_title: str
    segment: str
    email: str | None = Field(None, alias="shown_email",
                              description="Only for roles that analyse or manage the register; otherwise null.")
    phone: str | None = Field(None, alias="shown_phone",
                              description="Only for roles that analyse or manage the register; otherwise null.")
    consent: str | None = Field(None, alias="shown_consent",
                                description="Only for roles that analyse or manage the register; otherwise null.")


class SurveyOut(Schema):
    id: int
    title: str
    status: str
    anonymous: bool
    opens_at: datetime | None
    closes_at: datetime | None
    created_at: datetime
    closed_at: datetime | None
    complete_count: int = Field(description="Complete responses.")
    partial_count: int = Field(description="Partial responses.")


class EvidenceItemOut(Schema):
    id: int
    channel: str
    title: str
    version: int
    definition: Any = Field(description="What was asked: question, filters, weighting, period.")
    result: Any = Field(description="A table (headings, rows, notes) or a passage (text), as saved.")
    chart: Any = Field(description="A Vega-Lite specification, or null.")
    link: str = Field(description="The page of the live view the item was saved from.")
    content_hash: str
    created_at: datetime


class FindingEvidenceOut(Schema):
    item_id: int
    stance: str
    note: str


class FindingOut(Schema):
    id: int
    statement: str
    status: str
    segments: list[str]
    created_at: datetime
    evidence: list[FindingEvidenceOut]

    @staticmethod
    def resolve_evidence(finding: Finding) -> list[dict[str, Any]]:
        return [{"item_id": link.item_id, "stance": link.stance, "note": link.note} for link in finding.links.all()]


class AssumptionFindingOut(Schema):
    finding_id: int
    stance: str
    note: str


class AssumptionOut(Schema):
    id: int
    statement: str
    challenge: str | None = Field(description="The title of the board's challenge it belongs to.")
    held_by: str
    importance: int
    must_be_true: str
    would_confirm: str
    would_refute: str
    channels: list[str]
    verdict: str
    findings: list[AssumptionFindingOut]

    @staticmethod
    def resolve_challenge(assumption: Assumption) -> str | None:
        return assumption.challenge.title if assumption.challenge else None

    @staticmethod
    def resolve_findings(assumption: Assumption) -> list[dict[str, Any]]:
        return [{"finding_id": link.finding_id, "stance": link.stance, "note": link.note}
                for link in assumption.finding_links.all()]


class OptionVersionOut(Schema):
    number: int
    summary: str
    ambition: str
    where_to_play: str
    how_to_win: str
    capabilities: str
    partnerships: str
    costs: str
    income: str
    fee: str
    risks: str
    note: str
    created_at: datetime


class OptionOut(Schema):
    id: int
    title: str
    is_status_quo: bool
    position: int
    latest_version: OptionVersionOut | None

    @staticmethod
    def resolve_latest_version(option: StrategyOption) -> Any:
        versions = list(option.versions.all())  # prefetched newest first
        return versions[0] if versions else None
