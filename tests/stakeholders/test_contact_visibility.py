"""Privacy by default: a person's contact and data-protection details are shown only to the roles that
analyse or manage the register (analyst, secretariat); names, organisation, job title and segment to all."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import override

from evidens.stakeholders import services
from evidens.stakeholders.models import Person
from tests.conftest import Cast

SEE_CONTACTS = ["analyst", "secretariat"]
DO_NOT_SEE_CONTACTS = ["reader", "steering", "board"]

EMAIL = "jens@kab.example"
PHONE = "11223344"
SOURCE = "Medlemslisten 2024"


@pytest.fixture
def jens(cast: Cast) -> Person:
    kab = services.organisation_create(process=cast.process, actor=None, name="KAB", kind="housing")
    return services.person_create(process=cast.process, actor=None, name="Jens Hansen", email=EMAIL, phone=PHONE,
                                  organisation=kab, role_title="Direktør", segment="Direktion", source=SOURCE,
                                  consent="withdrawn", lawful_basis="legal_obligation", delete_by=date(2031, 3, 1))


def _protection_details(person: Person) -> list[str]:
    """Consent and lawful basis as the pages show them (in the installation's language)."""
    with override(settings.LANGUAGE_CODE):
        return [capfirst(person.get_consent_display()), capfirst(person.get_lawful_basis_display())]


def _pages(jens: Person) -> dict[str, str]:
    return {
        "list": reverse("stakeholders:person_list", args=["proc"]),
        "detail": reverse("stakeholders:person_detail", args=["proc", jens.pk]),
        "organisation": reverse("stakeholders:organisation_detail", args=["proc", jens.organisation_id]),
    }


def _body(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return str(response.content.decode())


@pytest.mark.parametrize("role", DO_NOT_SEE_CONTACTS)
def test_readers_steering_and_board_do_not_see_contact_details(
    cast: Cast, jens: Person, client_for: Any, role: str,
) -> None:
    client = client_for(cast.users[role])
    for page, url in _pages(jens).items():
        body = _body(client, url)
        assert "Jens Hansen" in body and "KAB" in body, page
        assert "Direktør" in body and "Direktion" in body, page
        assert EMAIL not in body and "mailto:" not in body, page
        assert PHONE not in body, page
    detail = _body(client, _pages(jens)["detail"])
    assert SOURCE not in detail and "2031" not in detail
    for shown in _protection_details(jens):
        assert f"<dd>{shown}</dd>" not in detail


@pytest.mark.parametrize("role", SEE_CONTACTS)
def test_analyst_and_secretariat_see_contact_details(cast: Cast, jens: Person, client_for: Any, role: str) -> None:
    client = client_for(cast.users[role])
    pages = _pages(jens)
    for page in ("list", "organisation"):
        body = _body(client, pages[page])
        assert "Jens Hansen" in body and f'<a href="mailto:{EMAIL}">{EMAIL}</a>' in body, page
    detail = _body(client, pages["detail"])
    assert f'<a href="mailto:{EMAIL}">{EMAIL}</a>' in detail and PHONE in detail and SOURCE in detail
    assert "2031" in detail
    for shown in _protection_details(jens):
        assert f"<dd>{shown}</dd>" in detail


def test_outsiders_still_get_404(cast: Cast, jens: Person, client_for: Any) -> None:
    client = client_for(cast.outsider)
    for url in _pages(jens).values():
        assert client.get(url).status_code == 404
