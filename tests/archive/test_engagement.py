"""What the activity records show, on small cases counted by hand."""

from __future__ import annotations

from datetime import date

from evidens.archive import engagement
from evidens.archive.engagement import ActivityFact, MemberFact, ParticipationFact

# Four activities: two held in 2019 (one online), one cancelled in 2020, one held in 2020.
ACTIVITIES = [
    ActivityFact(1, date(2019, 5, 2), "seminar", "held", "physical"),
    ActivityFact(2, date(2019, 11, 20), "webinar", "held", "online"),
    ActivityFact(3, date(2020, 3, 18), "course", "cancelled", "physical"),
    ActivityFact(4, date(2020, 6, 10), "webinar", "held", "online"),
]
# Organisation 10 takes part three times, 11 once and stays away once, 12 only registered for the cancelled course;
# one registration has no organisation and one has attendance not recorded.
PARTICIPATIONS = [
    ParticipationFact(1, 10, True), ParticipationFact(2, 10, None), ParticipationFact(4, 10, True),
    ParticipationFact(1, 11, True), ParticipationFact(2, 11, False),
    ParticipationFact(3, 12, None),
    ParticipationFact(1, None, True),
]
MEMBERS = [MemberFact(10, "Bo Vest", "hovedstaden", 4000), MemberFact(11, "AAB", "hovedstaden", 800),
           MemberFact(12, "Boligselskabet Sjælland", "sjaelland", None), MemberFact(13, "Fruens Bøge", "", 90)]


def test_activity_per_year_and_kind_counts_held_cancelled_registrations_and_participants() -> None:
    rows = {(row.year, row.kind): (row.held, row.cancelled, row.registrations, row.participants)
            for row in engagement.per_year_and_kind(ACTIVITIES, PARTICIPATIONS)}
    # 2019 seminar: 3 registrations (10, 11, no organisation), all took part. 2019 webinar: 2 registrations,
    # one (11) recorded absent. 2020 course: cancelled, 1 registration, no participants counted.
    assert rows == {(2019, "seminar"): (1, 0, 3, 3), (2019, "webinar"): (1, 0, 2, 1),
                    (2020, "course"): (0, 1, 1, 0), (2020, "webinar"): (1, 0, 1, 1)}


def test_engagement_groups_count_different_held_activities_taken_part_in() -> None:
    taken_part = engagement.activities_taken_part(ACTIVITIES, PARTICIPATIONS)
    assert taken_part == {10: {1, 2, 4}, 11: {1}}
    groups = engagement.engagement(MEMBERS, taken_part)
    assert [(member.name, count) for member, count in groups[engagement.ACTIVE]] == [("Bo Vest", 3)]
    assert [(member.name, count) for member, count in groups[engagement.OCCASIONAL]] == [("AAB", 1)]
    # 12 registered only for the cancelled course: never seen at an activity, like 13.
    assert [member.name for member, _count in groups[engagement.NEVER]] == ["Boligselskabet Sjælland", "Fruens Bøge"]


def test_a_period_limits_what_counts() -> None:
    taken_part = engagement.activities_taken_part(ACTIVITIES, PARTICIPATIONS, start=date(2019, 6, 1),
                                                  end=date(2020, 12, 31))
    assert taken_part == {10: {2, 4}}
    assert engagement.engagement_group(2) == engagement.OCCASIONAL


def test_reach_by_group_in_the_given_order_with_unknown_groups_last() -> None:
    taken_part = engagement.activities_taken_part(ACTIVITIES, PARTICIPATIONS)
    rows = engagement.reach(MEMBERS, taken_part, lambda member: member.region or "ukendt",
                            ["sjaelland", "hovedstaden", "nordjylland"])
    assert [(row.group, row.members, row.reached) for row in rows] == [
        ("sjaelland", 1, 0), ("hovedstaden", 2, 2), ("ukendt", 1, 0)]
    assert rows[1].share == 1.0 and rows[0].percent == 0.0


def test_offers_used_per_organisation_and_kind() -> None:
    offers = engagement.offers_used(ACTIVITIES, PARTICIPATIONS)
    assert {organisation: dict(kinds) for organisation, kinds in offers.items()} == {
        10: {"seminar": 1, "webinar": 2}, 11: {"seminar": 1}}


def test_before_and_after_a_date_as_rates_per_month() -> None:
    change = engagement.before_after(ACTIVITIES, PARTICIPATIONS, date(2020, 3, 11))
    assert change is not None
    # Before: May 2019 – February 2020 = 10 months, 2 held (1 online), 0 cancelled, 3 + 1 participants,
    # organisations 10 and 11. After: March – June 2020 = 4 months, 1 held (online), 1 cancelled, 1 participant.
    before, after = change.before, change.after
    assert (before.months, before.held, before.cancelled, before.online, before.participants,
            before.organisations) == (10, 2, 0, 1, 4, 2)
    assert (after.months, after.held, after.cancelled, after.online, after.participants,
            after.organisations) == (4, 1, 1, 1, 1, 1)
    assert before.held_per_month == 0.2 and after.held_per_month == 0.25
    assert before.participants_per_activity == 2.0 and after.cancelled_share == 0.5
    assert after.online_percent == 100.0 and before.online_percent == 50.0
    # Every month from May 2019 to June 2020 is there, empty months too: 14 months.
    assert len(change.months) == 14
    assert change.months[0] == engagement.MonthFigures(date(2019, 5, 1), 1, 0, 3)
    assert change.months[10] == engagement.MonthFigures(date(2020, 3, 1), 0, 1, 0)
    assert sum(month.participants for month in change.months) == 5


def test_before_and_after_with_every_activity_on_one_side() -> None:
    change = engagement.before_after(ACTIVITIES, PARTICIPATIONS, date(2021, 1, 1))
    assert change is not None and change.after.months == 0 and change.after.held_per_month is None
    assert change.before.months == 20  # May 2019 to December 2020
    assert engagement.before_after([], [], date(2020, 3, 1)) is None
