"""The demo's web log is a year of about 670,000 lines and its archive about 500 files; tests that build the whole
demo for other reasons use a small log and a small archive. tests/demo/test_webstats_demo.py builds the full year
once and tests/demo/test_archive_demo.py the full archive."""

from __future__ import annotations

import random
from typing import Any

import pytest

from evidens.demo import archive_build, archive_texts, data

SMALL_ARCHIVE = 30


@pytest.fixture(autouse=True)
def _small_web_log(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    if "full_web_log" not in request.keywords:
        monkeypatch.setattr(data, "WEB_LOG_VISITS", 300)


@pytest.fixture(autouse=True)
def _small_archive(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    if "full_archive" in request.keywords:
        return

    def few_documents(rng: random.Random) -> list[Any]:
        documents = archive_texts.demo_documents(rng)
        # The broken files, the duplicates and what they repeat, and the first others: every path of the import.
        special = {document.duplicate_of for document in documents if document.duplicate_of}
        kept = [document for document in documents if document.expected_failure or document.duplicate_of
                or document.filename in special]
        return kept + [document for document in documents if document not in kept][:SMALL_ARCHIVE]

    monkeypatch.setattr(archive_build, "demo_documents", few_documents)
