"""Survey links in log messages lose their token."""

from __future__ import annotations

import logging

from evidens.core.logfilters import RedactSurveyLinks


def _redacted(message: str, *args: object) -> str:
    record = logging.LogRecord("django.security.csrf", logging.WARNING, __file__, 1, message, args, None)
    RedactSurveyLinks().filter(record)
    return record.getMessage()


def test_a_personal_link_loses_its_token() -> None:
    token = "EfQkw7lRZro9dBDVaOtHvVP0YNFk27Yz"
    assert _redacted("Forbidden (CSRF): %s", f"/s/{token}/") == "Forbidden (CSRF): /s/…/"
    assert _redacted(f"Internal Server Error: /s/{token}/afmeld/") == "Internal Server Error: /s/…/afmeld/"


def test_the_shared_link_loses_its_token_and_other_paths_stay() -> None:
    assert _redacted("Not Found: /s/link/abcdefghijklmnop/") == "Not Found: /s/link/…/"
    assert _redacted("Not Found: /p/almennet-2030/surveys/") == "Not Found: /p/almennet-2030/surveys/"
