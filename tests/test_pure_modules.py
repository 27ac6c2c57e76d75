"""Pure modules (computation, file formats, charts) load without Django set up and without any model."""

import subprocess
import sys

PROBE = """
import sys
import evidens.charts.specs, evidens.stakeholders.exporting, evidens.stakeholders.importing
import evidens.surveys.expressions, evidens.surveys.definition, evidens.surveys.answering, evidens.surveys.building
import evidens.surveys.pages, evidens.surveys.mailtext, evidens.surveys.exporting, evidens.surveys.inspection
import evidens.surveys.xlsform, evidens.surveys.limesurvey, evidens.demo.survey, evidens.demo.weblog
import evidens.webstats.logformat, evidens.webstats.agents, evidens.webstats.exports
import evidens.coding.agreement, evidens.coding.refiqda, evidens.coding.suggest, evidens.text.ziparchive
import evidens.interviews.transcripts, evidens.interviews.guide, evidens.demo.interview_texts
import evidens.text.extract, evidens.demo.archive_texts, evidens.archive.topics, evidens.strategy.mcda
import evidens.archive.activities, evidens.archive.engagement, evidens.archive.matching
import evidens.evidence.analysis, evidens.evidence.workshop, evidens.strategy.analysis, evidens.demo.strategy_content
import evidens.strategy.validation, evidens.reports.document, evidens.reports.typography, evidens.reports.render
from django.apps import apps
print(sorted(m for m in sys.modules if m.startswith("evidens") and m.endswith(".models")), apps.ready)
"""


def test_pure_modules_load_no_models() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[] False"
