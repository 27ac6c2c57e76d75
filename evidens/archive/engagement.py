"""What the activity records show: activity per year and type, engagement of the member organisations, reach,
use of kinds of offers, and the change around a date. Pure Python over plain facts; ``selectors`` builds them.

Counting conventions (the pages state them too):
- An activity counts when it was held; cancelled and planned activities are counted apart.
- An organisation *took part* in an activity when someone from it registered and did not stay away
  (attendance recorded as yes, or not recorded). Registrations that did not become participation are counted
  as registrations only.
- Engagement is the number of different held activities an organisation took part in within the period.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from evidens.archive.choices import ActivityForm, ActivityStatus

ACTIVE = "active"
OCCASIONAL = "occasional"
NEVER = "never"
ENGAGEMENT_GROUPS = (ACTIVE, OCCASIONAL, NEVER)
ACTIVE_FROM = 3  # activities within the period that make an organisation active rather than occasional
DEFAULT_CUTOFF = date(2020, 3, 1)  # the month Denmark closed down for COVID-19: the "before and after" default


@dataclass(frozen=True)
class ActivityFact:
    activity_id: int
    day: date
    kind: str
    status: str
    form: str

    @property
    def held(self) -> bool:
        return self.status == ActivityStatus.HELD


@dataclass(frozen=True)
class ParticipationFact:
    activity_id: int
    organisation_id: int | None
    attended: bool | None

    @property
    def took_part(self) -> bool:
        return self.attended is not False


@dataclass(frozen=True)
class MemberFact:
    organisation_id: int
    name: str
    region: str
    homes: int | None


@dataclass(frozen=True)
class YearKind:
    year: int
    kind: str
    held: int
    cancelled: int
    registrations: int
    participants: int


def percent(share: float | None) -> float | None:
    return None if share is None else 100 * share


def per_year_and_kind(activities: Sequence[ActivityFact], participations: Iterable[ParticipationFact]
                      ) -> list[YearKind]:
    registrations: Counter[int] = Counter()
    participants: Counter[int] = Counter()
    for participation in participations:
        registrations[participation.activity_id] += 1
        participants[participation.activity_id] += participation.took_part
    cells: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for activity in activities:
        cell = cells[(activity.day.year, activity.kind)]
        cell[0] += activity.held
        cell[1] += activity.status == ActivityStatus.CANCELLED
        cell[2] += registrations[activity.activity_id]
        cell[3] += participants[activity.activity_id] if activity.held else 0
    return [YearKind(year, kind, *values) for (year, kind), values in sorted(cells.items())]


def _in_period(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or day >= start) and (end is None or day <= end)


def activities_taken_part(activities: Sequence[ActivityFact], participations: Iterable[ParticipationFact], *,
                          start: date | None = None, end: date | None = None) -> dict[int, set[int]]:
    """organisation id -> the held activities (within the period) someone from it took part in."""
    counted = {activity.activity_id for activity in activities
               if activity.held and _in_period(activity.day, start, end)}
    result: dict[int, set[int]] = defaultdict(set)
    for participation in participations:
        if participation.organisation_id is not None and participation.took_part \
                and participation.activity_id in counted:
            result[participation.organisation_id].add(participation.activity_id)
    return result


def engagement_group(count: int, active_from: int = ACTIVE_FROM) -> str:
    return ACTIVE if count >= active_from else OCCASIONAL if count else NEVER


def engagement(members: Sequence[MemberFact], taken_part: dict[int, set[int]], *, active_from: int = ACTIVE_FROM
               ) -> dict[str, list[tuple[MemberFact, int]]]:
    """Each member organisation in its group with its number of activities, most engaged first, then by name."""
    groups: dict[str, list[tuple[MemberFact, int]]] = {group: [] for group in ENGAGEMENT_GROUPS}
    for member in members:
        count = len(taken_part.get(member.organisation_id, ()))
        groups[engagement_group(count, active_from)].append((member, count))
    for rows in groups.values():
        rows.sort(key=lambda row: (-row[1], row[0].name))
    return groups


@dataclass(frozen=True)
class ReachRow:
    group: str
    members: int
    reached: int

    @property
    def share(self) -> float | None:
        return self.reached / self.members if self.members else None

    @property
    def percent(self) -> float | None:
        return percent(self.share)


def reach(members: Sequence[MemberFact], taken_part: dict[int, set[int]], group_of: Callable[[MemberFact], str],
          order: Sequence[str]) -> list[ReachRow]:
    """Per group (region, size band, ...): member organisations, and how many of them took part at least once.
    Groups come in ``order``; groups outside it follow by name."""
    members_in: Counter[str] = Counter()
    reached_in: Counter[str] = Counter()
    for member in members:
        group = group_of(member)
        members_in[group] += 1
        reached_in[group] += bool(taken_part.get(member.organisation_id))
    groups = [group for group in order if group in members_in]
    groups += sorted(group for group in members_in if group not in order)
    return [ReachRow(group, members_in[group], reached_in[group]) for group in groups]


def offers_used(activities: Sequence[ActivityFact], participations: Iterable[ParticipationFact], *,
                start: date | None = None, end: date | None = None) -> dict[int, Counter[str]]:
    """organisation id -> the number of held activities of each kind it took part in."""
    kind_of = {activity.activity_id: activity.kind for activity in activities}
    result: dict[int, Counter[str]] = defaultdict(Counter)
    for organisation_id, activity_ids in activities_taken_part(activities, participations,
                                                               start=start, end=end).items():
        for activity_id in activity_ids:
            result[organisation_id][kind_of[activity_id]] += 1
    return result


@dataclass(frozen=True)
class PeriodFigures:
    months: int
    held: int
    cancelled: int
    online: int  # held activities held online
    participants: int  # participations in held activities
    organisations: int  # different organisations that took part

    @property
    def held_per_month(self) -> float | None:
        return self.held / self.months if self.months else None

    @property
    def participants_per_activity(self) -> float | None:
        return self.participants / self.held if self.held else None

    @property
    def cancelled_share(self) -> float | None:
        planned = self.held + self.cancelled
        return self.cancelled / planned if planned else None

    @property
    def online_share(self) -> float | None:
        return self.online / self.held if self.held else None

    @property
    def cancelled_percent(self) -> float | None:
        return percent(self.cancelled_share)

    @property
    def online_percent(self) -> float | None:
        return percent(self.online_share)


@dataclass(frozen=True)
class MonthFigures:
    month: date  # its first day
    held: int
    cancelled: int
    participants: int


@dataclass(frozen=True)
class BeforeAfter:
    cutoff: date
    before: PeriodFigures
    after: PeriodFigures
    months: list[MonthFigures]


def _month(day: date) -> date:
    return day.replace(day=1)


def _months_between(first: date, last: date) -> int:
    """Calendar months from ``first``'s month to ``last``'s month, both included (0 when last is before first)."""
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)


def before_after(activities: Sequence[ActivityFact], participations: Iterable[ParticipationFact], cutoff: date
                 ) -> BeforeAfter | None:
    """The records split by calendar month at ``cutoff``'s month (which belongs to *after*), as rates per month so
    unequal periods compare: *before* runs from the first activity's month to the month before, *after* from the
    cutoff's month to the last activity's. None when there are no activities."""
    if not activities:
        return None
    participants: Counter[int] = Counter()
    organisations: dict[int, set[int]] = defaultdict(set)
    for participation in participations:
        if participation.took_part:
            participants[participation.activity_id] += 1
            if participation.organisation_id is not None:
                organisations[participation.activity_id].add(participation.organisation_id)
    first = min(activity.day for activity in activities)
    last = max(activity.day for activity in activities)
    cutoff_month = _month(cutoff)
    spans = {False: _months_between(first, cutoff_month) - 1 if _month(first) < cutoff_month else 0,
             True: _months_between(cutoff_month, last) if last >= cutoff_month else 0}
    totals = {side: [0, 0, 0, 0] for side in (False, True)}
    who: dict[bool, set[int]] = {False: set(), True: set()}
    monthly: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for activity in activities:
        after = _month(activity.day) >= cutoff_month
        month = monthly[_month(activity.day)]
        if activity.held:
            totals[after][0] += 1
            totals[after][2] += activity.form == ActivityForm.ONLINE
            totals[after][3] += participants[activity.activity_id]
            who[after] |= organisations[activity.activity_id]
            month[0] += 1
            month[2] += participants[activity.activity_id]
        elif activity.status == ActivityStatus.CANCELLED:
            totals[after][1] += 1
            month[1] += 1

    def figures(after: bool) -> PeriodFigures:
        held, cancelled, online, people = totals[after]
        return PeriodFigures(spans[after], held, cancelled, online, people, len(who[after]))

    months = []
    current = _month(first)
    while current <= _month(last):
        held, cancelled, people = monthly.get(current, (0, 0, 0))
        months.append(MonthFigures(current, held, cancelled, people))
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return BeforeAfter(cutoff, figures(False), figures(True), months)
