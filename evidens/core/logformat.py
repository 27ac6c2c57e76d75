"""Log formats without personal data: a readable line, or one JSON object per line for a log collector.

An exception's text may quote personal data (PostgreSQL quotes the duplicate e-mail address of a unique
constraint; a parser quotes the line it could not read), so both formats show an exception as its type and
the frames it passed through, never its message: where it happened, not what it was about.
"""

from __future__ import annotations

import json
import logging
import os
import traceback
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]

# Gunicorn's access log passes the request as a dict of "atoms": these become fields of the JSON line.
ACCESS_FIELDS = {"m": "method", "U": "path", "s": "status", "B": "bytes", "M": "duration_ms"}


def exception_without_messages(exc_info: ExcInfo) -> str:
    """The traceback of an exception and of its causes, with each exception's type in place of its message."""
    error = exc_info[1]
    if error is None:
        return ""
    parts: list[str] = []
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        frames = "".join(traceback.format_tb(error.__traceback__))
        parts.append(f"Traceback (most recent call last):\n{frames}{type(error).__module__}.{type(error).__qualname__}")
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    # The innermost cause first, as Python prints a chain.
    return "\n\nDuring the handling of the above, this was raised:\n\n".join(reversed(parts))


class PlainFormatter(logging.Formatter):
    """``time level logger message``, and an exception without its message."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        record.exc_text = None  # another handler may have cached the exception's full text, message and all
        return super().format(record)

    def formatException(self, ei: Any) -> str:
        return exception_without_messages(ei)


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message"}``, with ``"request"`` on an access-log line and ``"exception"``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            entry["request"] = {field: record.args.get(atom) for atom, field in ACCESS_FIELDS.items()}
        if record.exc_info:
            entry["exception"] = exception_without_messages(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configured_formatter() -> logging.Formatter:
    """The formatter EVIDENS_LOG_FORMAT asks for, for loggers set up before Django's settings (gunicorn's own)."""
    return JsonFormatter() if os.environ.get("EVIDENS_LOG_FORMAT", "plain").lower() == "json" else PlainFormatter()
