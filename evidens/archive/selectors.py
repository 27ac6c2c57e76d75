"""Reads of the archive that the pages, the evidence snapshots and the command line share."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from evidens.archive import engagement, matching
from evidens.archive.choices import ActivityKind
from evidens.archive.models import (
    Activity,
    ActivityImport,
    ArchiveDocument,
    ArchiveImport,
    DocumentStatus,
    Participation,
    TopicRun,
)
from evidens.archive.search import NO_FILTERS, Filters
from evidens.processes.models import StrategyProcess
from evidens.stakeholders.choices import Region
from evidens.stakeholders.models import Organisation
from evidens.stakeholders.selectors import SIZE_BANDS, size_band_label


def documents(process: StrategyProcess, filters: Filters = NO_FILTERS) -> QuerySet[ArchiveDocument]:
    found = ArchiveDocument.objects.filter(process=process).prefetch_related("themes")
    if filters.doc_type:
        found = found.filter(doc_type=filters.doc_type)
    if filters.year:
        found = found.filter(date__year=filters.year)
    if filters.theme_id:
        found = found.filter(themes__id=filters.theme_id)
    return found.defer("text")


def per_year_and_type(process: StrategyProcess, filters: Filters = NO_FILTERS) -> Counter[tuple[int, str]]:
    """Searchable documents with a date, counted per (year, type)."""
    rows = (documents(process, filters).filter(status=DocumentStatus.READY, date__isnull=False)
            .annotate(year=ExtractYear("date")).values("year", "doc_type").annotate(n=Count("id")).order_by())
    return Counter({(row["year"], row["doc_type"]): row["n"] for row in rows})


def years(process: StrategyProcess) -> list[int]:
    return sorted({day.year for day in ArchiveDocument.objects.filter(process=process, date__isnull=False)
                   .dates("date", "year")}, reverse=True)


def imports(process: StrategyProcess) -> QuerySet[ArchiveImport]:
    return ArchiveImport.objects.filter(process=process).select_related("job", "created_by").annotate(
        failed_count=Count("documents", filter=Q(documents__status=DocumentStatus.FAILED)))


def failures(archive_import: ArchiveImport) -> QuerySet[ArchiveDocument]:
    return archive_import.documents.filter(status=DocumentStatus.FAILED).defer("text").order_by("original_name")


def topic_run(process: StrategyProcess) -> TopicRun | None:
    return TopicRun.objects.filter(process=process).select_related("job").first()


def topic_sizes(process: StrategyProcess) -> dict[int, int]:
    """Documents per main topic of the latest run."""
    rows = (ArchiveDocument.objects.filter(process=process, topic__isnull=False).values("topic")
            .annotate(n=Count("id")).order_by())
    return {row["topic"]: row["n"] for row in rows}


# ---------------------------------------------------------------------------------------------
# Activity records
# ---------------------------------------------------------------------------------------------


def activity_facts(process: StrategyProcess) -> list[engagement.ActivityFact]:
    return [engagement.ActivityFact(*row) for row in Activity.objects.filter(process=process).order_by()
            .values_list("pk", "date", "kind", "status", "form")]


def participation_facts(process: StrategyProcess) -> list[engagement.ParticipationFact]:
    return [engagement.ParticipationFact(*row) for row in Participation.objects.filter(activity__process=process)
            .order_by().values_list("activity_id", "organisation_id", "attended")]


def member_facts(process: StrategyProcess) -> list[engagement.MemberFact]:
    return [engagement.MemberFact(*row) for row in Organisation.objects.filter(process=process, is_member=True)
            .order_by("name").values_list("pk", "name", "region", "homes")]


def activities(process: StrategyProcess) -> QuerySet[Activity]:
    """Every activity with its registrations and participants (registrations not marked as absent)."""
    return Activity.objects.filter(process=process).annotate(
        registrations=Count("participations"),
        participants=Count("participations", filter=~Q(participations__attended=False)),
        organisations=Count("participations__organisation", distinct=True,
                            filter=~Q(participations__attended=False))).order_by("-date", "title", "id")


def activity_table(process: StrategyProcess) -> list[tuple[Any, ...]]:
    """Each activity as (date, title, kind, status, registrations, participants), latest first."""
    annotated: QuerySet[Any] = activities(process)
    return list(annotated.values_list("date", "title", "kind", "status", "registrations", "participants"))


def activity_participations(activity: Activity) -> QuerySet[Participation]:
    return activity.participations.select_related("organisation").order_by("organisation_written", "id")


def activity_imports(process: StrategyProcess) -> QuerySet[ActivityImport]:
    return ActivityImport.objects.filter(process=process).select_related("created_by")


@dataclass(frozen=True)
class NameToReview:
    written: str
    registrations: int
    match: str
    organisation: str  # the register's name it is matched to now, "" for none
    candidates: tuple[matching.Candidate, ...]


def names_to_review(process: StrategyProcess, statuses: Sequence[str]) -> list[NameToReview]:
    """Each way an organisation was written among registrations with one of ``statuses``, with how often, and
    the register's closest names to choose from."""
    rows = (Participation.objects.filter(activity__process=process, match__in=statuses).order_by()
            .values("organisation_written", "match", "organisation__name")
            .annotate(registrations=Count("id")))
    register = dict(Organisation.objects.filter(process=process).values_list("pk", "name"))
    matcher = matching.OrganisationMatcher(register)
    result = [NameToReview(row["organisation_written"], row["registrations"], row["match"],
                           row["organisation__name"] or "", matcher.match(row["organisation_written"]).candidates)
              for row in rows]
    return sorted(result, key=lambda row: (-row.registrations, row.written.casefold()))


def register_names(process: StrategyProcess) -> list[str]:
    """The register's organisation names, for choosing the one a written name means."""
    return list(Organisation.objects.filter(process=process).order_by("name").values_list("name", flat=True))


def match_counts(process: StrategyProcess) -> dict[str, int]:
    return dict(Participation.objects.filter(activity__process=process).order_by().values_list("match")
                .annotate(n=Count("id")).values_list("match", "n"))


@dataclass(frozen=True)
class KindUse:
    kind: str
    label: str
    members: int  # member organisations that took part in at least one activity of the kind
    share: float | None

    @property
    def percent(self) -> float | None:
        return engagement.percent(self.share)


@dataclass(frozen=True)
class ActivityOverview:
    """Everything the activity page shows, for one period (engagement, reach, offers) and one cutoff date."""

    start: date | None
    end: date | None
    per_year: list[engagement.YearKind]
    groups: dict[str, list[tuple[engagement.MemberFact, int]]]
    by_region: list[engagement.ReachRow]
    by_size: list[engagement.ReachRow]
    kinds: list[KindUse]
    offers: list[tuple[engagement.MemberFact, list[int]]]  # per engaged member, its activities of each kind
    change: engagement.BeforeAfter | None

    @property
    def members(self) -> int:
        return sum(len(rows) for rows in self.groups.values())


def _size_band(member: engagement.MemberFact) -> str:
    if member.homes is None:
        return _("size unknown")
    return size_band_label(bisect_right(SIZE_BANDS, member.homes) - 1)


def activity_overview(process: StrategyProcess, *, start: date | None, end: date | None, cutoff: date
                      ) -> ActivityOverview:
    facts, participations, members = activity_facts(process), participation_facts(process), member_facts(process)
    taken_part = engagement.activities_taken_part(facts, participations, start=start, end=end)
    regions = dict(Region.choices)
    unknown = _("region unknown")
    by_region = engagement.reach(members, taken_part, lambda member: str(regions.get(member.region, unknown)),
                                 [str(label) for label in Region.labels])
    by_size = engagement.reach(members, taken_part, _size_band,
                               [size_band_label(index) for index in range(len(SIZE_BANDS))])
    offers = engagement.offers_used(facts, participations, start=start, end=end)
    kinds = []
    for kind, label in ActivityKind.choices:
        using = sum(1 for member in members
                    if member.organisation_id in offers and offers[member.organisation_id][kind])
        kinds.append(KindUse(kind, str(label), using, using / len(members) if members else None))
    engaged = sorted((member for member in members if member.organisation_id in offers),
                     key=lambda member: (-sum(offers[member.organisation_id].values()), member.name))
    return ActivityOverview(
        start=start, end=end, per_year=engagement.per_year_and_kind(facts, participations),
        groups=engagement.engagement(members, taken_part), by_region=by_region, by_size=by_size, kinds=kinds,
        offers=[(member, [offers[member.organisation_id][kind] for kind in ActivityKind.values])
                for member in engaged],
        change=engagement.before_after(facts, participations, cutoff))
