from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse

from evidens.core.models import FailedLogin
from evidens.processes import services
from tests.conftest import PASSWORD, Cast


@pytest.mark.argon2
def test_passwords_are_hashed_with_argon2(db: None) -> None:
    user = services.user_create(username="hash", password=PASSWORD)
    assert identify_hasher(user.password).algorithm == "argon2"


def test_login_lands_on_the_list_of_own_processes(cast: Cast, client: Any) -> None:
    response = client.post(reverse("login"), {"username": "u-reader", "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Strategiproces 2030" in body
    assert "Anden proces" not in body


def test_login_is_throttled_after_repeated_failures(cast: Cast, client: Any, settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        response = client.post(reverse("login"), {"username": "u-reader", "password": "wrong"})
        assert response.status_code == 200
    # Even the right password is refused while locked.
    response = client.post(reverse("login"), {"username": "u-reader", "password": PASSWORD})
    assert response.status_code == 200
    assert "For mange mislykkede forsøg" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failed_logins_store_no_username(cast: Cast, client: Any) -> None:
    client.post(reverse("login"), {"username": "u-reader", "password": "wrong"})
    stored = FailedLogin.objects.get()
    assert "u-reader" not in stored.username_digest
    assert len(stored.username_digest) == 64


def test_a_successful_login_clears_earlier_failures(cast: Cast, client: Any) -> None:
    client.post(reverse("login"), {"username": "u-reader", "password": "wrong"})
    client.post(reverse("login"), {"username": "u-reader", "password": PASSWORD})
    assert not FailedLogin.objects.exists()


def test_logout_needs_post_and_ends_the_session(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["reader"])
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["reader"])
    new = "a much longer new password 42"
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": new, "new_password2": new,
    })
    assert response.status_code == 302
    cast.users["reader"].refresh_from_db()
    assert cast.users["reader"].check_password(new)
