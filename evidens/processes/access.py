"""The one access check every process view goes through.

A user who is not a member of the process gets 404, so the existence of other
organisations' processes is not revealed; a member whose role lacks the
permission gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from evidens.processes.models import Membership, Role, StrategyProcess


class Permission(StrEnum):
    VIEW = "view"
    COMMENT = "comment"
    DECIDE = "decide"
    ANALYSE = "analyse"
    MANAGE = "manage"


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.SECRETARIAT: frozenset(Permission),
    Role.ANALYST: frozenset({Permission.VIEW, Permission.COMMENT, Permission.ANALYSE}),
    Role.BOARD: frozenset({Permission.VIEW, Permission.COMMENT, Permission.DECIDE}),
    Role.STEERING: frozenset({Permission.VIEW, Permission.COMMENT}),
    Role.READER: frozenset({Permission.VIEW}),
}


@dataclass(frozen=True)
class ProcessAccess:
    process: StrategyProcess
    membership: Membership

    @property
    def role(self) -> str:
        return self.membership.role

    def can(self, permission: Permission | str) -> bool:
        return Permission(permission) in ROLE_PERMISSIONS[self.membership.role]

    @property
    def can_manage(self) -> bool:
        return self.can(Permission.MANAGE)

    @property
    def can_analyse(self) -> bool:
        return self.can(Permission.ANALYSE)

    @property
    def can_decide(self) -> bool:
        return self.can(Permission.DECIDE)

    @property
    def can_comment(self) -> bool:
        return self.can(Permission.COMMENT)

    @property
    def sees_contact_details(self) -> bool:
        """E-mail, phone, consent and source of people: for those who work with the register."""
        return self.can(Permission.ANALYSE)


def process_access(user: Any, slug: str) -> ProcessAccess:
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("process")
        .filter(process__slug=slug, user=user)
        .first()
    )
    if membership is None:
        raise Http404
    return ProcessAccess(process=membership.process, membership=membership)


P = ParamSpec("P")
ProcessView = Callable[Concatenate[HttpRequest, ProcessAccess, P], HttpResponse]


def process_view(permission: Permission) -> Callable[[ProcessView[P]], Callable[..., HttpResponse]]:
    """Decorate a view under ``/p/<slug>/``: resolve the process, check the role, pass ``access``."""

    def decorator(view: ProcessView[P]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, slug: str, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            access = process_access(request.user, slug)
            if not access.can(permission):
                raise PermissionDenied
            return view(request, access, *args, **kwargs)

        wrapped.required_permission = permission  # type: ignore[attr-defined]
        return wrapped

    return decorator
