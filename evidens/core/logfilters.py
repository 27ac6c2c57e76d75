"""Log filters that keep personal data out of the logs."""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger as GunicornLogger

from evidens.core.logformat import configured_formatter

# /s/<token>/... is a respondent's personal link: whoever reads the log could answer in their name.
SURVEY_LINK = re.compile(r"/s/(?:link/)?[A-Za-z0-9_-]{8,}")


class RedactSurveyLinks(logging.Filter):
    """Replaces the token of a survey link in a log message with "…" (Django logs request paths)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_survey_links(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def redact_survey_links(text: str) -> str:
    return SURVEY_LINK.sub(lambda match: match.group(0)[: match.group(0).rfind("/") + 1] + "…", text)


# Gunicorn's error log names the client of a bad request: "Invalid request from ip=192.0.2.7: ...".
CLIENT_ADDRESS = re.compile(r"\bip=\S+?(?=:?\s|:?$)")


class RedactClientAddresses(logging.Filter):
    """Replaces the client's address in gunicorn's error lines with "…"."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = CLIENT_ADDRESS.sub("ip=…", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class RedactingAccessLogger(GunicornLogger):
    """Gunicorn's logger in Evidens' log format, with survey tokens taken out of the access log's path and line."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        formatter = configured_formatter()
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(formatter)
        # The error log quotes request lines and paths as they came (the access log's atoms are redacted above).
        for handler in self.error_log.handlers:
            handler.addFilter(RedactSurveyLinks())
            handler.addFilter(RedactClientAddresses())

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("U", "r"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact_survey_links(atoms[key])
        return atoms
