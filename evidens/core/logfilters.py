"""Log filters that keep personal data out of the logs."""

from __future__ import annotations

import logging
import re

# /s/<token>/... is a respondent's personal link: whoever reads the log could answer in their name.
SURVEY_LINK = re.compile(r"/s/(?:link/)?[A-Za-z0-9_-]{8,}")


class RedactSurveyLinks(logging.Filter):
    """Replaces the token of a survey link in a log message with "…" (Django logs request paths)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = SURVEY_LINK.sub(lambda match: match.group(0)[: match.group(0).rfind("/") + 1] + "…", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
