"""Tokens for every member of the cast, and a client that calls the API with one."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from evidens.api import services
from tests.conftest import Cast


@pytest.fixture
def tokens(cast: Cast) -> dict[str, str]:
    """A secret per role of the cast's process, and for ``other`` (a member elsewhere) and ``outsider``."""
    users = {**cast.users, "other": cast.other_member, "outsider": cast.outsider}
    return {name: services.token_create(user=user, name=f"test {name}")[1] for name, user in users.items()}


@pytest.fixture
def api_get(client: Client) -> Any:
    """``api_get(path, secret, **query)``: a GET with the secret as bearer token (none for an empty secret)."""

    def get(path: str, secret: str = "", **query: Any) -> Any:
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        return client.get(path, query, headers=headers)

    return get
