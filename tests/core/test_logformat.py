"""Log formats: JSON lines for a collector, and no personal data in either format (exception texts left out)."""

from __future__ import annotations

import http.client
import io
import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from evidens.core.logfilters import RedactSurveyLinks
from evidens.core.logformat import JsonFormatter, PlainFormatter
from tests.core.test_cli import first_answer, free_port, migrated_data_dir, migrated_template, subprocess_env

__all__ = ["migrated_template"]  # a fixture, used by name

E_MAIL = "anne.andersen@example.org"


def _lookup_member(address: str) -> None:
    raise LookupError(f"no member with the address {address}")


def _import_row(address: str) -> None:
    try:
        _lookup_member(address)
    except LookupError as error:
        raise ValueError(f"row 7 ({address}) could not be imported") from error


Captured = tuple[logging.Logger, io.StringIO, "logging.StreamHandler[io.StringIO]"]


@pytest.fixture
def captured() -> Iterator[Captured]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSurveyLinks())
    logger = logging.getLogger("tests.logformat")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield logger, stream, handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = True


def test_a_json_line_carries_the_event_and_an_exception_without_its_text(captured: Captured) -> None:
    logger, stream, handler = captured
    handler.setFormatter(JsonFormatter())
    try:
        _import_row(E_MAIL)
    except ValueError:
        logger.exception("Import of %s failed", "/s/EfQkw7lRZro9dBDVaOtHvVP0YNFk27Yz/")

    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "tests.logformat"
    assert entry["message"] == "Import of /s/…/ failed"
    assert entry["time"].endswith("+00:00")
    exception = entry["exception"]
    # Where: both exceptions of the chain, the functions they passed through, in Python's order (cause first).
    assert exception.index("builtins.LookupError") < exception.index("builtins.ValueError")
    assert "in _lookup_member" in exception and "in _import_row" in exception
    # Not what: the address in the exceptions' texts stays out.
    assert E_MAIL not in stream.getvalue()


def test_the_plain_format_leaves_exception_texts_out_too(captured: Captured) -> None:
    logger, stream, handler = captured
    handler.setFormatter(PlainFormatter())
    try:
        _import_row(E_MAIL)
    except ValueError:
        logger.exception("Import failed")

    text = stream.getvalue()
    assert " ERROR tests.logformat Import failed\n" in text
    # Also when a handler before this one cached the full text on the record (Django's DEBUG console does).
    record = logging.LogRecord("tests.logformat", logging.ERROR, __file__, 1, "Again", None, None)
    try:
        _import_row(E_MAIL)
    except ValueError:
        record.exc_info = sys.exc_info()
    record.exc_text = logging.Formatter().formatException(record.exc_info)  # type: ignore[arg-type]
    assert E_MAIL in record.exc_text
    assert E_MAIL not in PlainFormatter().format(record)
    assert "builtins.ValueError" in text and "in _lookup_member" in text
    assert E_MAIL not in text


def test_the_server_logs_json_lines_without_client_addresses_or_survey_tokens(
    migrated_template: Path, tmp_path: Path
) -> None:
    data_dir = migrated_data_dir(migrated_template, tmp_path / "data")
    port = free_port()
    token = "qqKD6UVYhUR9r38afmc2HDGiiDRJw04V"
    out_path, err_path = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with out_path.open("w") as out, err_path.open("w") as err:
        environment = subprocess_env(data_dir, EVIDENS_LOG_FORMAT="json", EVIDENS_MANIFEST_STATIC="false")
        server = subprocess.Popen(
            [sys.executable, "-m", "evidens", "serve", "--port", str(port), "--workers", "1", "--access-log"],
            env=environment, cwd=tmp_path, stdout=out, stderr=err)
        try:
            first_answer(server, port, "/health/")
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", f"/s/{token}/", headers={"User-Agent": "Probe/1.0", "Referer": "https://x.test/"})
            assert connection.getresponse().status == 404
            connection.close()
        finally:
            server.terminate()
            server.wait(timeout=30)

    announcement = f"http://127.0.0.1:{port}/ med gunicorn"
    lines = [line for line in (out_path.read_text() + err_path.read_text()).splitlines()
             if line.strip() and announcement not in line]
    entries = [json.loads(line) for line in lines]  # every log line is one JSON object
    requests = [entry["request"] for entry in entries if entry["logger"] == "gunicorn.access"]
    assert {"method": "GET", "path": "/s/…/", "status": "404"}.items() <= requests[-1].items()
    assert any(request["path"] == "/health/" for request in requests)
    assert any(entry["logger"] == "gunicorn.error" for entry in entries)  # gunicorn's own lines, in the same format
    logged = "\n".join(lines)
    assert token not in logged
    assert "Probe/1.0" not in logged and "x.test" not in logged
    access_lines = [line for line, entry in zip(lines, entries, strict=True) if entry["logger"] == "gunicorn.access"]
    assert not any("127.0.0.1" in line for line in access_lines)
