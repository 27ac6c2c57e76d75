"""Survey links in log messages lose their token."""

from __future__ import annotations

import io
import logging
from datetime import timedelta
from types import SimpleNamespace

from gunicorn.config import Config

from evidens.core.logfilters import RedactClientAddresses, RedactingAccessLogger, RedactSurveyLinks


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


def test_the_access_log_of_gunicorn_loses_survey_tokens() -> None:
    logger = RedactingAccessLogger(Config())
    token = "qqKD6UVYhUR9r38afmc2HDGiiDRJw04V"
    request = SimpleNamespace(headers=[], method="GET", path=f"/s/{token}/", query="", uri=f"/s/{token}/",
                              version=(1, 1))
    response = SimpleNamespace(status="200 OK", headers=[], sent=10, response_length=10)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/s/{token}/", "PATH_INFO": f"/s/{token}/",
               "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1"}
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=3))
    assert token not in atoms["U"] and token not in atoms["r"]
    assert atoms["U"] == "/s/…/"


def test_gunicorns_error_log_loses_client_addresses_and_survey_tokens() -> None:
    logger = RedactingAccessLogger(Config())
    token = "qqKD6UVYhUR9r38afmc2HDGiiDRJw04V"
    stream = io.StringIO()
    for handler in logger.error_log.handlers:
        handler.setStream(stream)  # type: ignore[attr-defined]

    logger.error_log.warning("Invalid request from ip=192.0.2.7: Invalid HTTP method: 'X'")
    logger.error_log.warning("Invalid request from ip=2001:db8::7")
    logger.error_log.error("Error handling request /s/%s/", token)

    text = stream.getvalue()
    assert "192.0.2.7" not in text and "2001:db8::7" not in text and token not in text
    assert "Invalid request from ip=…: Invalid HTTP method" in text
    assert "Error handling request /s/…/" in text


def test_an_address_is_taken_out_of_any_message() -> None:
    record = logging.LogRecord("gunicorn.error", logging.WARNING, __file__, 1, "from ip=%s: bad", ("10.0.0.1",), None)
    RedactClientAddresses().filter(record)
    assert record.getMessage() == "from ip=…: bad"
