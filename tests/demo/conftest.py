"""The demo's web log is a year of about 670,000 lines; tests that build the whole demo for other reasons
use a small one. tests/demo/test_webstats_demo.py builds the full year once and checks it."""

from __future__ import annotations

import pytest

from evidens.demo import data


@pytest.fixture(autouse=True)
def _small_web_log(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    if "full_web_log" not in request.keywords:
        monkeypatch.setattr(data, "WEB_LOG_VISITS", 300)
