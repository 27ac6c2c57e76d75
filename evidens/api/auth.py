"""Who is calling: a bearer token, and nothing else. A browser session is not accepted, so the API needs no
CSRF protection and a page on another site cannot call it with a signed-in user's cookie."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from evidens.api.services import token_user
from evidens.processes.access import Permission, ProcessAccess, process_access


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        return token_user(token)


def process_for(request: HttpRequest, slug: str, permission: Permission = Permission.VIEW) -> ProcessAccess:
    """The same check as ``process_view`` for the token's user (``request.auth``; a session's user is ignored):
    404 to a non-member, 403 to a member whose role lacks ``permission``."""
    access = process_access(request.auth, slug)  # type: ignore[attr-defined]
    if not access.can(permission):
        raise HttpError(403, "Your role in this process does not allow this.")
    return access
