"""The demo's activity records: about 75 events 2018–2020 and about 2,000 registrations imported through the
services, every organisation name either matched to the organisation the participant meant or left for review,
and COVID-19's spring 2020 visible in what the records show."""

from __future__ import annotations

from datetime import date

import pytest

from evidens.archive import engagement, selectors
from evidens.archive.choices import MatchStatus
from evidens.archive.models import Activity, ActivityImport, ActivityImportStatus, Participation
from evidens.demo import archive_build, archive_texts, builder
from evidens.demo.generator import register_generate
from evidens.processes.services import process_create

pytestmark = pytest.mark.django_db


def test_the_registration_records_of_2018_to_2020() -> None:
    process = process_create(slug="activities-demo", name="Aktivitetsdemo")
    context = builder.DemoContext(process=process, actor=None, users={})
    builder.register_build(context)
    register = register_generate(context.rng("register"))
    archive_build.activities_build(rng=context.rng("activities"), process=process, actor=None, register=register)
    # The same records again, with the organisation each participant meant (the demo knows; the import does not).
    records = archive_texts.demo_activities(context.rng("activities"), register)

    assert set(ActivityImport.objects.filter(process=process).values_list("status", flat=True)) == {
        ActivityImportStatus.DONE}
    assert Activity.objects.filter(process=process).count() == len(records.events)
    assert 70 <= len(records.events) <= 80
    participations = Participation.objects.filter(activity__process=process).select_related("organisation")
    assert participations.count() == len(records.registrations)
    assert 1800 <= len(records.registrations) <= 2200

    meant = {row.registration_id: row.canonical_organisation for row in records.registrations}
    wrong = [(p.organisation_written, p.organisation.name) for p in participations
             if p.organisation is not None and p.organisation.name != meant[p.reference]]
    assert wrong == []
    matches = dict(selectors.match_counts(process))
    automatic = matches.get(MatchStatus.EXACT, 0) + matches.get(MatchStatus.CLOSE, 0)
    assert automatic >= 0.95 * len(records.registrations)
    # The strangers outside the register are never given an organisation.
    strangers = [p for p in participations if meant[p.reference] is None]
    assert strangers and all(p.organisation is None for p in strangers)
    # Half of the uncertain names were reviewed by the secretariat; the rest wait in the review list.
    assert matches.get(MatchStatus.CONFIRMED, 0) + matches.get(MatchStatus.OUTSIDE, 0) > 0

    overview = selectors.activity_overview(process, start=None, end=None, cutoff=date(2020, 3, 1))
    change = overview.change
    assert change is not None
    assert (change.after.cancelled_share or 0) > (change.before.cancelled_share or 0)
    assert (change.after.online_share or 0) > (change.before.online_share or 0)
    assert sum(len(rows) for rows in overview.groups.values()) == sum(1 for org in register.organisations
                                                                      if org.is_member)
    assert overview.groups[engagement.ACTIVE] and overview.groups[engagement.NEVER]
