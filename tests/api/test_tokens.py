"""Personal API tokens: only a digest is kept, a revoked or wrong token is refused, and a session is not enough."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from evidens.api import services
from evidens.api.models import ApiToken
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_as_its_sha256_digest_only(cast: Cast) -> None:
    token, secret = services.token_create(user=cast.users["reader"], name="  Power BI  ")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.name == "Power BI"
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.prefix == secret[:8]
    assert secret.startswith("evd_") and len(secret) > 40
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert all(secret not in str(value) for value in row.values())


def test_two_tokens_have_different_secrets(cast: Cast) -> None:
    secrets = {services.token_create(user=cast.users["reader"], name="x")[1] for _ in range(3)}
    assert len(secrets) == 3


def test_a_token_opens_the_api_and_records_its_last_use(cast: Cast, api_get: Any) -> None:
    token, secret = services.token_create(user=cast.users["reader"], name="x")
    assert token.last_used_at is None
    response = api_get("/api/processes/", secret)
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("header", [
    None,
    "Bearer evd_not-a-real-token",
    "Bearer ",
    "Token {secret}",  # the right secret under another scheme
    "Basic dS1yZWFkZXI6Y29ycmVjdCBob3JzZSBiYXR0ZXJ5IHN0YXBsZQ==",  # u-reader's password
])
def test_without_a_valid_token_the_answer_is_401(cast: Cast, client: Client, header: str | None) -> None:
    _token, secret = services.token_create(user=cast.users["reader"], name="x")
    headers = {"Authorization": header.format(secret=secret)} if header else {}
    response = client.get("/api/processes/", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_revoked_token_is_refused(cast: Cast, api_get: Any) -> None:
    token, secret = services.token_create(user=cast.users["reader"], name="x")
    services.token_revoke(token=token)
    assert api_get("/api/processes/", secret).status_code == 401


def test_a_deactivated_users_token_is_refused(cast: Cast, api_get: Any) -> None:
    user = cast.users["reader"]
    _token, secret = services.token_create(user=user, name="x")
    user.is_active = False
    user.save()
    assert api_get("/api/processes/", secret).status_code == 401


def test_a_signed_in_browser_session_is_not_accepted(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    assert client.get("/api/processes/").status_code == 401
    assert client.get("/api/processes/proc/").status_code == 401


def test_the_token_decides_whose_access_counts_not_the_session(cast: Cast, client_for: Any) -> None:
    """A browser signed in as the secretariat, calling with the outsider's token, gets the outsider's answer."""
    _token, secret = services.token_create(user=cast.outsider, name="x")
    client = client_for(cast.users["secretariat"])
    response = client.get("/api/processes/proc/", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 404


# --- the token page -------------------------------------------------------------------------------------------------


def test_the_token_page_needs_a_login(client: Client) -> None:
    response = client.get(reverse("api_tokens"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_making_a_token_on_the_page_shows_the_secret_once(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["reader"])
    response = client.post(reverse("api_tokens"), {"name": "Regneark"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=cast.users["reader"])
    secret = response.context["secret"]
    assert hashlib.sha256(secret.encode()).hexdigest() == token.digest
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    again = client.get(reverse("api_tokens")).content.decode()
    assert secret not in again
    assert "Regneark" in again and f"{token.prefix}…" in again


def test_a_token_needs_a_name(cast: Cast, client_for: Any) -> None:
    response = client_for(cast.users["reader"]).post(reverse("api_tokens"), {"name": ""})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_the_page_lists_only_ones_own_tokens(cast: Cast, client_for: Any) -> None:
    services.token_create(user=cast.users["board"], name="Bestyrelsens nøgle")
    services.token_create(user=cast.users["reader"], name="Min nøgle")
    page = client_for(cast.users["reader"]).get(reverse("api_tokens")).content.decode()
    assert "Min nøgle" in page
    assert "Bestyrelsens nøgle" not in page


def test_revoking_on_the_page(cast: Cast, client_for: Any, api_get: Any) -> None:
    token, secret = services.token_create(user=cast.users["reader"], name="x")
    client = client_for(cast.users["reader"])
    assert client.get(reverse("api_token_revoke", args=[token.pk])).status_code == 405
    response = client.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert api_get("/api/processes/", secret).status_code == 401


def test_nobody_revokes_another_users_token(cast: Cast, client_for: Any) -> None:
    token, _secret = services.token_create(user=cast.users["board"], name="x")
    response = client_for(cast.users["secretariat"]).post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
