"""The OpenAPI description and its documentation page, and Schemathesis over every operation: no answer is a
server error, and every JSON answer fits the schema it is described by."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api.data import Content, build
from tests.conftest import Cast

OPERATIONS = {
    "/api/processes/", "/api/processes/{slug}/", "/api/processes/{slug}/organisations/",
    "/api/processes/{slug}/people/", "/api/processes/{slug}/surveys/",
    "/api/processes/{slug}/surveys/{survey_id}/responses", "/api/processes/{slug}/evidence/",
    "/api/processes/{slug}/findings/", "/api/processes/{slug}/assumptions/", "/api/processes/{slug}/options/",
}


def test_the_schema_describes_every_operation_and_the_token(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    assert set(schema["paths"]) == OPERATIONS
    assert schema["components"]["securitySchemes"] == {"TokenAuth": {"type": "http", "scheme": "bearer"}}
    assert all(operation["security"] == [{"TokenAuth": []}]
               for path in schema["paths"].values() for operation in path.values())


def test_the_documentation_page_loads_nothing_from_outside(client: Client) -> None:
    page = client.get("/api/docs").content.decode()
    references = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert references, page
    for reference in references:
        assert reference.startswith("/static/ninja/"), reference
        assert finders.find(reference.removeprefix("/static/")), reference
    assert "http://" not in page and "https://" not in page and "//cdn" not in page
    assert '"validatorUrl": null' in page


@pytest.fixture
def content(cast: Cast) -> Content:
    return build(cast)


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """Schemathesis calls the WSGI application itself, whose end of request closes the database connection: on
    PostgreSQL that would end the test's transaction. Django's test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The description needs no database, so it is read once, when the module is collected.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, suppress_health_check=list(HealthCheck), deadline=None)
def test_no_operation_fails(case: Any, content: Content, tokens: dict[str, str], connection_kept: None) -> None:
    # Calls go to the process with content and to its survey, so the answers are not all 404s (tests in
    # test_endpoints.py cover unknown processes and surveys).
    if "slug" in case.path_parameters:
        case.path_parameters["slug"] = "proc"
    if "survey_id" in case.path_parameters:
        case.path_parameters["survey_id"] = content.survey.pk
    case.call_and_validate(headers={"Authorization": f"Bearer {tokens['secretariat']}"},
                           checks=[not_a_server_error, response_schema_conformance])
