"""The Content-Security-Policy holds in a real browser: on a page of every app Chromium blocks nothing, and the
charts are still drawn (Vega without eval, htmx without its injected style, code colours set through the CSSOM)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.conftest import Server, login

SLUG = "almennet-2030"
# Collects what the browser blocks, in the page itself; an init script runs before the page's own and is not
# subject to the policy.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " "
                              + (event.sourceFile || "") + ":" + event.lineNumber);
});
"""
# What the demo does not put in a URL: a survey, a coded transcript and a code, a respondent's link, and a
# published members' page (the demo publishes none, so one is made here).
FIND = """
import json
from evidens.coding.models import Code, Document
from evidens.processes.models import StrategyProcess
from evidens.reports.models import Publication
from evidens.surveys.models import Recipient, Survey
from evidens.evidence.models import Finding
from django.db.models import Count
process = StrategyProcess.objects.get(slug="almennet-2030")
survey = Survey.objects.filter(process=process).order_by("pk").first()
document = Document.objects.filter(process=process).annotate(n=Count("codings")).order_by("-n").first()
code = Code.objects.filter(process=process).order_by("pk").first()
recipient = Recipient.objects.filter(survey__process=process).order_by("pk").first()
publication, _ = Publication.objects.update_or_create(process=process, defaults={"published": True})
publication.findings.set(Finding.objects.filter(process=process))
print(json.dumps({"survey": survey.pk, "document": document.pk, "code": code.pk, "recipient": recipient.token,
                  "publication": publication.token}))
"""


@pytest.fixture(scope="module")
def demo(server: Server) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(server.evidens("shell", "-c", FIND).stdout.strip().splitlines()[-1])
    return found


def _watch(page: Any) -> list[str]:
    """Console messages about the policy, as Chromium writes them ("Refused to apply inline style ...")."""
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text else None)
    page.add_init_script(LISTEN)
    return messages


def _blocked(page: Any, messages: list[str]) -> list[str]:
    page.wait_for_load_state("networkidle")
    return messages + list(page.evaluate("window.__cspViolations || []"))


def _draws_its_charts(page: Any) -> None:
    figures = page.locator("figure.chart")
    if figures.count():
        page.wait_for_function(
            "Array.from(document.querySelectorAll('figure.chart'))"
            ".every(f => f.getAttribute('data-chart-state') === 'drawn' && f.querySelector('svg'))",
            timeout=20000)


STAFF_PAGES = [
    ("dashboard", "/p/{slug}/", True),
    ("stakeholders", "/p/{slug}/stakeholders/", False),
    ("survey", "/p/{slug}/surveys/{survey}/", True),
    ("survey results", "/p/{slug}/surveys/{survey}/results/", True),
    ("survey preview", "/p/{slug}/surveys/{survey}/preview/", False),
    ("webstats", "/p/{slug}/webstats/", True),
    ("archive search", "/p/{slug}/archive/search/?q=renovering", False),
    ("coding codebook", "/p/{slug}/coding/", False),
    ("coding document", "/p/{slug}/coding/texts/{document}/", False),
    ("coding code", "/p/{slug}/coding/codes/{code}/", False),
    ("evidence", "/p/{slug}/evidence/", False),
    ("strategy rankings", "/p/{slug}/strategy/results/", True),
    ("reports", "/p/{slug}/reports/", False),
]


@pytest.mark.parametrize(("name", "path", "charts"), STAFF_PAGES, ids=[name for name, _path, _charts in STAFF_PAGES])
def test_a_staff_page_breaks_no_rule_of_the_policy(page: Any, demo: dict[str, Any], name: str, path: str,
                                                   charts: bool) -> None:
    messages = _watch(page)
    login(page, "sekretariat")
    response = page.goto(path.format(slug=SLUG, **demo))
    assert response.status == 200, name
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    if charts:
        assert page.locator("figure.chart").count() >= 1, name
    _draws_its_charts(page)
    assert _blocked(page, messages) == [], name


def test_code_colours_reach_the_page_without_style_attributes(page: Any, demo: dict[str, Any]) -> None:
    login(page, "sekretariat")
    page.goto(f"/p/{SLUG}/coding/texts/{demo['document']}/")
    coded = page.locator("#text .coded").first
    written = coded.get_attribute("data-code-colour")
    assert written and written.startswith("#")
    red, green, blue = (int(written[index:index + 2], 16) for index in (1, 3, 5))
    assert coded.evaluate("element => getComputedStyle(element).borderBottomColor") == f"rgb({red}, {green}, {blue})"


@pytest.mark.parametrize("kind", ["respondent link", "unknown link", "public page", "login"])
def test_a_page_without_login_breaks_no_rule_of_the_policy(page: Any, demo: dict[str, Any], kind: str) -> None:
    messages = _watch(page)
    path = {"respondent link": f"/s/{demo['recipient']}/", "unknown link": "/s/no-such-link/",
            "public page": f"/offentlig/{demo['publication']}/", "login": "/login/"}[kind]
    response = page.goto(path)
    assert response.status < 500
    _draws_its_charts(page)
    assert _blocked(page, messages) == [], kind


def test_the_report_preview_breaks_no_rule_of_the_policy(page: Any) -> None:
    messages = _watch(page)
    login(page, "sekretariat")
    page.goto(f"/p/{SLUG}/reports/preview/vidensrapport/")
    assert _blocked(page, messages) == []
