"""Reads of the stakeholder register shared by views, exports, commands and (later) surveys and reports."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.formats import number_format

from evidens.core.collation import danish
from evidens.processes.models import StrategyProcess
from evidens.stakeholders.models import (
    Organisation,
    OrganisationKind,
    Person,
    Region,
    StakeholderImport,
)


def organisation_list(
    *,
    process: StrategyProcess,
    query: str = "",
    kind: str = "",
    member: str = "",
    region: str = "",
) -> QuerySet[Organisation]:
    """Organisations of the process, filtered; ``member`` is "yes", "no" or "" for all."""
    organisations = Organisation.objects.filter(process=process)
    if query:
        organisations = organisations.filter(Q(name__icontains=query) | Q(municipality__icontains=query))
    if kind:
        organisations = organisations.filter(kind=kind)
    if member in ("yes", "no"):
        organisations = organisations.filter(is_member=member == "yes")
    if region:
        organisations = organisations.filter(region=region)
    return organisations.annotate(
        people_count=Count("people", filter=Q(people__erased_at__isnull=True))).order_by(danish("name"), "id")


def person_list(
    *,
    process: StrategyProcess,
    query: str = "",
    segment: str = "",
    kind: str = "",
    member: str = "",
    region: str = "",
    organisation_id: int | None = None,
    include_erased: bool = False,
    search_email: bool = False,
) -> QuerySet[Person]:
    """People of the process, filtered by their own segment or by their organisation's type, membership
    or region. Erased people are left out unless asked for. The text search looks in e-mail addresses
    only with ``search_email``: a role that may not see addresses must not find people by them."""
    people = Person.objects.filter(process=process).select_related("organisation")
    if not include_erased:
        people = people.filter(erased_at__isnull=True)
    if query:
        matches = Q(name__icontains=query) | Q(role_title__icontains=query) | Q(organisation__name__icontains=query)
        if search_email:
            matches |= Q(email__icontains=query)
        people = people.filter(matches)
    if segment:
        people = people.filter(segment=segment)
    if kind:
        people = people.filter(organisation__kind=kind)
    if member in ("yes", "no"):
        people = people.filter(organisation__is_member=member == "yes")
    if region:
        people = people.filter(organisation__region=region)
    if organisation_id is not None:
        people = people.filter(organisation_id=organisation_id)
    return people.order_by(danish("name"), "id")


def segments(*, process: StrategyProcess) -> list[str]:
    return list(Person.objects.filter(process=process).exclude(segment="")
                .values_list("segment", flat=True).distinct().order_by("segment"))


def organisation_get(*, process: StrategyProcess, pk: int) -> Organisation:
    return Organisation.objects.get(process=process, pk=pk)


def person_get(*, process: StrategyProcess, pk: int) -> Person:
    return Person.objects.select_related("organisation", "process").get(process=process, pk=pk)


def organisations_for_export(*, process: StrategyProcess) -> QuerySet[Organisation]:
    return Organisation.objects.filter(process=process).order_by(danish("name"), "id")


def people_for_export(*, process: StrategyProcess) -> QuerySet[Person]:
    return (Person.objects.filter(process=process, erased_at__isnull=True).select_related("organisation")
            .order_by(danish("name"), "id"))


def recent_imports(*, process: StrategyProcess, limit: int = 10) -> QuerySet[StakeholderImport]:
    return StakeholderImport.objects.filter(process=process)[:limit]


def stakeholder_import_get(*, process: StrategyProcess, pk: int) -> StakeholderImport:
    return StakeholderImport.objects.select_related("process", "job").get(process=process, pk=pk)


@dataclass(frozen=True)
class SummaryRow:
    label: str
    count: int
    homes: int | None = None


@dataclass(frozen=True)
class RegisterSummary:
    organisations: int
    people: int
    by_kind: list[SummaryRow]
    by_membership: list[SummaryRow]
    by_segment: list[SummaryRow]


def register_summary(*, process: StrategyProcess) -> RegisterSummary:
    """Counts for the overview: organisations by type, members and non-members, people by segment."""
    from django.utils.translation import gettext as _

    organisations = Organisation.objects.filter(process=process)
    kind_labels = dict(OrganisationKind.choices)
    kind_rows = organisations.values("kind").annotate(count=Count("id"), homes=Sum("homes"))
    by_kind = [
        SummaryRow(str(kind_labels.get(row["kind"], row["kind"])), row["count"], row["homes"])
        for row in kind_rows.order_by("-count", "kind")
    ]
    membership = {row["is_member"]: row for row in
                  organisations.values("is_member").annotate(count=Count("id"), homes=Sum("homes"))}
    by_membership = [
        SummaryRow(_("Members"), membership.get(True, {}).get("count", 0), membership.get(True, {}).get("homes")),
        SummaryRow(_("Non-members"), membership.get(False, {}).get("count", 0),
                   membership.get(False, {}).get("homes")),
    ]
    people = Person.objects.filter(process=process, erased_at__isnull=True)
    by_segment = [
        SummaryRow(row["segment"] or _("(no segment)"), row["count"])
        for row in people.values("segment").annotate(count=Count("id")).order_by("-count", "segment")
    ]
    return RegisterSummary(
        organisations=organisations.count(),
        people=people.count(),
        by_kind=by_kind,
        by_membership=by_membership,
        by_segment=by_segment,
    )


def filter_choices() -> dict[str, Any]:
    return {"kinds": OrganisationKind.choices, "regions": Region.choices}


# Lower bounds of the size bands for housing organisations, in homes.
SIZE_BANDS = (0, 100, 500, 1000, 2500, 5000)


@dataclass(frozen=True)
class SizeBandRow:
    band: str
    members: int
    non_members: int


def size_band_label(index: int) -> str:
    low = SIZE_BANDS[index]
    if index == 0:
        return f"< {number_format(SIZE_BANDS[1], force_grouping=True)}"
    if index == len(SIZE_BANDS) - 1:
        return f"≥ {number_format(low, force_grouping=True)}"
    high = SIZE_BANDS[index + 1] - 1
    return f"{number_format(low, force_grouping=True)}–{number_format(high, force_grouping=True)}"


def housing_size_bands(*, process: StrategyProcess) -> list[SizeBandRow]:
    """Housing organisations with a known size, counted by size band, members and non-members apart."""
    counts = [[0, 0] for _ in SIZE_BANDS]
    sizes = Organisation.objects.filter(process=process, kind=OrganisationKind.HOUSING, homes__isnull=False)
    for homes, is_member in sizes.values_list("homes", "is_member"):
        band = bisect_right(SIZE_BANDS, homes or 0) - 1  # never None: filtered above
        counts[band][0 if is_member else 1] += 1
    if not any(members or others for members, others in counts):
        return []
    return [SizeBandRow(size_band_label(index), members, others) for index, (members, others) in enumerate(counts)]
