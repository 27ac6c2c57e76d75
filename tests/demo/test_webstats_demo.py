"""The demo's web statistics at full size: the issue asks for a year (Oct 2019 – Sep 2020) of a niche Danish
knowledge site with about 48,000 visits and 125,000 human page views, plus robots, content areas and partners."""

from __future__ import annotations

from datetime import date

import pytest

from evidens.demo import builder, data
from evidens.processes.services import process_create
from evidens.webstats import selectors, warehouse
from evidens.webstats.models import ContentArea, ImportStatus, LogImport

pytestmark = [pytest.mark.django_db, pytest.mark.full_web_log]


def test_a_year_of_the_site_with_its_areas_partners_and_robots() -> None:
    process = process_create(slug="web-demo", name="Webdemo")
    builder.webstats_build(builder.DemoContext(process=process, actor=None, users={}))

    log_import = LogImport.objects.get(process=process)
    assert log_import.status == ImportStatus.COMPLETED
    assert (log_import.first_day, log_import.last_day) == (date(2019, 10, 1), date(2020, 9, 30))
    assert log_import.counts["malformed"] == 0
    assert ContentArea.objects.filter(process=process).count() == 7
    with warehouse.Reader(selectors.scope(process)) as reader:
        totals = reader.totals()
        groups = dict(reader.referrer_groups())
        areas = {area for _month, area, _views in reader.areas_by_month()}
    assert 46_000 <= totals["visits"] <= 50_000
    assert 120_000 <= totals["human_page_views"] <= 130_000
    assert 0.2 <= totals["bot_hits"] / totals["hits"] <= 0.3
    assert {"search", "social", "newsletter", "partner", "direct"} <= set(groups)
    assert {"Netværk", "Kurser", "Videnbank"} <= areas
    assert data.WEB_LOG_VISITS == 49_500
